/**
 * Limiter client for the middleware. It decides in the isolate when it can (a cached refusal,
 * or units of a lease this isolate has), else calls the configured backend (src/limits/backend.ts)
 * with a timeout, and applies the policy's failure mode when the backend cannot be reached. It
 * uses no Hono, and the middleware turns its outcome into headers. The lease guarantee is stated
 * in src/limits/lease.ts.
 */
import type { LimiterBackend } from './backend'
import type { LimiterBackendKind } from './backend-config'
import type { Decision, Rate } from './gcra'
import { LeaseTable } from './lease'
import type { FailureMode } from './policies'
import type { RateLimiter } from './rate-limiter.do'
import { RefusalCache } from './refusal-cache'

/** How long one call to the limiter backend may take before it counts as unavailable. */
export const LIMITER_TIMEOUT_MS = 1000

/** `leased` was served from this isolate's lease; `allowed` and `refused` asked the backend. */
export type Outcome =
  | { kind: 'allowed' | 'leased' | 'refused' | 'cached-refusal'; decision: Decision }
  | { kind: 'fail-open' | 'fail-closed'; reason: string }

export interface LimitRequest {
  key: string
  rate: Rate
  cost: number
  failureMode: FailureMode
  /**
   * Units to take per backend call (see src/limits/lease.ts); 1 or absent decides exactly. A
   * backend without `takeLease` ignores it.
   */
  lease?: number
}

export type LimiterNamespace = DurableObjectNamespace<RateLimiter>

export type CallResult<T> = { ok: true; value: T } | { ok: false; reason: string }

/** The state one isolate keeps between requests: refused keys, leases, lease calls in flight. */
export class IsolateLimiter {
  readonly #refusals = new RefusalCache()
  readonly #leases = new LeaseTable()
  readonly #pending = new Map<string, Promise<Outcome>>()

  /**
   * Decides one request; `now` is the isolate's clock, used for the refusal cache and leases.
   * While a lease call for the key is in flight, other requests for it wait for its units
   * instead of each taking a lease of their own. Every call they wait for settles something: it
   * grants units, caches a refusal or fails, and a failure is shared, so the wait is bounded.
   */
  async decide(backend: LimiterBackend, request: LimitRequest, now = Date.now()): Promise<Outcome> {
    const leasing = backend.takeLease !== undefined && (request.lease ?? 1) > request.cost
    for (;;) {
      const local = this.#local(request, now)
      if (local) return local

      const pending = leasing ? this.#pending.get(request.key) : undefined
      if (!pending) return this.#callBackend(backend, request, now)

      const settled = await pending
      if (settled.kind === 'fail-open' || settled.kind === 'fail-closed') return settled
    }
  }

  #local(request: LimitRequest, now: number): Outcome | undefined {
    const refused = this.#refusals.lookup(request.key, request.cost, now)
    if (refused) return { kind: 'cached-refusal', decision: refused }

    const leased = this.#leases.draw(request.key, request.rate, request.cost, now)
    return leased ? { kind: 'leased', decision: leased } : undefined
  }

  #callBackend(backend: LimiterBackend, request: LimitRequest, now: number): Promise<Outcome> {
    const lease = request.lease ?? 1
    if (lease <= request.cost || !backend.takeLease) return this.#take(backend, request, now)

    const outcome = this.#takeLease(backend.takeLease.bind(backend), request, lease, now)
    this.#pending.set(request.key, outcome)
    void outcome.finally(() => {
      if (this.#pending.get(request.key) === outcome) this.#pending.delete(request.key)
    })
    return outcome
  }

  async #take(backend: LimiterBackend, request: LimitRequest, now: number): Promise<Outcome> {
    const result = await backend.take(request.key, request.rate, request.cost)
    if (!result.ok) return unavailable(request, result.reason)
    return this.#settle(request, result.value, now)
  }

  async #takeLease(
    takeLease: NonNullable<LimiterBackend['takeLease']>,
    request: LimitRequest,
    lease: number,
    now: number,
  ): Promise<Outcome> {
    const { key, rate, cost } = request
    const result = await takeLease(key, rate, cost, lease)
    if (!result.ok) return unavailable(request, result.reason)

    const { decision, granted } = result.value
    return this.#settle(
      request,
      this.#leases.keep(key, { rate, granted, cost, decision }, now),
      now,
    )
  }

  #settle(request: LimitRequest, decision: Decision, now: number): Outcome {
    if (decision.success) return { kind: 'allowed', decision }

    this.#refusals.remember(request.key, request.cost, decision, now)
    return { kind: 'refused', decision }
  }
}

function unavailable(request: LimitRequest, reason: string): Outcome {
  return { kind: request.failureMode === 'open' ? 'fail-open' : 'fail-closed', reason }
}

// One per backend kind, so the two stores never share a cached refusal or a lease.
const isolates = new Map<LimiterBackendKind, IsolateLimiter>()

/** Decides one request with this isolate's refusal cache and leases for the backend's kind. */
export function decide(
  backend: LimiterBackend,
  request: LimitRequest,
  now = Date.now(),
): Promise<Outcome> {
  let isolate = isolates.get(backend.kind)
  if (!isolate) {
    isolate = new IsolateLimiter()
    isolates.set(backend.kind, isolate)
  }
  return isolate.decide(backend, request, now)
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

export class LimiterTimeout extends Error {
  override name = 'LimiterTimeout'
}

/** Settles with `promise`, or rejects with LimiterTimeout after `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
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
