/**
 * Isolate leases, as pure code: no bindings and no clock, so the caller passes `now`.
 *
 * A policy with a lease lets an isolate take several units from the key's limiter object in one
 * call and serve the following requests from them without calling the object again. The object
 * charges every leased unit when it grants the lease, so the guarantee is:
 *
 * - Never more than the exact allowance in total. The object charged every unit a lease serves
 *   before serving it, so a key is never served more requests than the units the object charged,
 *   and GCRA bounds those exactly. N parallel requests never pass more than the limit, however
 *   many isolates serve them.
 * - A unit is served at most `lease × T` (T: the emission interval) after the object charged it,
 *   because a lease expires once the window would have refilled its units. Over any interval of
 *   length d a key is therefore served at most burst + d / T + lease units, where exact
 *   accounting allows burst + d / T: a lease can move up to `lease` units later, never add one.
 * - The cost is on the strict side: up to (lease − 1) units per isolate and key sit unused in a
 *   lease, so a request that reaches another isolate can be refused where exact accounting would
 *   have allowed it, and units left in an expired lease are never given back.
 *
 * Only policies that fail open may lease (see src/limits/config.ts): for them an approximate
 * count is already the accepted trade.
 */
import { setNewest } from '../bounded-map'
import { takeAllowance, type Decision, type Rate, type Step } from './gcra'

/** A step with the units the object charged: the lease, the cost, or 0. */
export interface LeaseStep extends Step {
  granted: number
}

/**
 * Charges `lease` units when the allowance contains them, else only `cost` (the exact decision).
 * A lease no larger than the cost, or larger than the burst, is never taken.
 */
export function takeLeaseAllowance(
  storedTat: number | undefined,
  rate: Rate,
  cost: number,
  lease: number,
  now: number,
): LeaseStep {
  if (lease > cost && lease <= rate.burst) {
    const step = takeAllowance(storedTat, rate, lease, now)
    if (step.decision.success) return { ...step, granted: lease }
  }

  const step = takeAllowance(storedTat, rate, cost, now)
  return { ...step, granted: step.decision.success ? cost : 0 }
}

/**
 * Resolves a policy's `lease` setting to units for one tier: a whole number is units, a fraction
 * below 1 is that share of the tier's burst, rounded down. 1 means no lease.
 */
export function leaseUnits(lease: number | undefined, burst: number): number {
  if (lease === undefined) return 1
  const units = lease < 1 ? Math.floor(lease * burst) : lease
  return Math.max(1, Math.min(units, burst))
}

interface Lease {
  rate: Rate
  /** Units this isolate still holds. */
  units: number
  expiresAt: number
  /** Time the object's allowance is full again if no one takes more, held units included. */
  resetAt: number
}

/** A lease the object granted: `granted` units for a request of `cost`. */
export interface Grant {
  rate: Rate
  granted: number
  cost: number
  decision: Decision
}

/** Oldest leases are dropped past this size, which bounds the isolate's memory. */
export const MAX_LEASES = 10_000

/** The leases of one isolate, per limiter key. */
export class LeaseTable {
  readonly #entries = new Map<string, Lease>()
  readonly #maxSize: number

  constructor(maxSize = MAX_LEASES) {
    this.#maxSize = maxSize
  }

  /**
   * Serves `cost` units from the key's lease, or returns undefined when there is no valid lease
   * with enough units. In the decision, `remaining` is the object's remaining at the grant plus
   * the units still held here, so it ignores refill since the grant and use by other isolates.
   */
  draw(key: string, rate: Rate, cost: number, now: number): Decision | undefined {
    const lease = this.#entries.get(key)
    if (!lease) return undefined
    if (lease.expiresAt <= now || !sameRate(lease.rate, rate)) {
      this.#entries.delete(key)
      return undefined
    }
    if (lease.units < cost) return undefined

    lease.units -= cost
    if (lease.units === 0) this.#entries.delete(key)
    return view(lease, now)
  }

  /**
   * Keeps what is left of a lease of `granted` units once the request's `cost` is served, and
   * returns the request's decision in the same view as `draw`.
   */
  keep(key: string, grant: Grant, now: number): Decision {
    this.#entries.delete(key)
    const units = grant.granted - grant.cost
    if (units < 1 || !grant.decision.success) return grant.decision

    const emission = grant.rate.windowMs / grant.rate.limit
    const lease: Lease = {
      rate: grant.rate,
      units,
      expiresAt: now + grant.granted * emission,
      resetAt: now + grant.decision.resetMs,
    }
    setNewest(this.#entries, key, lease, this.#maxSize)
    return view(lease, now)
  }

  get size(): number {
    return this.#entries.size
  }
}

/**
 * Describes a lease as the decision an exact call would have returned, held units unspent. It
 * takes the key's theoretical arrival time less the held units, refilled since the grant like any
 * GCRA allowance, so that `remaining` and `resetMs` describe the same moment.
 */
function view(lease: Lease, now: number): Decision {
  const { rate } = lease
  const emission = rate.windowMs / rate.limit
  const tat = Math.max(lease.resetAt - lease.units * emission, now)
  const free = (now + emission * rate.burst - tat) / emission
  return {
    success: true,
    limit: rate.limit,
    remaining: Math.min(rate.burst, Math.floor(free + 1e-9)),
    resetMs: tat - now,
    retryAfterMs: 0,
  }
}

function sameRate(a: Rate, b: Rate): boolean {
  return a.limit === b.limit && a.windowMs === b.windowMs && a.burst === b.burst
}
