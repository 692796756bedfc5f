import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { clusterFor } from '../../src/cluster'
import type { Env } from '../../src/env'
import { ConfigError } from '../../src/errors'
import { loadLimitsConfig } from '../../src/limits/config'

const devnet = { cluster: clusterFor('devnet') }

function load(override: unknown) {
  const text = typeof override === 'string' ? override : JSON.stringify(override)
  return loadLimitsConfig({ ...(env as unknown as Env), RATE_LIMIT_POLICIES: text }, devnet)
}

describe('loadLimitsConfig', () => {
  it('uses the cluster key prefix', () => {
    const config = loadLimitsConfig(env as unknown as Env, { cluster: clusterFor('mainnet-beta') })
    expect(config.keyPrefix).toBe('mainnet-beta')
  })

  it('gives the middle tiers the default swap limit', () => {
    const config = load('')
    expect(config.policies.get('swap')?.tiers.BETA).toEqual({ limit: 10, window: 60, burst: 10 })
  })

  it('scales limits from ANONYMOUS lowest to ADMIN highest', () => {
    const tiers = load('').policies.get('api-read')?.tiers
    expect(tiers?.ANONYMOUS.limit).toBe(25)
    expect(tiers?.ADMIN.limit).toBe(1000)
  })

  it('merges an override field by field over the default', () => {
    const config = load({ policies: { swap: { tiers: { BETA: { limit: 5, burst: 2 } } } } })
    expect(config.policies.get('swap')?.tiers.BETA).toEqual({ limit: 5, window: 60, burst: 2 })
    expect(config.policies.get('swap')?.tiers.ALPHA.limit).toBe(20)
  })

  it('checks override routes before the defaults', () => {
    const config = load({ routes: [{ prefix: '/api/trading/swap', policy: 'quote', cost: 2 }] })
    expect(config.routes[0]).toEqual({
      methods: undefined,
      prefix: '/api/trading/swap',
      policy: 'quote',
      cost: 2,
    })
  })

  it('accepts a new policy with every tier', () => {
    const tier = { limit: 5, window: 60, burst: 5 }
    const tiers = {
      ANONYMOUS: tier,
      WAITLIST: tier,
      EARLY_ACCESS: tier,
      BETA: tier,
      ALPHA: tier,
      ADMIN: tier,
    }
    const config = load({ policies: { export: { failureMode: 'closed', tiers } } })
    expect(config.policies.get('export')?.failureMode).toBe('closed')
  })

  it('gives api-read and pages a lease by default and swap none', () => {
    const policies = load('').policies
    expect(policies.get('api-read')?.lease).toBe(0.1)
    expect(policies.get('pages')?.lease).toBe(0.1)
    expect(policies.get('swap')?.lease).toBeUndefined()
  })

  it('accepts a lease in units on a policy that fails open', () => {
    const config = load({ policies: { quote: { lease: 5 } } })
    expect(config.policies.get('quote')?.lease).toBe(5)
  })

  it('drops the default lease of a policy switched to fail closed', () => {
    const config = load({ policies: { pages: { failureMode: 'closed' } } })
    expect(config.policies.get('pages')?.lease).toBeUndefined()
  })

  const invalid: Array<[string, unknown, string]> = [
    [
      'a lease on a policy that fails closed',
      { policies: { swap: { lease: 2 } } },
      'policies.swap.lease is 2; expected no lease on a policy that fails closed',
    ],
    [
      'a lease that is neither whole nor a fraction',
      { policies: { pages: { lease: 1.5 } } },
      'policies.pages.lease is 1.5; expected a whole number of units or a fraction below 1',
    ],
    [
      'a negative limit',
      { policies: { swap: { tiers: { BETA: { limit: -1 } } } } },
      'policies.swap.tiers.BETA.limit is -1; expected a positive integer',
    ],
    [
      'a burst above the limit',
      { policies: { swap: { tiers: { BETA: { limit: 5 } } } } },
      'policies.swap.tiers.BETA.burst is 10; expected a positive integer no greater than limit (5)',
    ],
    [
      'a window longer than a day',
      { policies: { swap: { tiers: { BETA: { window: 90_000 } } } } },
      'policies.swap.tiers.BETA.window is 90000; expected at most 86400 seconds',
    ],
    [
      'an unknown tier',
      { policies: { swap: { tiers: { GOLD: { limit: 1 } } } } },
      'policies.swap.tiers.GOLD is {"limit":1}',
    ],
    [
      'a misspelt field',
      { policies: { swap: { tiers: { BETA: { limt: 1 } } } } },
      'policies.swap.tiers.BETA.limt is 1',
    ],
    [
      'an unknown failure mode',
      { policies: { swap: { failureMode: 'sometimes' } } },
      'policies.swap.failureMode is "sometimes"; expected "open" or "closed"',
    ],
    [
      'a new policy without tiers',
      { policies: { export: { failureMode: 'open' } } },
      'policies.export.tiers.ANONYMOUS.limit is undefined',
    ],
    [
      'a route to an unknown policy',
      { routes: [{ prefix: '/x', policy: 'nope' }] },
      'routes[0].policy is "nope"; expected the name of a policy',
    ],
    [
      'a route cost above the burst',
      { routes: [{ prefix: '/x', policy: 'swap', cost: 3 }] },
      'routes[0].cost is 3; expected at most the smallest burst of policy "swap" (2)',
    ],
    [
      'a route prefix without a slash',
      { routes: [{ prefix: 'api', policy: 'swap' }] },
      'routes[0].prefix is "api"; expected a path prefix starting with /',
    ],
    [
      'a lower-case method',
      { routes: [{ prefix: '/x', policy: 'swap', methods: ['get'] }] },
      'routes[0].methods is ["get"]',
    ],
    [
      'text that is not JSON',
      '{policies',
      'RATE_LIMIT_POLICIES is "{policies"; expected a JSON object',
    ],
    ['a JSON array', [], 'RATE_LIMIT_POLICIES is []; expected a JSON object'],
  ]

  for (const [name, override, message] of invalid) {
    it(`rejects ${name} naming the field and value`, () => {
      expect(() => load(override)).toThrow(ConfigError)
      expect(() => load(override)).toThrow(message)
    })
  }
})
