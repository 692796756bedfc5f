import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
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
