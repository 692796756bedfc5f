/**
 * The caller's current allowance under every policy, for `GET /_edge/session`. It reads each
 * key from the configured backend with `peek`, which consumes nothing.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../types'
import { limiterFor } from './backend'
import { rateOf } from './policies'
import { callerTier, limiterKey, subjectFor } from './subject'

/** One policy's allowance; `reset` and `window` are in seconds. */
export interface LimitSummary {
  policy: string
  limit: number
  remaining: number
  /** Seconds until the full allowance is back; 0 when it is full. */
  reset: number
  window: number
}

/**
 * Returns the caller's allowance under each policy a route uses, in route order. A policy whose
 * limiter call fails or times out is left out rather than reported with guessed numbers.
 * NOTE: for a policy with a lease, `remaining` is the backend's count, which leaves out the units
 * isolates still hold in leases, so it can be lower than what the caller may still send.
 */
export async function currentLimits(c: Context<AppEnv>): Promise<LimitSummary[]> {
  const limits = c.get('config').limits
  const session = c.get('session')
  const ip = c.req.header('cf-connecting-ip')
  const names = [...new Set(limits.routes.map((route) => route.policy))]
  const backend = limiterFor(c.env, limits)

  const summaries = await Promise.all(
    names.map(async (name) => {
      const policy = name === null ? undefined : limits.policies.get(name)
      if (name === null || !policy) return undefined

      const tierLimit = policy.tiers[callerTier(session)]
      const rate = rateOf(tierLimit)
      const key = limiterKey(limits.keyPrefix, name, subjectFor(policy.subject, session, ip))
      const result = await backend.peek(key, rate)
      if (!result.ok) return undefined

      const { remaining, resetMs } = result.value
      const reset = Math.ceil(resetMs / 1000)
      return { policy: name, limit: tierLimit.limit, remaining, reset, window: tierLimit.window }
    }),
  )
  return summaries.filter((summary) => summary !== undefined)
}
