/**
 * One load run with autocannon against a URL on 127.0.0.1, reduced to the figures the benchmark
 * reports. Runs are bounded by duration and stop by themselves.
 */
import autocannon from 'autocannon'

/** Runs load and resolves to { rps, p50, p99, requests, non2xx, errors }; latencies in ms. */
export function runLoad({ url, method = 'GET', headers = {}, connections, seconds, rate }) {
  const options = {
    url,
    method,
    headers,
    connections,
    duration: seconds,
    pipelining: 1,
    ...(rate ? { overallRate: rate } : {}),
  }

  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) return reject(error)
      resolve({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      })
    })
  })
}

/** Returns the median of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[middle]
  return (sorted[middle - 1] + sorted[middle]) / 2
}
