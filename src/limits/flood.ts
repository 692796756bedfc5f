/**
 * Per-IP flood filter on the Workers Rate Limiting binding (`FLOOD_LIMITER`). It is checked
 * before any limiter object, so a single address flooding the gateway costs no Durable Object
 * calls. The binding counts per Cloudflare location and is eventually consistent, so this is a
 * coarse ceiling; the exact per-policy limits stay with the RateLimiter objects.
 */

export type FloodResult = { allowed: true; reason?: string } | { allowed: false }

/**
 * Checks `subject` (an `ip:` subject) against the binding. Without the binding, or when it
 * throws, the request is allowed with a reason for the log, because the exact limiter still runs.
 */
export async function checkFlood(
  binding: RateLimit | undefined,
  keyPrefix: string,
  subject: string,
): Promise<FloodResult> {
  if (!binding) return { allowed: true }

  try {
    const outcome = await binding.limit({ key: `${keyPrefix}:${subject}` })
    return outcome.success ? { allowed: true } : { allowed: false }
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error
    return { allowed: true, reason: `flood filter failed: ${name}` }
  }
}
