/**
 * Loads the rate-limit configuration: the default policies and routes, with the optional
 * `RATE_LIMIT_POLICIES` JSON merged over them, validated once at start. A bad value throws a
 * ConfigError naming the field and the value, e.g.
 * `policies.swap.tiers.BETA.limit is -1; expected a positive integer`.
 *
 * Override format: `{"policies": {...}, "routes": [...]}`, both optional. A policy merges field
 * by field over the default of the same name, and a new policy must give `failureMode` and all
 * six tiers. `lease` (units, or a fraction of the burst; 1 for none) is allowed only on a policy
 * that fails open, and a policy switched to `closed` drops its default lease. Override routes are
 * checked before the default routes.
 */
import type { Cluster } from '../cluster'
import type { Env } from '../env'
import { ConfigError } from '../errors'
import { loadBackendConfig, type BackendConfig } from './backend-config'
import { DEFAULT_POLICIES, DEFAULT_ROUTES, type Policy, type Route } from './policies'
import { TIERS } from './tiers'
import { checkKeys, isRecord, parseLease, parseRoute, parseTierLimit } from './validate'

export interface LimitsConfig {
  /** Prefix of every limiter key, so clusters never share a counter. */
  keyPrefix: string
  policies: ReadonlyMap<string, Policy>
  routes: readonly Route[]
  /** Store of the counters: the RateLimiter Durable Objects or an Upstash Redis database. */
  backend: BackendConfig
}

const POLICY_NAME = /^[a-z][a-z0-9-]{0,31}$/

/**
 * Returns the validated limits for these bindings; throws ConfigError on a bad override or
 * backend. `secure` (https required) defaults to true outside local development.
 */
export function loadLimitsConfig(
  env: Env,
  context: { cluster: Cluster; secure?: boolean },
): LimitsConfig {
  const override = parseOverride(env.RATE_LIMIT_POLICIES)
  checkKeys(override, 'RATE_LIMIT_POLICIES', ['policies', 'routes'])

  const policies = mergePolicies(override.policies)
  const routes = [...parseRoutes(override.routes), ...DEFAULT_ROUTES]
  for (const [index, route] of routes.entries()) checkRoute(route, index, policies)

  const secure = context.secure ?? env.ENVIRONMENT !== 'development'
  const backend = loadBackendConfig(env, secure)
  return { keyPrefix: context.cluster.keyPrefix, policies, routes, backend }
}

function parseOverride(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {}

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ConfigError('RATE_LIMIT_POLICIES', text, 'a JSON object')
  }

  if (!isRecord(value)) throw new ConfigError('RATE_LIMIT_POLICIES', value, 'a JSON object')
  return value
}

function mergePolicies(value: unknown): Map<string, Policy> {
  const policies = new Map(Object.entries(DEFAULT_POLICIES))
  if (value === undefined) return policies
  if (!isRecord(value)) throw new ConfigError('policies', value, 'an object of policies')

  for (const [name, entry] of Object.entries(value)) {
    if (!POLICY_NAME.test(name)) {
      throw new ConfigError(`policies.${name}`, name, 'a policy name of a-z, 0-9 and -')
    }
    policies.set(name, mergePolicy(name, entry, policies.get(name)))
  }
  return policies
}

function mergePolicy(name: string, value: unknown, base: Policy | undefined): Policy {
  const field = `policies.${name}`
  if (!isRecord(value)) throw new ConfigError(field, value, 'an object')
  checkKeys(value, field, ['failureMode', 'subject', 'tiers', 'lease'])

  const failureMode = value.failureMode ?? base?.failureMode
  if (failureMode !== 'open' && failureMode !== 'closed') {
    throw new ConfigError(`${field}.failureMode`, failureMode, '"open" or "closed"')
  }

  const subject = value.subject ?? base?.subject ?? 'caller'
  if (subject !== 'caller' && subject !== 'ip') {
    throw new ConfigError(`${field}.subject`, subject, '"caller" or "ip"')
  }

  const tiers = value.tiers ?? {}
  if (!isRecord(tiers)) throw new ConfigError(`${field}.tiers`, tiers, 'an object of tiers')
  checkKeys(tiers, `${field}.tiers`, TIERS)

  const merged = Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      parseTierLimit(tiers[tier], base?.tiers[tier], `${field}.tiers.${tier}`),
    ]),
  )
  const lease = parseLease(value.lease, failureMode === 'open' ? base?.lease : undefined, field)
  if (lease !== undefined && lease !== 1 && failureMode === 'closed') {
    throw new ConfigError(`${field}.lease`, lease, 'no lease on a policy that fails closed')
  }

  const policy: Policy = { failureMode, subject, tiers: merged as Policy['tiers'] }
  return lease === undefined ? policy : { ...policy, lease }
}

function parseRoutes(value: unknown): Route[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new ConfigError('routes', value, 'an array of routes')
  return value.map((entry, index) => parseRoute(entry, `routes[${index}]`))
}

function checkRoute(route: Route, index: number, policies: ReadonlyMap<string, Policy>): void {
  if (route.policy === null) return

  const policy = policies.get(route.policy)
  if (!policy) {
    throw new ConfigError(`routes[${index}].policy`, route.policy, 'the name of a policy')
  }

  const smallestBurst = Math.min(...TIERS.map((tier) => policy.tiers[tier].burst))
  if (route.cost > smallestBurst) {
    const expected = `at most the smallest burst of policy "${route.policy}" (${smallestBurst})`
    throw new ConfigError(`routes[${index}].cost`, route.cost, expected)
  }
}
