/**
 * One Workers Analytics Engine data point per request. The builder is pure; `writeMetrics`
 * skips quietly when the `METRICS` binding is absent, as in a setup without Analytics Engine.
 *
 * Layout, which queries against the dataset rely on:
 *   index1   the rate-limit policy of the route, else the route class
 *   blob1..6 route class, status class, origin, tier, limit outcome, cluster
 *   double1  duration in milliseconds
 *   double2  HTTP status
 */

export interface RequestSample {
  pathname: string
  status: number
  durationMs: number
  policy: string | undefined
  origin: string | undefined
  tier: string
  limit: string | undefined
  cluster: string
}

/** The Analytics Engine limit for one index, in bytes. */
const MAX_INDEX_BYTES = 96

/** Returns the route class: the gateway's own route family, or `proxy` for proxied paths. */
export function routeClass(pathname: string): string {
  if (pathname === '/_edge/health' || pathname.startsWith('/_edge/health/')) return 'health'
  if (pathname.startsWith('/_edge/siws/')) return 'siws'
  if (pathname === '/_edge/session') return 'session'
  if (pathname === '/_edge/rpc') return 'rpc'
  if (pathname.startsWith('/_edge/')) return 'edge'
  return 'proxy'
}

/** Returns `1xx` to `5xx`, or `other` for a status outside 100 to 599. */
export function statusClass(status: number): string {
  if (!Number.isInteger(status) || status < 100 || status > 599) return 'other'
  return `${Math.floor(status / 100)}xx`
}

/** Builds the data point for one request. Empty strings stand for fields that do not apply. */
export function dataPoint(sample: RequestSample): AnalyticsEngineDataPoint {
  const route = routeClass(sample.pathname)
  const index = truncateBytes(sample.policy ?? route, MAX_INDEX_BYTES)
  return {
    indexes: [index],
    blobs: [
      route,
      statusClass(sample.status),
      sample.origin ?? '',
      sample.tier,
      sample.limit ?? '',
      sample.cluster,
    ],
    doubles: [sample.durationMs, sample.status],
  }
}

/** Returns the longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`. */
function truncateBytes(text: string, maxBytes: number): string {
  // A UTF-16 code unit encodes to at most 3 UTF-8 bytes, so short text needs no encoding.
  if (text.length * 3 <= maxBytes) return text

  let result = text
  while (new TextEncoder().encode(result).length > maxBytes) result = result.slice(0, -1)
  return result
}

/** Writes the request's data point when the dataset is bound. Never throws. */
export function writeMetrics(
  dataset: AnalyticsEngineDataset | undefined,
  sample: RequestSample,
): void {
  if (!dataset) return
  try {
    dataset.writeDataPoint(dataPoint(sample))
  } catch {
    // writeDataPoint only queues the point; a failure here must not fail the request.
  }
}
