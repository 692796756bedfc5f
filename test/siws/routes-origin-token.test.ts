/**
 * Tokens the origin app signs under the gateway's secret, at the session, logout and refresh
 * routes: lifetimes the gateway rejects, and what happens to a token it cannot revoke.
 */
import { SELF, env } from 'cloudflare:test'
import { Jwt } from 'hono/utils/jwt'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import {
  GATEWAY,
  bearer,
  clientIp,
  errorCode,
  newWallet,
  postJson,
  withLogs,
} from './session-helpers'

const DAY = 86_400
const secret = loadConfig(env).siws.jwtSecret

/** Signs a token as the origin app does; `claims` override a 10-minute `exp`. */
function originToken(claims: Record<string, unknown>): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + 600
  return Jwt.sign({ wallet_address: newWallet().address, exp, ...claims }, secret)
}

function secondsFromNow(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds
}

function getSession(token: string) {
  return SELF.fetch(`${GATEWAY}/_edge/session`, { headers: { ...clientIp(), ...bearer(token) } })
}

describe('GET /_edge/session with origin tokens', () => {
  it('rejects an exp of 1e20 with 401', async () => {
    const response = await getSession(await originToken({ exp: 1e20 }))
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthorized')
  })

  it('logs why an exp of 1e20 is rejected', async () => {
    const token = await originToken({ exp: 1e20 })
    const { lines } = await withLogs(() => getSession(token))
    expect(lines.at(-1)?.reason).toBe('token_lifetime_too_long')
  })

  it('rejects an exp of 1.5 with 401', async () => {
    const response = await getSession(await originToken({ exp: 1.5 }))
    expect(response.status).toBe(401)
  })

  it('rejects a 100-year admin token with 401', async () => {
    const token = await originToken({ is_admin: true, exp: secondsFromNow(100 * 365 * DAY) })
    const response = await getSession(token)
    expect(response.status).toBe(401)
  })

  it('returns the expiry of a 29-day token', async () => {
    const exp = secondsFromNow(29 * DAY)
    const response = await getSession(await originToken({ exp }))
    const body = await response.json<{ expiresAt: string }>()
    expect(body.expiresAt).toBe(new Date(exp * 1000).toISOString())
  })
})

describe('POST /_edge/siws/logout with origin tokens', () => {
  it('reports a token without a jti as not revoked', async () => {
    const token = await originToken({})
    const response = await postJson('/_edge/siws/logout', '', bearer(token))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ revoked: false })
  })

  it('clears the cookie of a token without a jti', async () => {
    const token = await originToken({})
    const response = await postJson('/_edge/siws/logout', '', { cookie: `edge_session=${token}` })
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0')
  })

  it('revokes a token that carries a jti', async () => {
    const token = await originToken({ jti: crypto.randomUUID() })
    await postJson('/_edge/siws/logout', '', bearer(token))
    const response = await getSession(token)
    expect(response.status).toBe(401)
  })
})

describe('POST /_edge/siws/refresh with origin tokens', () => {
  it('rejects a token without a jti with 401', async () => {
    const token = await originToken({})
    const response = await postJson('/_edge/siws/refresh', '', bearer(token))
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthorized')
  })

  it('logs that a token without a jti cannot be revoked', async () => {
    const token = await originToken({})
    const { lines } = await withLogs(() => postJson('/_edge/siws/refresh', '', bearer(token)))
    expect(lines.at(-1)?.reason).toBe('token_not_revocable')
  })

  it('sets no cookie for a token without a jti', async () => {
    const token = await originToken({})
    const response = await postJson('/_edge/siws/refresh', '', bearer(token))
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('replaces a token that carries a jti', async () => {
    const token = await originToken({ jti: crypto.randomUUID() })
    const response = await postJson('/_edge/siws/refresh', '', bearer(token))
    expect(response.status).toBe(200)
  })

  it('revokes the replaced token that carries a jti', async () => {
    const token = await originToken({ jti: crypto.randomUUID() })
    await postJson('/_edge/siws/refresh', '', bearer(token))
    const response = await getSession(token)
    expect(response.status).toBe(401)
  })
})
