import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { clusterFor } from '../../src/cluster'
import type { Env } from '../../src/env'
import { loadSiwsConfig } from '../../src/siws/config'
import { readSessionCookie, setSessionCookie } from '../../src/siws/session-cookie'

const cluster = clusterFor('devnet')
const SECRET = 'a-secret-that-is-long-enough-0123456789'

function load(overrides: Partial<Env>, secure = false) {
  return loadSiwsConfig({ ...env, JWT_SECRET: SECRET, ...overrides }, { secure, cluster })
}

function errorOf(overrides: Partial<Env>): string {
  try {
    load(overrides)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  return 'no error'
}

describe('loadSiwsConfig', () => {
  it('applies the stated defaults', () => {
    const config = load({
      SESSION_TTL_SECONDS: undefined,
      SIWS_CHALLENGE_TTL_SECONDS: undefined,
      SIWS_CLOCK_SKEW_SECONDS: undefined,
      STREAMING_PATHS: undefined,
      DEFAULT_TIER: undefined,
    })
    expect(config.sessionTtlSeconds).toBe(3600)
    expect(config.challengeTtlSeconds).toBe(300)
    expect(config.clockSkewSeconds).toBe(60)
    expect(config.streamingPaths).toEqual(['/api/stream', '/api/events'])
    expect(config.tiers.defaultTier).toBe('WAITLIST')
  })

  it('rejects a missing JWT_SECRET', () => {
    expect(errorOf({ JWT_SECRET: undefined })).toContain('JWT_SECRET')
  })

  it('rejects a short JWT_SECRET without printing it', () => {
    const message = errorOf({ JWT_SECRET: 'short-secret-value' })
    expect(message).toContain('JWT_SECRET')
    expect(message).not.toContain('short-secret-value')
  })

  it('rejects a short JWT_SECRET_PREVIOUS', () => {
    expect(errorOf({ JWT_SECRET_PREVIOUS: 'short' })).toContain('JWT_SECRET_PREVIOUS')
  })

  it.each<[keyof Env, string]>([
    ['SESSION_TTL_SECONDS', '10'],
    ['SIWS_CHALLENGE_TTL_SECONDS', 'five'],
    ['SIWS_CLOCK_SKEW_SECONDS', '-1'],
    ['SIWS_STATEMENT', 'two\nlines'],
    ['STREAMING_PATHS', 'api/stream'],
    ['PAGE_GATES', '{"/dashboard":"KING"}'],
    ['PAGE_GATES', '["/dashboard"]'],
    ['TIER_OVERRIDES', '{"not-an-address":"ADMIN"}'],
    ['TIER_OVERRIDES', '{'],
    ['DEFAULT_TIER', 'ANONYMOUS'],
    ['TIER_TOKEN_MINT', 'mint'],
    ['TIER_TOKEN_THRESHOLDS', '{"BETA":-1}'],
  ])('names %s when its value %j is invalid', (field, value) => {
    expect(errorOf({ [field]: value })).toContain(field)
  })

  it('keeps an RPC URL with its API key out of the error', () => {
    const message = errorOf({ TIER_RPC_URL: 'ftp://rpc.example/?api-key=hidden-key' })
    expect(message).toContain('TIER_RPC_URL')
    expect(message).not.toContain('hidden-key')
  })

  it('sorts token thresholds from the highest minimum down', () => {
    const config = load({ TIER_TOKEN_THRESHOLDS: '{"BETA":100,"ALPHA":1000,"EARLY_ACCESS":1}' })
    expect(config.tiers.thresholds.map((threshold) => threshold.tier)).toEqual([
      'ALPHA',
      'BETA',
      'EARLY_ACCESS',
    ])
  })
})

describe('session cookie over https', () => {
  const app = new Hono()
  const secure = load({}, true)
  app.get('/set', (c) => {
    setSessionCookie(c, secure, 'token-value')
    return c.text('ok')
  })
  app.get('/read', (c) => c.text(readSessionCookie(c, secure) ?? 'none'))

  it('carries Secure and the __Host- prefix', async () => {
    const response = await app.request('/set')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie.startsWith('__Host-edge_session=token-value;')).toBe(true)
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
  })

  it('reads only the prefixed cookie', async () => {
    const plain = await app.request('/read', { headers: { cookie: 'edge_session=x' } })
    const prefixed = await app.request('/read', { headers: { cookie: '__Host-edge_session=y' } })
    expect(await plain.text()).toBe('none')
    expect(await prefixed.text()).toBe('y')
  })
})
