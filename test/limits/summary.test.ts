import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { currentLimits, type LimitSummary } from '../../src/limits/summary'
import type { AppEnv, Session } from '../../src/types'
import { stubFor } from './helpers'

/** An app that returns currentLimits for the given session, as `GET /_edge/session` would. */
function appFor(session: Session | null) {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    c.set('config', loadConfig(c.env))
    c.set('session', session)
    return c.json(await currentLimits(c))
  })
  return app
}

async function limitsFor(session: Session | null, ip: string): Promise<LimitSummary[]> {
  const response = await appFor(session).request('/', { headers: { 'cf-connecting-ip': ip } }, env)
  return response.json<LimitSummary[]>()
}

function walletSession(): Session {
  const address = `Wa11et${crypto.randomUUID().replaceAll('-', '')}`
  return { address, tier: 'BETA', expiresAt: 0, jti: undefined, issuer: 'gateway' }
}

describe('currentLimits', () => {
  it('lists every policy a route uses', async () => {
    const limits = await limitsFor(null, '203.0.113.50')
    expect(limits.map((entry) => entry.policy)).toEqual([
      'swap',
      'quote',
      'social-publish',
      'ai-generation',
      'siws',
      'rpc',
      'api-read',
      'api-write',
      'pages',
    ])
  })

  it("reports the caller's tier limits and window in seconds", async () => {
    const limits = await limitsFor(walletSession(), '203.0.113.51')
    const swap = limits.find((entry) => entry.policy === 'swap')
    expect(swap).toEqual({ policy: 'swap', limit: 10, remaining: 10, reset: 0, window: 60 })
  })

  it('reports what the caller has spent', async () => {
    const session = walletSession()
    const rate = { limit: 10, windowMs: 60_000, burst: 10 }
    await stubFor(`devnet:swap:wallet:${session.address}`).take({ rate, cost: 4 })

    const limits = await limitsFor(session, '203.0.113.52')
    const swap = limits.find((entry) => entry.policy === 'swap')
    expect(swap?.remaining).toBe(6)
    expect(swap?.reset).toBe(24)
  })

  it('consumes nothing when it reads the limits', async () => {
    const session = walletSession()
    const first = await limitsFor(session, '203.0.113.53')
    const second = await limitsFor(session, '203.0.113.53')
    expect(second).toEqual(first)
  })
})
