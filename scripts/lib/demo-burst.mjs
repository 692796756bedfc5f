/**
 * Drives one rate-limit policy past its limit. The limit is read from the gateway's
 * X-RateLimit-* headers, never assumed, and the burst stays within BURST_BUDGET requests.
 */
const BURST_BUDGET = 300
const CONCURRENCY = 10

/** Extra requests past the advertised remaining count, in case a window rolls over mid-burst. */
const ROLLOVER_SLACK = 5

/**
 * Candidate policies, preferred first. Signed-in API reads are keyed by the demo's fresh
 * wallet, so exceeding them leaves the sign-in policy of this IP address usable for the next run.
 */
const TARGETS = [
  { name: 'GET /api/demo/items signed in', method: 'GET', path: '/api/demo/items', signedIn: true },
  { name: 'POST /_edge/siws/challenge', method: 'POST', path: '/_edge/siws/challenge', json: {} },
]

function send(request, target, token) {
  const options = { json: target.json, token: target.signedIn ? token : undefined }
  return request(target.method, target.path, options)
}

function remainingOf(response) {
  const value = response.headers.get('x-ratelimit-remaining')
  return value === null || !/^[0-9]+$/.test(value) ? undefined : Number(value)
}

/** Probes each target once and returns the first one that fits the budget, else the smallest. */
async function chooseTarget(request, token) {
  const probes = []
  for (const target of TARGETS) {
    const response = await send(request, target, token)
    const remaining = remainingOf(response)
    if (remaining === undefined) continue
    if (remaining < BURST_BUDGET) return { target, remaining }
    probes.push({ target, remaining })
  }

  probes.sort((a, b) => a.remaining - b.remaining)
  return probes[0]
}

/**
 * Sends requests to the chosen policy in small parallel batches until one gets
 * anything but a success. Resolves to that response (or the last one), the number of
 * successes before it and the target's name.
 */
export async function burstUntilRejected(request, token) {
  const choice = await chooseTarget(request, token)
  if (!choice) {
    const response = { status: 0, headers: new Map(), body: undefined }
    return { response, accepted: 0, target: 'no route with X-RateLimit-Remaining' }
  }

  const { target, remaining } = choice
  const total = Math.min(remaining + 1 + ROLLOVER_SLACK, BURST_BUDGET)
  let accepted = 0
  let last
  for (let sent = 0; sent < total; sent += CONCURRENCY) {
    const size = Math.min(CONCURRENCY, total - sent)
    const batch = await Promise.all(
      Array.from({ length: size }, () => send(request, target, token)),
    )
    const stop = batch.find((response) => response.status >= 400)
    accepted += batch.filter((response) => response.status < 400).length
    last = stop ?? batch[batch.length - 1]
    if (stop) break
  }

  return { response: last, accepted, target: target.name }
}
