/**
 * Upstash Redis backend of the limiter, through @upstash/ratelimit's token bucket (the mapping
 * from a GCRA rate is in src/limits/token-bucket.ts). Each decision is one Lua script that Redis
 * runs atomically, so decisions are exact under any concurrency, as with the Durable Object.
 *
 * The library's own timeout (which allows the request when it fires), ephemeral cache, analytics
 * and telemetry are turned off: the client applies the gateway's timeout and the policy's failure
 * mode, and its refusal cache replaces the ephemeral cache. Errors are reported by name only,
 * because an Upstash error message repeats the command it failed on.
 */
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis/cloudflare'
import type { LimiterBackend } from './backend'
import { LIMITER_TIMEOUT_MS, LimiterTimeout, withTimeout, type CallResult } from './client'
import type { Decision, Rate } from './gcra'
import { allowanceOf, bucketOf, decisionOf, type Bucket } from './token-bucket'

export interface UpstashConfig {
  url: string
  token: string
  /** First segment of every key, followed by `:` and the limiter key. */
  prefix: string
}

interface BucketLimiter {
  ratelimit: Ratelimit
  bucket: Bucket
}

export class UpstashLimiter implements LimiterBackend {
  readonly kind = 'upstash'
  readonly #redis: Redis
  readonly #prefix: string
  readonly #timeoutMs: number
  // One per distinct rate; the configuration bounds their number.
  readonly #limiters = new Map<string, BucketLimiter>()

  constructor(config: UpstashConfig, timeoutMs = LIMITER_TIMEOUT_MS) {
    // One retry when the connection fails; a retry may charge twice, which errs on the strict side.
    this.#redis = new Redis({
      url: config.url,
      token: config.token,
      retry: { retries: 1, backoff: () => 50 },
      enableTelemetry: false,
    })
    this.#prefix = config.prefix
    this.#timeoutMs = timeoutMs
  }

  take(key: string, rate: Rate, cost: number): Promise<CallResult<Decision>> {
    const { ratelimit, bucket } = this.#limiterFor(rate)
    return this.#call(async () => {
      const now = Date.now()
      const state = await ratelimit.limit(key, { rate: cost })
      return decisionOf(rate, bucket, state, now)
    })
  }

  peek(key: string, rate: Rate): Promise<CallResult<Decision>> {
    const { ratelimit, bucket } = this.#limiterFor(rate)
    return this.#call(async () => {
      const stored = await ratelimit.getRemaining(key)
      return allowanceOf(rate, bucket, stored, Date.now())
    })
  }

  async #call<T>(call: () => Promise<T>): Promise<CallResult<T>> {
    try {
      return { ok: true, value: await withTimeout(call(), this.#timeoutMs) }
    } catch (error) {
      return { ok: false, reason: describeError(error) }
    }
  }

  #limiterFor(rate: Rate): BucketLimiter {
    const id = `${rate.limit}/${rate.windowMs}/${rate.burst}`
    const cached = this.#limiters.get(id)
    if (cached) return cached

    const bucket = bucketOf(rate)
    const ratelimit = new Ratelimit({
      redis: this.#redis,
      limiter: Ratelimit.tokenBucket(
        bucket.refillRate,
        `${bucket.intervalMs} ms`,
        bucket.maxTokens,
      ),
      prefix: this.#prefix,
      timeout: 0,
      ephemeralCache: false,
      analytics: false,
      enableTelemetry: false,
    })
    const limiter = { ratelimit, bucket }
    this.#limiters.set(id, limiter)
    return limiter
  }
}

function describeError(error: unknown): string {
  if (error instanceof LimiterTimeout) return 'upstash timeout'
  return `upstash error ${error instanceof Error ? error.name : typeof error}`
}
