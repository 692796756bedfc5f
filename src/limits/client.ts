/**
 * Limiter client for the middleware. It checks the isolate's refused-key cache first, then calls
 * the key's RateLimiter object with a timeout and one retry, and applies the policy's failure mode
 * when the object cannot be reached. It uses no Hono, and the middleware turns its outcome into
 * headers.
 */
import type { Decision, Rate } from './gcra'
import type { FailureMode } from './policies'
import type { RateLimiter } from './rate-limiter.do'
import { RefusalCache } from './refusal-cache'

/** How long one call to the limiter object may take before it counts as unavailable. */
export const LIMITER_TIMEOUT_MS = 1000

export type Outcome =
  | { kind: 'allowed' | 'refused' | 'cached-refusal'; decision: Decision }
  | { kind: 'fail-open' | 'fail-closed'; reason: string }

export interface LimitRequest {
  key: string
  rate: Rate
  cost: number
  failureMode: FailureMode
}

export type LimiterNamespace = DurableObjectNamespace<RateLimiter>

type CallResult<T> = { ok: true; value: T } | { ok: false; reason: string }

const refusals = new RefusalCache()

/** Decides one request; `now` is the isolate's clock, used only for the refused-key cache. */
export async function decide(
  namespace: LimiterNamespace,
  request: LimitRequest,
  now = Date.now(),
): Promise<Outcome> {
  const cached = refusals.lookup(request.key, request.cost, now)
  if (cached) return { kind: 'cached-refusal', decision: cached }

  const result = await callLimiter(namespace, request.key, (stub) =>
    stub.take({ rate: request.rate, cost: request.cost }),
  )
  if (!result.ok) {
    const kind = request.failureMode === 'open' ? 'fail-open' : 'fail-closed'
    return { kind, reason: result.reason }
  }

  const decision = result.value
  if (decision.success) return { kind: 'allowed', decision }

  refusals.remember(request.key, request.cost, decision, now)
  return { kind: 'refused', decision }
}

/**
 * Calls the object named `key` with a timeout. A retryable error is retried once on a fresh
 * stub, because a stub that saw its object reset stays broken. A timeout is not retried: the
 * call may still run, and a second one would double the wait.
 */
export async function callLimiter<T>(
  namespace: LimiterNamespace,
  key: string,
  call: (stub: DurableObjectStub<RateLimiter>) => Promise<T>,
  timeoutMs = LIMITER_TIMEOUT_MS,
): Promise<CallResult<T>> {
  for (let attempt = 1; ; attempt++) {
    const stub = namespace.get(namespace.idFromName(key))
    try {
      return { ok: true, value: await withTimeout(call(stub), timeoutMs) }
    } catch (error) {
      if (attempt === 1 && isRetryable(error)) continue
      return { ok: false, reason: describeError(error, attempt) }
    }
  }
}

class LimiterTimeout extends Error {
  override name = 'LimiterTimeout'
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LimiterTimeout(`no answer in ${timeoutMs} ms`)), timeoutMs)
  })

  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * True for errors the runtime marks `retryable` and for resets (`durableObjectReset`, set when
 * the object was aborted or its code updated), never for `overloaded`, where a retry adds load.
 * A retried `take` may be charged twice if the first call reached the object; for a limiter
 * that errs on the strict side.
 */
function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  if (Reflect.get(error, 'overloaded') === true) return false
  return (
    Reflect.get(error, 'retryable') === true || Reflect.get(error, 'durableObjectReset') === true
  )
}

function describeError(error: unknown, attempts: number): string {
  const name = error instanceof Error ? error.name : typeof error
  const kind = error instanceof LimiterTimeout ? 'timeout' : `error ${name}`
  return `limiter ${kind} after ${attempts} attempt${attempts === 1 ? '' : 's'}`
}
