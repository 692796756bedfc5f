/**
 * Request counts in per-minute buckets with a latency histogram, and the request counts per UTC
 * day derived from them. Pure: no bindings, no clock; every time is passed in milliseconds.
 */

/** Upper bounds of the latency histogram buckets, in milliseconds; one more bucket is above all. */
export const LATENCY_BOUNDS_MS = [50, 100, 250, 500, 1000, 2000, 5000, 10_000] as const

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

export interface MinuteBucket {
  /** Minutes since the Unix epoch. */
  minute: number
  requests: number
  /** Responses with a 5xx status. */
  errors: number
  /** Counts per latency bucket: `histogram[i]` counts durations up to LATENCY_BOUNDS_MS[i]. */
  histogram: number[]
}

export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE_MS)
}

export function dayOf(now: number): number {
  return Math.floor(now / DAY_MS)
}

export function dayOfMinute(minute: number): number {
  return Math.floor((minute * MINUTE_MS) / DAY_MS)
}

export function emptyBucket(minute: number): MinuteBucket {
  return { minute, requests: 0, errors: 0, histogram: Array(LATENCY_BOUNDS_MS.length + 1).fill(0) }
}

/** Returns the histogram bucket a duration falls in. */
export function latencyBucket(durationMs: number): number {
  const index = LATENCY_BOUNDS_MS.findIndex((bound) => durationMs <= bound)
  return index === -1 ? LATENCY_BOUNDS_MS.length : index
}

/** Adds one request to `bucket` in place. */
export function addRequest(bucket: MinuteBucket, status: number, durationMs: number): void {
  bucket.requests += 1
  if (status >= 500) bucket.errors += 1
  const index = latencyBucket(durationMs)
  bucket.histogram[index] = (bucket.histogram[index] ?? 0) + 1
}

/** Returns the sum of the buckets, as one bucket stamped with `minute`. */
export function mergeBuckets(minute: number, buckets: readonly MinuteBucket[]): MinuteBucket {
  const total = emptyBucket(minute)
  for (const bucket of buckets) {
    total.requests += bucket.requests
    total.errors += bucket.errors
    bucket.histogram.forEach((count, index) => {
      total.histogram[index] = (total.histogram[index] ?? 0) + count
    })
  }
  return total
}

/**
 * Returns the upper bound of the histogram bucket that contains the given quantile (0 to 1), or
 * Infinity when it lies above the last bound. The true quantile is at most this bound and above
 * the previous one, so comparing against a bound that is in LATENCY_BOUNDS_MS is exact.
 */
export function quantileBound(histogram: readonly number[], quantile: number): number {
  const total = histogram.reduce((sum, count) => sum + count, 0)
  let cumulative = 0
  for (const [index, bound] of LATENCY_BOUNDS_MS.entries()) {
    cumulative += histogram[index] ?? 0
    if (total > 0 && cumulative >= quantile * total) return bound
  }
  return Infinity
}

/** Returns why `value` is not a valid MinuteBucket, or undefined when it is one. */
export function invalidBucket(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const { minute, requests, errors, histogram } = value as Record<string, unknown>
  if (!isCount(minute) || !isCount(requests) || !isCount(errors)) {
    return 'minute, requests and errors must be non-negative integers'
  }
  if (errors > requests) return 'errors exceed requests'
  if (!Array.isArray(histogram) || histogram.length !== LATENCY_BOUNDS_MS.length + 1) {
    return `histogram must have ${LATENCY_BOUNDS_MS.length + 1} counts`
  }
  if (!histogram.every(isCount)) return 'histogram counts must be non-negative integers'

  const sum = histogram.reduce((total: number, count: number) => total + count, 0)
  return sum === requests ? undefined : 'histogram counts do not add up to requests'
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
