/**
 * Maps a GCRA rate to the token bucket of @upstash/ratelimit and its results back to a GCRA
 * Decision, as pure functions: no bindings and no clock, so the caller passes `now`.
 *
 * GCRA with emission interval T = window / limit and tolerance burst × T is a token bucket that
 * holds at most `burst` tokens and gains one every T. Upstash's `tokenBucket(refillRate,
 * interval, maxTokens)` adds `refillRate` whole tokens at the end of each `interval` (whole
 * milliseconds), so a tier maps to `tokenBucket(1, T, burst)` when T is a whole number of
 * milliseconds. Otherwise T is rounded up to the next millisecond, which makes the rate slower by
 * less than 1 ms per unit and never faster than the policy. Below 1 ms per unit (more than 1,000
 * units per second), the bucket refills `limit / g` units every `window / g` ms, where g is the
 * greatest common divisor of the window in ms and the limit: the exact rate, in larger steps.
 */
import type { Decision, Rate } from './gcra'

/** The arguments of `Ratelimit.tokenBucket`; `intervalMs` is a whole number of milliseconds. */
export interface Bucket {
  refillRate: number
  intervalMs: number
  maxTokens: number
}

/** The result of one bucket call: tokens left, and the time of the next refill (ms). */
export interface BucketState {
  success: boolean
  remaining: number
  reset: number
}

/** Returns the token bucket that enforces `rate` with whole-millisecond refill intervals. */
export function bucketOf(rate: Rate): Bucket {
  const emission = rate.windowMs / rate.limit
  if (emission >= 1) {
    return { refillRate: 1, intervalMs: Math.ceil(emission), maxTokens: rate.burst }
  }

  const divisor = gcd(Math.round(rate.windowMs), rate.limit)
  return {
    refillRate: rate.limit / divisor,
    intervalMs: Math.round(rate.windowMs) / divisor,
    maxTokens: rate.burst,
  }
}

/**
 * Converts the result of a `limit` call into a Decision. On a refusal Upstash reports no token
 * count, so `remaining` is 0 and `retryAfterMs` is the time to the next refill: the earliest
 * moment the bucket can change, which keeps a cached refusal correct for any cost.
 */
export function decisionOf(rate: Rate, bucket: Bucket, state: BucketState, now: number): Decision {
  const nextRefill = Math.max(0, state.reset - now)
  if (!state.success) {
    return {
      success: false,
      limit: rate.limit,
      remaining: 0,
      resetMs: timeToFull(bucket, 0, nextRefill),
      retryAfterMs: Math.max(1, nextRefill),
    }
  }

  return {
    success: true,
    limit: rate.limit,
    remaining: state.remaining,
    resetMs: timeToFull(bucket, state.remaining, nextRefill),
    retryAfterMs: 0,
  }
}

/**
 * Converts the result of `getRemaining`, which returns the stored token count and the stored
 * refill time plus one interval without applying refills since then, into the current
 * allowance. A key Upstash does not hold (never used, or expired once full) has every token.
 */
export function allowanceOf(
  rate: Rate,
  bucket: Bucket,
  stored: { remaining: number; reset: number },
  now: number,
): Decision {
  const elapsed = stored.reset <= now ? Math.floor((now - stored.reset) / bucket.intervalMs) + 1 : 0
  const tokens = Math.min(bucket.maxTokens, stored.remaining + elapsed * bucket.refillRate)
  const nextRefill = stored.reset + elapsed * bucket.intervalMs - now

  return {
    success: tokens > 0,
    limit: rate.limit,
    remaining: tokens,
    resetMs: timeToFull(bucket, tokens, nextRefill),
    retryAfterMs: 0,
  }
}

/** Time until the bucket contains `maxTokens` again if no one takes more. */
function timeToFull(bucket: Bucket, tokens: number, nextRefill: number): number {
  if (tokens >= bucket.maxTokens) return 0
  const refills = Math.ceil((bucket.maxTokens - tokens) / bucket.refillRate)
  return nextRefill + (refills - 1) * bucket.intervalMs
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}
