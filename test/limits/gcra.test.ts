import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inspectAllowance, takeAllowance, type Rate } from '../../src/limits/gcra'

// 10 units per minute: one unit every 6 s, at most 4 at once.
const RATE: Rate = { limit: 10, windowMs: 60_000, burst: 4 }
const T0 = 1_700_000_000_000

/** Sends requests of `cost` at the given times and returns the TAT and the success of each. */
function run(
  rate: Rate,
  times: number[],
  cost = 1,
): { tat: number | undefined; allowed: boolean[] } {
  let tat: number | undefined
  const allowed: boolean[] = []
  for (const now of times) {
    const step = takeAllowance(tat, rate, cost, now)
    if (step.decision.success) tat = step.tat
    allowed.push(step.decision.success)
  }
  return { tat, allowed }
}

describe('takeAllowance', () => {
  it('allows a new key its full burst at once', () => {
    const { allowed } = run(RATE, [T0, T0, T0, T0, T0])
    expect(allowed).toEqual([true, true, true, true, false])
  })

  it('reports the remaining units after each request', () => {
    const first = takeAllowance(undefined, RATE, 1, T0)
    expect(first.decision.remaining).toBe(3)
    const second = takeAllowance(first.tat, RATE, 1, T0)
    expect(second.decision.remaining).toBe(2)
  })

  it('allows a steady rate of one unit per emission interval forever', () => {
    const times = Array.from({ length: 100 }, (_, index) => T0 + index * 6_000)
    const { allowed } = run(RATE, times)
    expect(allowed.every(Boolean)).toBe(true)
  })

  it('rejects a rate slightly above the limit once the burst is spent', () => {
    const times = Array.from({ length: 100 }, (_, index) => T0 + index * 5_000)
    const { allowed } = run(RATE, times)
    expect(allowed.filter((ok) => !ok).length).toBeGreaterThan(0)
  })

  it('charges a cost above one as that many units', () => {
    const first = takeAllowance(undefined, RATE, 3, T0)
    expect(first.decision.success).toBe(true)
    expect(first.decision.remaining).toBe(1)
    const second = takeAllowance(first.tat, RATE, 3, T0)
    expect(second.decision.success).toBe(false)
  })

  it('consumes nothing when it rejects a request', () => {
    const spent = run(RATE, [T0, T0, T0, T0])
    const refused = takeAllowance(spent.tat, RATE, 1, T0 + 1_000)
    expect(refused.decision.success).toBe(false)
    expect(refused.tat).toBe(spent.tat)
    const later = takeAllowance(spent.tat, RATE, 1, T0 + 6_000)
    expect(later.decision.success).toBe(true)
  })

  it('gives the time until a retry succeeds', () => {
    const spent = run(RATE, [T0, T0, T0, T0])
    const refused = takeAllowance(spent.tat, RATE, 1, T0 + 1_000)
    expect(refused.decision.retryAfterMs).toBe(5_000)
    const retried = takeAllowance(spent.tat, RATE, 1, T0 + 1_000 + 5_000)
    expect(retried.decision.success).toBe(true)
  })

  it('gives the time until the full burst is back', () => {
    const spent = run(RATE, [T0, T0])
    const peek = inspectAllowance(spent.tat, RATE, T0)
    expect(peek.resetMs).toBe(12_000)
  })

  it('recovers the full burst after an idle period', () => {
    const spent = run(RATE, [T0, T0, T0, T0])
    const { allowed } = run(RATE, [T0 + 24_000, T0 + 24_000, T0 + 24_000, T0 + 24_000])
    expect(spent.allowed.every(Boolean)).toBe(true)
    expect(allowed.every(Boolean)).toBe(true)
    const recovered = inspectAllowance(spent.tat, RATE, T0 + 24_000)
    expect(recovered.remaining).toBe(4)
  })

  it('recovers one unit per emission interval', () => {
    const spent = run(RATE, [T0, T0, T0, T0])
    expect(inspectAllowance(spent.tat, RATE, T0 + 5_999).remaining).toBe(0)
    expect(inspectAllowance(spent.tat, RATE, T0 + 6_000).remaining).toBe(1)
    expect(inspectAllowance(spent.tat, RATE, T0 + 12_000).remaining).toBe(2)
  })

  it('counts exactly with an interval that is not a whole number', () => {
    const rate: Rate = { limit: 7, windowMs: 60_000, burst: 7 }
    const first = run(
      rate,
      Array.from({ length: 8 }, () => T0),
    )
    expect(first.allowed.filter(Boolean).length).toBe(7)
    const refill = inspectAllowance(first.tat, rate, T0 + 60_000)
    expect(refill.remaining).toBe(7)
  })

  it('rejects a cost above the burst as invalid', () => {
    expect(() => takeAllowance(undefined, RATE, 5, T0)).toThrow(RangeError)
  })

  it('never allows more than burst plus elapsed time over the interval', () => {
    const emission = RATE.windowMs / RATE.limit
    const gaps = fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 60 })
    fc.assert(
      fc.property(gaps, (steps) => {
        const times = steps.map(
          (_, index) => T0 + steps.slice(0, index + 1).reduce((a, b) => a + b),
        )
        const { allowed } = run(RATE, times)
        const span = (times.at(-1) ?? T0) - (times[0] ?? T0)
        const bound = RATE.burst + Math.floor(span / emission)
        return allowed.filter(Boolean).length <= bound
      }),
    )
  })
})

describe('inspectAllowance', () => {
  it('reports a new key as full', () => {
    const peek = inspectAllowance(undefined, RATE, T0)
    expect(peek.remaining).toBe(4)
    expect(peek.resetMs).toBe(0)
  })

  it('reports a spent key as unsuccessful', () => {
    const spent = run(RATE, [T0, T0, T0, T0])
    expect(inspectAllowance(spent.tat, RATE, T0).success).toBe(false)
  })
})
