/**
 * The store behind the limiter client: the RateLimiter Durable Objects (default) or Upstash
 * Redis. Both return the same Decision data, so headers and the 429 do not depend on the store.
 * Only the Durable Object backend grants leases; with Upstash every request that the refusal
 * cache does not decide costs one Redis script call.
 */
import type { Env } from '../env'
import type { LimiterBackendKind } from './backend-config'
import { callLimiter, type CallResult, type LimiterNamespace } from './client'
import type { LimitsConfig } from './config'
import type { Decision, Rate } from './gcra'
import type { LeaseDecision } from './rate-limiter.do'
import { UpstashLimiter } from './upstash'

export interface LimiterBackend {
  readonly kind: LimiterBackendKind
  /** Decides a request of `cost` units and consumes them if it is allowed. */
  take(key: string, rate: Rate, cost: number): Promise<CallResult<Decision>>
  /** Charges `lease` units at once when they fit (src/limits/lease.ts); absent when unsupported. */
  takeLease?(
    key: string,
    rate: Rate,
    cost: number,
    lease: number,
  ): Promise<CallResult<LeaseDecision>>
  /** Reports the allowance of a key without consuming any of it. */
  peek(key: string, rate: Rate): Promise<CallResult<Decision>>
}

/** Returns a backend that calls the RateLimiter object named after each key. */
export function durableObjectBackend(namespace: LimiterNamespace): LimiterBackend {
  return {
    kind: 'durable-object',
    take: (key, rate, cost) => callLimiter(namespace, key, (stub) => stub.take({ rate, cost })),
    takeLease: (key, rate, cost, lease) =>
      callLimiter(namespace, key, (stub) => stub.takeLease({ rate, cost, lease })),
    peek: (key, rate) => callLimiter(namespace, key, (stub) => stub.peek({ rate })),
  }
}

const backends = new WeakMap<LimitsConfig, LimiterBackend>()

/** Returns the backend the configuration selects, built once per configuration. */
export function limiterFor(env: Env, limits: LimitsConfig): LimiterBackend {
  const cached = backends.get(limits)
  if (cached) return cached

  const config = limits.backend
  const backend =
    config.kind === 'upstash' ? new UpstashLimiter(config) : durableObjectBackend(env.RATE_LIMITER)
  backends.set(limits, backend)
  return backend
}
