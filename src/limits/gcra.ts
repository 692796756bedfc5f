/**
 * GCRA (generic cell rate algorithm) with burst, as pure functions: no bindings and no clock, so
 * the caller passes `now` (milliseconds since the Unix epoch).
 *
 * Why GCRA: the whole state of a key is one number, the theoretical arrival time (TAT), so a
 * decision is O(1) in time and storage. It is exact, unlike sampled or interpolated sliding-window
 * counters. It spaces requests evenly at the sustained rate. It has no window edge, so a client
 * cannot spend a full limit at the end of one fixed window and another at the start of the next.
 *
 * With emission interval T = window / limit and tolerance τ = T × burst, a request of cost n is
 * allowed when max(TAT, now) + n × T − τ ≤ now. Over any interval of length d a key gets at most
 * burst + d / T units. A refused request changes nothing.
 */

/** A rate: `limit` units per `windowMs`, of which at most `burst` may be spent at once. */
export interface Rate {
  limit: number
  windowMs: number
  burst: number
}

/** The outcome of one request; durations are in milliseconds. */
export interface Decision {
  success: boolean
  limit: number
  /** Units of cost 1 that would be allowed right now, after this request. */
  remaining: number
  /** Time until the full burst is available again. */
  resetMs: number
  /** Time until a request of the same cost would be allowed; 0 when this one was allowed. */
  retryAfterMs: number
}

/** A decision and the TAT to store; the TAT is unchanged when the request was refused. */
export interface Step {
  decision: Decision
  tat: number
}

// Absorbs floating-point error when T = window / limit is not an exact binary fraction.
const EPSILON = 1e-9

/** Decides a request of `cost` units against the stored TAT (undefined for a new key). */
export function takeAllowance(
  storedTat: number | undefined,
  rate: Rate,
  cost: number,
  now: number,
): Step {
  checkRate(rate)
  if (!Number.isInteger(cost) || cost < 1 || cost > rate.burst) {
    throw new RangeError(`cost is ${cost}; expected an integer from 1 to the burst (${rate.burst})`)
  }

  const emission = rate.windowMs / rate.limit
  const tat = Math.max(storedTat ?? now, now)
  const next = tat + emission * cost
  const wait = next - emission * rate.burst - now

  if (wait > EPSILON * emission) {
    return { decision: describe(rate, tat, now, wait), tat: storedTat ?? now }
  }
  return { decision: describe(rate, next, now, 0), tat: next }
}

/** Reports the allowance of a key without consuming any of it. */
export function inspectAllowance(storedTat: number | undefined, rate: Rate, now: number): Decision {
  checkRate(rate)
  const tat = Math.max(storedTat ?? now, now)
  const decision = describe(rate, tat, now, 0)
  return { ...decision, success: decision.remaining > 0 }
}

function describe(rate: Rate, tat: number, now: number, retryAfterMs: number): Decision {
  const emission = rate.windowMs / rate.limit
  const free = (now + emission * rate.burst - tat) / emission
  return {
    success: retryAfterMs === 0,
    limit: rate.limit,
    remaining: Math.max(0, Math.floor(free + EPSILON)),
    resetMs: Math.max(0, tat - now),
    retryAfterMs,
  }
}

function checkRate(rate: Rate): void {
  const valid =
    Number.isInteger(rate.limit) &&
    rate.limit >= 1 &&
    Number.isFinite(rate.windowMs) &&
    rate.windowMs > 0 &&
    Number.isInteger(rate.burst) &&
    rate.burst >= 1
  if (!valid) throw new RangeError(`invalid rate ${JSON.stringify(rate)}`)
}
