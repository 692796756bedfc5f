import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { LimitSummary } from '../../src/limits/summary'
import { mintSessionToken } from '../../src/siws/session-token'
import {
  GATEWAY,
  bearer,
  clientIp,
  errorCode,
  newWallet,
  postJson,
  signIn,
  withLogs,
} from './session-helpers'

function getSession(headers: Record<string, string>) {
  return SELF.fetch(`${GATEWAY}/_edge/session`, { headers: { ...clientIp(), ...headers } })
}

async function signedInToken() {
  const wallet = newWallet()
  const { body } = await signIn(wallet)
  return { token: body.token, address: wallet.address }
}

describe('GET /_edge/session', () => {
  it('returns the address, tier and expiry of the caller', async () => {
    const { token, address } = await signedInToken()
    const response = await getSession(bearer(token))
    const body = await response.json<Record<string, unknown>>()
    expect(response.status).toBe(200)
    expect(body.address).toBe(address)
    expect(body.tier).toBe('WAITLIST')
    expect(Date.parse(body.expiresAt as string)).toBeGreaterThan(Date.now())
  })

  it('is not cached', async () => {
    const { token } = await signedInToken()
    const response = await getSession(bearer(token))
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('rejects a caller without a session with 401 unauthorized', async () => {
    const response = await getSession({})
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthorized')
  })
})

describe('GET /_edge/session limits', () => {
  const config = loadConfig(env).siws

  /** Fetches the session of a fresh WAITLIST wallet twice from one IP. */
  async function limitsTwice() {
    const { token } = await mintSessionToken(config, newWallet().address, 'WAITLIST', Date.now())
    const headers = { ...bearer(token), ...clientIp() }
    const read = async () => {
      const response = await SELF.fetch(`${GATEWAY}/_edge/session`, { headers })
      return (await response.json<{ limits: LimitSummary[] }>()).limits
    }
    return { first: await read(), second: await read() }
  }

  const byPolicy = (limits: LimitSummary[], policy: string) =>
    limits.find((entry) => entry.policy === policy)

  it('lists every policy a route uses', async () => {
    const { first } = await limitsTwice()
    expect(first.map((entry) => entry.policy)).toEqual([
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

  it("reports the caller's tier limit and full remaining count", async () => {
    const { first } = await limitsTwice()
    expect(byPolicy(first, 'swap')).toEqual({
      policy: 'swap',
      limit: 5,
      remaining: 5,
      reset: 0,
      window: 60,
    })
  })

  it('consumes nothing from the listed policies when called twice', async () => {
    const { first, second } = await limitsTwice()
    const others = (limits: LimitSummary[]) => limits.filter((entry) => entry.policy !== 'pages')
    expect(others(second)).toEqual(others(first))
  })

  // The route itself falls under `pages`, so the second request may spend one unit of it (or
  // none, when the rate limiter serves it from an isolate lease). The listing spends nothing.
  it('charges the pages policy at most the second request itself', async () => {
    const { first, second } = await limitsTwice()
    const before = byPolicy(first, 'pages')?.remaining ?? Number.NaN
    expect(byPolicy(second, 'pages')?.remaining).toBeGreaterThanOrEqual(before - 1)
  })
})

describe('POST /_edge/siws/logout', () => {
  it('revokes the token so it is refused afterwards', async () => {
    const { token } = await signedInToken()
    const logout = await postJson('/_edge/siws/logout', '', bearer(token))
    const { response, lines } = await withLogs(() => getSession(bearer(token)))
    expect(logout.status).toBe(200)
    expect(response.status).toBe(401)
    expect(lines.at(-1)?.reason).toBe('token_revoked')
  })

  it('refuses the revoked token on a proxied path', async () => {
    const { token } = await signedInToken()
    await postJson('/_edge/siws/logout', '', bearer(token))
    const response = await SELF.fetch(`${GATEWAY}/api/things`, { headers: bearer(token) })
    expect(response.status).toBe(401)
  })

  it('clears the session cookie', async () => {
    const { token } = await signedInToken()
    const response = await postJson('/_edge/siws/logout', '', { cookie: `edge_session=${token}` })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie.startsWith('edge_session=;')).toBe(true)
    expect(cookie).toContain('Max-Age=0')
  })

  it('reports the revocation on the first call', async () => {
    const { token } = await signedInToken()
    const response = await postJson('/_edge/siws/logout', '', bearer(token))
    expect(await response.json()).toEqual({ revoked: true })
  })

  it('succeeds again with the same token', async () => {
    const { token } = await signedInToken()
    await postJson('/_edge/siws/logout', '', bearer(token))
    const again = await postJson('/_edge/siws/logout', '', bearer(token))
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ revoked: false })
  })

  it('succeeds without a session', async () => {
    const response = await postJson('/_edge/siws/logout', '')
    expect(response.status).toBe(200)
  })
})

describe('POST /_edge/siws/refresh', () => {
  it('mints a new token for the same wallet and tier', async () => {
    const { token, address } = await signedInToken()
    const response = await postJson('/_edge/siws/refresh', '', bearer(token))
    const body = await response.json<{ token: string; address: string; tier: string }>()
    expect(response.status).toBe(200)
    expect(body.token).not.toBe(token)
    expect(body.address).toBe(address)
    expect(body.tier).toBe('WAITLIST')
  })

  it('revokes the token it replaces', async () => {
    const { token } = await signedInToken()
    await postJson('/_edge/siws/refresh', '', bearer(token))
    const response = await getSession(bearer(token))
    expect(response.status).toBe(401)
  })

  it('issues a token that works', async () => {
    const { token } = await signedInToken()
    const refreshed = await postJson('/_edge/siws/refresh', '', bearer(token))
    const { token: next } = await refreshed.json<{ token: string }>()
    const response = await getSession(bearer(next))
    expect(response.status).toBe(200)
  })

  it('rejects a caller without a session with 401', async () => {
    const response = await postJson('/_edge/siws/refresh', '')
    expect(response.status).toBe(401)
  })
})
