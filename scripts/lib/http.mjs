/**
 * Small HTTP helpers for the scripts: bounded waits and fetches with a timeout.
 */
const REQUEST_TIMEOUT_MS = 10_000

/** Fetches `url`, giving up when no response head arrives within `timeoutMs`. */
export async function fetchWithTimeout(url, init = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    return await fetch(url, { ...init, signal: controller.signal, redirect: 'manual' })
  } finally {
    clearTimeout(timer)
  }
}

/** Resolves to true when `url` responds with any HTTP status within `timeoutMs`. */
export async function answers(url, timeoutMs = 1000) {
  try {
    const response = await fetchWithTimeout(url, {}, timeoutMs)
    await response.body?.cancel()
    return true
  } catch {
    return false
  }
}

/**
 * Polls `url` until it responds with 200 or `timeoutMs` passes. `isAlive` lets the caller stop early,
 * for example when the server's process has exited.
 */
export async function waitForOk(url, { timeoutMs = 60_000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isAlive()) return false
    try {
      const response = await fetchWithTimeout(url, {}, 2000)
      await response.body?.cancel()
      if (response.status === 200) return true
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return false
}
