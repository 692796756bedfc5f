/** fetch with a deadline on the response headers only, so a long stream is never cut short. */

/** Thrown when the response headers did not arrive within the deadline. */
export class HeadersTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response headers within ${timeoutMs} ms`)
    this.name = 'HeadersTimeoutError'
  }
}

/**
 * Calls fetch and aborts it unless the response headers arrive within `timeoutMs`, or when
 * `cancel` aborts first.
 */
export async function timedFetch(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  cancel?: AbortSignal,
) {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const signal = cancel ? AbortSignal.any([controller.signal, cancel]) : controller.signal

  try {
    return await fetch(url, { ...init, signal })
  } catch (error) {
    if (timedOut) throw new HeadersTimeoutError(timeoutMs)
    throw error
  } finally {
    clearTimeout(timer)
  }
}
