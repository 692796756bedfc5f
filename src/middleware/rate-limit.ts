/**
 * Applies the rate-limit policy of the matching route: builds the limiter key from the caller's
 * wallet or `CF-Connecting-IP`, calls the limiter, and sets the rate-limit headers on every
 * response under a policy, including proxied responses and errors. The limiter is the backend the
 * configuration selects (src/limits/backend.ts). A rejected request gets a 429
 * `rate_limited`. When the limiter cannot be reached, a policy that fails closed returns a 503
 * `limiter_unavailable`, and a policy that fails open allows the request and logs `fail-open`.
 * Before any of that, the per-IP flood filter (src/limits/flood.ts) may reject with a 429.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { GatewayError, errorResponse } from '../errors'
import { limiterFor } from '../limits/backend'
import { decide, type LimitRequest, type Outcome } from '../limits/client'
import { checkFlood } from '../limits/flood'
import { limitHeaders, retryAfterSeconds } from '../limits/headers'
import { leaseUnits } from '../limits/lease'
import { rateOf, type TierLimit } from '../limits/policies'
import { matchRoute } from '../limits/routes'
import { callerTier, ipSubject, limiterKey, subjectOf } from '../limits/subject'
import type { AppEnv } from '../types'

/** Seconds a client should wait before retrying when the limiter is unavailable. */
const UNAVAILABLE_RETRY_AFTER = 5

/** Seconds to wait after the flood filter rejects: the binding's period in wrangler.toml. */
const FLOOD_RETRY_AFTER = 60

/** The charge the middleware made for a request, so that a handler can add to it. */
interface Charge {
  name: string
  tierLimit: TierLimit
  request: LimitRequest
  headers: Record<string, string>
}

const charges = new WeakMap<Context<AppEnv>, Charge>()

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limits = c.get('config').limits
    const route = matchRoute(limits.routes, c.req.method, c.get('url').pathname)
    const name = route?.policy
    const policy = name ? limits.policies.get(name) : undefined
    if (!route || !name || !policy) return next()

    c.get('log').policy = name
    const session = c.get('session')
    const tierLimit = policy.tiers[callerTier(session)]
    const ip = ipSubject(c.req.header('cf-connecting-ip'))
    if (c.env.FLOOD_LIMITER) {
      await filterFlood(c, ip, () => limitHeaders(name, tierLimit, undefined))
    }

    const subject = subjectOf(policy.subject, session, ip)
    const request: LimitRequest = {
      key: limiterKey(limits.keyPrefix, name, subject),
      rate: rateOf(tierLimit),
      cost: route.cost,
      failureMode: policy.failureMode,
      lease: leaseUnits(policy.lease, tierLimit.burst),
    }
    const outcome = await decide(limiterFor(c.env, limits), request)

    const state = { name, tierLimit, request, headers: limitHeaders(name, tierLimit, undefined) }
    const refusal = settle(c, state, outcome)
    if (refusal) return refusal

    charges.set(c, state)
    return next()
  }
}

/**
 * Charges `units` more to the policy the middleware charged for this request, for a handler
 * that learns the real cost only from the body (each call of a JSON-RPC batch counts). Returns
 * the 429 to send when the limiter refuses; the units charged before stay charged.
 */
export async function chargeMore(c: Context<AppEnv>, units: number): Promise<Response | void> {
  const state = charges.get(c)
  if (!state || units < 1) return

  const { name, tierLimit, request } = state
  const total = request.cost + units
  if (total > tierLimit.burst) {
    const message = `This request costs ${total} units; at most ${tierLimit.burst} fit at once.`
    throw new GatewayError(400, 'cost_above_burst', message, { reason: `${name}: cost ${total}` })
  }

  const backend = limiterFor(c.env, c.get('config').limits)
  const outcome = await decide(backend, { ...request, cost: units, lease: 1 })
  return settle(c, state, outcome)
}

/**
 * Puts the outcome's headers on the state and on the request's response, whether the origin,
 * a handler or an error produces it, and enforces the outcome (see enforce).
 */
function settle(c: Context<AppEnv>, state: Charge, outcome: Outcome): Response | undefined {
  const decision = 'decision' in outcome ? outcome.decision : undefined
  state.headers = limitHeaders(state.name, state.tierLimit, decision)
  const own = c.get('responseHeaders').own
  for (const name in state.headers) own.set(name, state.headers[name] as string)
  return enforce(c, state.name, outcome, state.headers)
}

/** Rejects the request with 429 when its IP is over the flood filter's ceiling. */
async function filterFlood(
  c: Context<AppEnv>,
  subject: string,
  headers: () => Record<string, string>,
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
      headers: { ...headers(), 'retry-after': String(FLOOD_RETRY_AFTER) },
    },
  )
}

/**
 * Records the outcome in the log line, throws for a limiter that failed closed and returns the
 * 429 for a refusal. The refusal is built here rather than thrown to the error handler: it is
 * the one error a flooding client repeats, and skipping the throw keeps its cost low.
 */
function enforce(
  c: Context<AppEnv>,
  policy: string,
  outcome: Outcome,
  headers: Record<string, string>,
): Response | undefined {
  const log = c.get('log')
  log.limit = outcome.kind

  if (outcome.kind === 'fail-open') {
    log.reason = `${policy}: ${outcome.reason}`
    return undefined
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
    const retryAfter = String(retryAfterSeconds(outcome.decision))
    log.reason = `${policy}: ${outcome.kind}`
    headers['retry-after'] = retryAfter
    const message = `Too many requests; retry in ${retryAfter} s.`
    return errorResponse(429, 'rate_limited', message, headers, c.get('responseHeaders'))
  }
  return undefined
}
