import { describe, expect, it } from 'vitest'
import type { Decision, Rate } from '../../src/limits/gcra'
import { LeaseTable, leaseUnits, takeLeaseAllowance } from '../../src/limits/lease'

// 10 units per minute: one unit every 6 s, all 10 at once.
const RATE: Rate = { limit: 10, windowMs: 60_000, burst: 10 }
const T0 = 1_700_000_000_000

describe('takeLeaseAllowance', () => {
  it('charges the whole lease when the allowance holds it', () => {
    const step = takeLeaseAllowance(undefined, RATE, 1, 4, T0)
    expect(step.granted).toBe(4)
    expect(step.decision.remaining).toBe(6)
  })

  it('charges only the cost when the allowance is below the lease', () => {
    const spent = takeLeaseAllowance(undefined, RATE, 1, 8, T0)
    const step = takeLeaseAllowance(spent.tat, RATE, 1, 8, T0)
    expect(step.granted).toBe(1)
    expect(step.decision.remaining).toBe(1)
  })

  it('grants nothing and keeps the state when even the cost is refused', () => {
    const spent = takeLeaseAllowance(undefined, RATE, 10, 10, T0)
    const step = takeLeaseAllowance(spent.tat, RATE, 1, 4, T0)
    expect(step.granted).toBe(0)
    expect(step.tat).toBe(spent.tat)
  })

  it('never takes a lease larger than the burst', () => {
    const step = takeLeaseAllowance(undefined, RATE, 1, 11, T0)
    expect(step.granted).toBe(1)
  })
})

describe('leaseUnits', () => {
  it('reads a whole number as units', () => {
    expect(leaseUnits(4, 100)).toBe(4)
  })

  it('reads a fraction as a share of the burst, rounded down', () => {
    expect(leaseUnits(0.1, 25)).toBe(2)
  })

  it('caps the lease at the burst', () => {
    expect(leaseUnits(50, 20)).toBe(20)
  })

  it('gives 1 (no lease) without a setting or for a tiny share', () => {
    expect(leaseUnits(undefined, 100)).toBe(1)
    expect(leaseUnits(0.01, 20)).toBe(1)
  })
})

/** The decision the object returns after charging a lease of `granted` units of a fresh key. */
function granted(units: number): Decision {
  const emission = RATE.windowMs / RATE.limit
  return {
    success: true,
    limit: RATE.limit,
    remaining: RATE.burst - units,
    resetMs: units * emission,
    retryAfterMs: 0,
  }
}

function tableWithLease(units: number, table = new LeaseTable()): LeaseTable {
  table.keep('key', { rate: RATE, granted: units, cost: 1, decision: granted(units) }, T0)
  return table
}

describe('LeaseTable', () => {
  it('serves the units left after the granting request', () => {
    const table = tableWithLease(4)
    const served = [1, 2, 3, 4].map(() => table.draw('key', RATE, 1, T0)?.success)
    expect(served).toEqual([true, true, true, undefined])
  })

  it('reports remaining as the object remaining plus the units held', () => {
    const table = new LeaseTable()
    const first = table.keep('key', { rate: RATE, granted: 4, cost: 1, decision: granted(4) }, T0)
    expect(first.remaining).toBe(9)
    expect(table.draw('key', RATE, 1, T0)?.remaining).toBe(8)
  })

  it('reports the reset as if the held units were unspent', () => {
    const table = new LeaseTable()
    const first = table.keep('key', { rate: RATE, granted: 4, cost: 1, decision: granted(4) }, T0)
    expect(first.resetMs).toBe(6_000)
  })

  it('refills remaining as the reset draws near, so the two agree', () => {
    const table = tableWithLease(4)
    const later = table.draw('key', RATE, 1, T0 + 5_000)!
    // Two units spent of a fresh key, 5 s after the first: 8 whole units free, 7 s to full.
    expect(later.remaining).toBe(8)
    expect(later.resetMs).toBe(7_000)

    const full = table.draw('key', RATE, 1, T0 + 20_000)!
    expect(full.remaining).toBe(RATE.burst)
    expect(full.resetMs).toBe(0)
  })

  it('expires a lease once the window would have refilled its units', () => {
    const table = tableWithLease(4)
    expect(table.draw('key', RATE, 1, T0 + 23_999)?.success).toBe(true)
    expect(table.draw('key', RATE, 1, T0 + 24_000)).toBeUndefined()
  })

  it('drops a lease taken under another rate', () => {
    const table = tableWithLease(4)
    const other = { ...RATE, limit: 20, burst: 20 }
    expect(table.draw('key', other, 1, T0)).toBeUndefined()
    expect(table.draw('key', RATE, 1, T0)).toBeUndefined()
  })

  it('does not serve a cost larger than the units held', () => {
    const table = tableWithLease(3)
    expect(table.draw('key', RATE, 3, T0)).toBeUndefined()
    expect(table.draw('key', RATE, 2, T0)?.success).toBe(true)
  })

  it('drops the oldest lease past its size bound', () => {
    const table = new LeaseTable(2)
    for (const key of ['a', 'b', 'c']) {
      table.keep(key, { rate: RATE, granted: 4, cost: 1, decision: granted(4) }, T0)
    }
    expect(table.size).toBe(2)
    expect(table.draw('a', RATE, 1, T0)).toBeUndefined()
    expect(table.draw('c', RATE, 1, T0)?.success).toBe(true)
  })
})
