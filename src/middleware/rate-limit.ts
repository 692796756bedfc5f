/**
 * Applies the rate-limit policy of the matching route: builds the limiter key from the caller's
 * wallet or `CF-Connecting-IP`, calls the limiter, and sets the rate-limit headers on every
 * response under a policy, including proxied responses and errors. A rejected request gets a 429
 * `rate_limited`. When the limiter cannot be reached, a policy that fails closed returns a 503
 * `limiter_unavailable`, and a policy that fails open allows the request and logs `fail-open`.
 * Before any of that, the per-IP flood filter (src/limits/flood.ts) may reject with a 429.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { GatewayError } from '../errors'
import { decide, type Outcome } from '../limits/client'
import { checkFlood } from '../limits/flood'
import { limitHeaders, retryAfterSeconds } from '../limits/headers'
import { rateOf } from '../limits/policies'
import { matchRoute } from '../limits/routes'
import { callerTier, ipSubject, limiterKey, subjectFor } from '../limits/subject'
import type { AppEnv } from '../types'

/** Seconds a client should wait before retrying when the limiter is unavailable. */
const UNAVAILABLE_RETRY_AFTER = 5

/** Seconds to wait after the flood filter rejects: the binding's period in wrangler.toml. */
const FLOOD_RETRY_AFTER = 60

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limits = c.get('config').limits
    const route = matchRoute(limits.routes, c.req.method, new URL(c.req.url).pathname)
    const policy = route?.policy ? limits.policies.get(route.policy) : undefined
    if (!route?.policy || !policy) return next()

    const session = c.get('session')
    const tierLimit = policy.tiers[callerTier(session)]
    const ip = c.req.header('cf-connecting-ip')
    await filterFlood(c, ipSubject(ip), limitHeaders(route.policy, tierLimit, undefined))

    const subject = subjectFor(policy.subject, session, ip)
    const outcome = await decide(c.env.RATE_LIMITER, {
      key: limiterKey(limits.keyPrefix, route.policy, subject),
      rate: rateOf(tierLimit),
      cost: route.cost,
      failureMode: policy.failureMode,
    })

    const decision = 'decision' in outcome ? outcome.decision : undefined
    const headers = limitHeaders(route.policy, tierLimit, decision)
    enforce(c, route.policy, outcome, headers)

    await next()
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}

/** Rejects the request with 429 when its IP is over the flood filter's ceiling. */
async function filterFlood(
  c: Context<AppEnv>,
  subject: string,
  headers: Record<string, string>,
): Promise<void> {
  const keyPrefix = c.get('config').limits.keyPrefix
  const flood = await checkFlood(c.env.FLOOD_LIMITER, keyPrefix, subject)
  if (flood.allowed) {
    if (flood.reason) c.get('log').reason = flood.reason
    return
  }

  c.get('log').limit = 'flood'
  throw new GatewayError(
    429,
    'rate_limited',
    `Too many requests; retry in ${FLOOD_RETRY_AFTER} s.`,
    {
      reason: 'flood filter',
      headers: { ...headers, 'retry-after': String(FLOOD_RETRY_AFTER) },
    },
  )
}

/** Records the outcome in the log line and throws for a refusal or a limiter that failed closed. */
function enforce(
  c: Context<AppEnv>,
  policy: string,
  outcome: Outcome,
  headers: Record<string, string>,
): void {
  c.get('log').limit = outcome.kind

  if (outcome.kind === 'fail-open') {
    c.get('log').reason = `${policy}: ${outcome.reason}`
    return
  }

  if (outcome.kind === 'fail-closed') {
    throw new GatewayError(
      503,
      'limiter_unavailable',
      'The rate limiter is unavailable; retry later.',
      {
        reason: `${policy}: ${outcome.reason}`,
        headers: { ...headers, 'retry-after': String(UNAVAILABLE_RETRY_AFTER) },
      },
    )
  }

  if (outcome.kind === 'refused' || outcome.kind === 'cached-refusal') {
    const retryAfter = retryAfterSeconds(outcome.decision)
    throw new GatewayError(429, 'rate_limited', `Too many requests; retry in ${retryAfter} s.`, {
      reason: `${policy}: ${outcome.kind}`,
      headers: { ...headers, 'retry-after': String(retryAfter) },
    })
  }
}
