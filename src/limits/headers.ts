/**
 * Rate-limit response headers. `RateLimit-Policy` and `RateLimit` follow the structured-field
 * form of "RateLimit header fields for HTTP", draft-ietf-httpapi-ratelimit-headers-11 (May 2026):
 * `RateLimit-Policy: "<policy>";q=<quota>;w=<window s>` and `RateLimit: "<policy>";r=<available
 * units>;t=<effective window s>`. The `X-RateLimit-*` fields repeat the numbers for clients that
 * only read the older de facto headers; `X-RateLimit-Reset` is seconds from now, not a timestamp.
 */
import type { Decision } from './gcra'
import type { TierLimit } from './policies'

/**
 * Returns the headers for a response under `policy`. Without a decision (the limiter was
 * unavailable and the policy fails open) only the policy and its limit are known.
 *
 * `t` is the time until the full allowance is back. On a refusal it is the time until the
 * request may be retried instead, so that Retry-After never points before the end of the
 * effective window, as section 6 of the draft requires.
 *
 * NOTE: under a policy whose burst is below its limit, the full allowance is the burst, so `r`
 * never reaches the quota `q` and `t` is 0 once `r` equals the burst.
 */
export function limitHeaders(
  policy: string,
  tierLimit: TierLimit,
  decision: Decision | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': `"${policy}";q=${tierLimit.limit};w=${tierLimit.window}`,
    'x-ratelimit-limit': String(tierLimit.limit),
  }
  if (!decision) return headers

  const seconds = decision.success
    ? Math.ceil(decision.resetMs / 1000)
    : retryAfterSeconds(decision)
  headers['ratelimit'] = `"${policy}";r=${decision.remaining};t=${seconds}`
  headers['x-ratelimit-remaining'] = String(decision.remaining)
  headers['x-ratelimit-reset'] = String(seconds)
  return headers
}

/** Retry-After in whole seconds, rounded up and at least 1 (RFC 9110, section 10.2.3). */
export function retryAfterSeconds(decision: Decision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
}
