import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Rate } from '../../src/limits/gcra'
import { allowanceOf, bucketOf, decisionOf } from '../../src/limits/token-bucket'

const NOW = 1_700_000_000_000
const API_READ: Rate = { limit: 25, windowMs: 60_000, burst: 25 }
const API_WRITE: Rate = { limit: 7, windowMs: 60_000, burst: 7 }

describe('bucketOf', () => {
  it('refills one unit per emission interval when it is whole milliseconds', () => {
    expect(bucketOf(API_READ)).toEqual({ refillRate: 1, intervalMs: 2_400, maxTokens: 25 })
  })

  it('rounds a fractional emission interval up', () => {
    expect(bucketOf(API_WRITE)).toEqual({ refillRate: 1, intervalMs: 8_572, maxTokens: 7 })
  })

  it('keeps the burst as the bucket size', () => {
    const hourly = { limit: 20, windowMs: 3_600_000, burst: 5 }
    expect(bucketOf(hourly).maxTokens).toBe(5)
  })

  it('refills several units per millisecond step above 1,000 units per second', () => {
    const fast = { limit: 1_500, windowMs: 1_000, burst: 100 }
    expect(bucketOf(fast)).toEqual({ refillRate: 3, intervalMs: 2, maxTokens: 100 })
  })

  it('stays within 1 ms per unit below the rate', () => {
    const rates = fc.record({
      limit: fc.integer({ min: 1, max: 100_000 }),
      window: fc.integer({ min: 1, max: 86_400 }),
    })
    fc.assert(
      fc.property(rates, ({ limit, window }) => {
        const windowMs = window * 1000
        const bucket = bucketOf({ limit, windowMs, burst: 1 })
        const perMs = bucket.refillRate / bucket.intervalMs
        const slowest = 1 / (windowMs / limit + 1)
        expect(Number.isInteger(bucket.intervalMs)).toBe(true)
        expect(perMs).toBeLessThanOrEqual(limit / windowMs + 1e-12)
        expect(perMs).toBeGreaterThanOrEqual(Math.min(slowest, limit / windowMs) - 1e-12)
      }),
    )
  })
})

describe('decisionOf', () => {
  const bucket = bucketOf(API_READ)

  it('reports an allowed request with the tokens left', () => {
    const decision = decisionOf(
      API_READ,
      bucket,
      { success: true, remaining: 24, reset: NOW + 2_400 },
      NOW,
    )
    expect(decision).toEqual({
      success: true,
      limit: 25,
      remaining: 24,
      resetMs: 2_400,
      retryAfterMs: 0,
    })
  })

  it('counts every missing token in the time to a full bucket', () => {
    const state = { success: true, remaining: 20, reset: NOW + 1_000 }
    expect(decisionOf(API_READ, bucket, state, NOW).resetMs).toBe(1_000 + 4 * 2_400)
  })

  it('gives a refusal the time to the next refill as Retry-After', () => {
    const state = { success: false, remaining: 0, reset: NOW + 1_500 }
    const decision = decisionOf(API_READ, bucket, state, NOW)
    expect(decision.success).toBe(false)
    expect(decision.remaining).toBe(0)
    expect(decision.retryAfterMs).toBe(1_500)
  })

  it('keeps a refusal retry time positive when the refill is due', () => {
    const state = { success: false, remaining: 0, reset: NOW - 5 }
    expect(decisionOf(API_READ, bucket, state, NOW).retryAfterMs).toBe(1)
  })

  it('reports the policy limit, not the bucket size', () => {
    const hourly = { limit: 20, windowMs: 3_600_000, burst: 5 }
    const state = { success: true, remaining: 4, reset: NOW + 1_000 }
    expect(decisionOf(hourly, bucketOf(hourly), state, NOW).limit).toBe(20)
  })
})

describe('allowanceOf', () => {
  const bucket = bucketOf(API_READ)

  it('reports a key the store does not hold as full', () => {
    const decision = allowanceOf(API_READ, bucket, { remaining: 25, reset: NOW + 2_400 }, NOW)
    expect(decision.remaining).toBe(25)
    expect(decision.resetMs).toBe(0)
  })

  it('adds the refills since the stored time', () => {
    // Stored 10 tokens; the next refill was due 5,000 ms ago, so 3 refills have happened.
    const decision = allowanceOf(API_READ, bucket, { remaining: 10, reset: NOW - 5_000 }, NOW)
    expect(decision.remaining).toBe(13)
  })

  it('puts the next refill after the ones already counted', () => {
    const decision = allowanceOf(API_READ, bucket, { remaining: 10, reset: NOW - 5_000 }, NOW)
    expect(decision.resetMs).toBe(2_200 + 11 * 2_400)
  })

  it('caps the refilled tokens at the bucket size', () => {
    const decision = allowanceOf(API_READ, bucket, { remaining: 24, reset: NOW - 60_000 }, NOW)
    expect(decision.remaining).toBe(25)
  })
})
