/**
 * Rates measured inside workerd by the micro-benchmark Worker. Each loop is timed from outside as
 * the wall time of its request, less the time of the same request with a count of zero.
 */
async function timeRequest(url) {
  const started = performance.now()
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url} returned ${response.status}`)
  await response.json()
  return performance.now() - started
}

async function ratePerSecond(baseUrl, count) {
  const empty = await timeRequest(baseUrl.replace(/count=\d+/, 'count=0'))
  const elapsed = await timeRequest(baseUrl)
  return Math.round(count / ((elapsed - empty) / 1000))
}

/** Resolves to verifications per second for WebCrypto and tweetnacl. */
export async function measureVerify(microUrl, scale) {
  const webcrypto = Math.round(20_000 * scale)
  const tweetnacl = Math.round(500 * scale)
  await timeRequest(`${microUrl}/verify?impl=webcrypto&count=100`)
  return {
    webcrypto: await ratePerSecond(
      `${microUrl}/verify?impl=webcrypto&count=${webcrypto}`,
      webcrypto,
    ),
    tweetnacl: await ratePerSecond(
      `${microUrl}/verify?impl=tweetnacl&count=${tweetnacl}`,
      tweetnacl,
    ),
  }
}

/** Resolves to limiter decisions per second on one hot key, sequential and 32 at a time. */
export async function measureLimiter(microUrl, scale) {
  const count = Math.round(20_000 * scale)
  await timeRequest(`${microUrl}/limiter?count=100&concurrency=1`)
  return {
    sequential: await ratePerSecond(`${microUrl}/limiter?count=${count}&concurrency=1`, count),
    concurrent_32: await ratePerSecond(`${microUrl}/limiter?count=${count}&concurrency=32`, count),
  }
}
