import { SELF, env } from 'cloudflare:test'
import { Jwt } from 'hono/utils/jwt'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { mintSessionToken } from '../../src/siws/session-token'
import { GATEWAY, bearer, clientIp, errorCode, newWallet, withLogs } from './session-helpers'

const config = loadConfig(env).siws

async function tokenFor(tier: 'WAITLIST' | 'BETA' = 'BETA') {
  const wallet = newWallet()
  const { token } = await mintSessionToken(config, wallet.address, tier, Date.now())
  return { token, address: wallet.address }
}

function get(path: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${GATEWAY}${path}`, { headers: { ...clientIp(), ...headers } })
}

async function sessionOf(headers: Record<string, string>, path = '/_edge/session') {
  const response = await get(path, headers)
  return { status: response.status, body: await response.json<Record<string, unknown>>() }
}

describe('authentication sources', () => {
  it('reads a Bearer token', async () => {
    const { token, address } = await tokenFor()
    const { body } = await sessionOf(bearer(token))
    expect(body.address).toBe(address)
  })

  it('reads the session cookie', async () => {
    const { token, address } = await tokenFor()
    const { body } = await sessionOf({ cookie: `edge_session=${token}` })
    expect(body.address).toBe(address)
  })

  it('prefers the Bearer token over the cookie', async () => {
    const first = await tokenFor()
    const second = await tokenFor()
    const headers = { ...bearer(first.token), cookie: `edge_session=${second.token}` }
    const { body } = await sessionOf(headers)
    expect(body.address).toBe(first.address)
  })

  it('ignores an Authorization header of another scheme', async () => {
    const { status } = await sessionOf({ authorization: 'Basic dXNlcjpwYXNz' })
    expect(status).toBe(401)
  })

  it('reads ?token= on a streaming path', async () => {
    const { token } = await tokenFor('BETA')
    const { lines } = await withLogs(() => get(`/api/events?token=${token}`))
    expect(lines.at(-1)?.tier).toBe('BETA')
  })

  it('ignores ?token= outside the streaming paths', async () => {
    const { token } = await tokenFor()
    const { status } = await sessionOf({}, `/_edge/session?token=${token}`)
    expect(status).toBe(401)
  })

  it('ignores ?token= on a path that only starts like a streaming path', async () => {
    const { token } = await tokenFor('BETA')
    const { lines } = await withLogs(() => get(`/api/eventsource?token=${token}`))
    expect(lines.at(-1)?.tier).not.toBe('BETA')
  })
})

describe('invalid tokens', () => {
  it('get a 401 on a proxied path', async () => {
    const response = await get('/api/things', bearer('not.a.token'))
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthorized')
  })

  it('get a 401 on a proxied path when signed with another secret', async () => {
    const claims = { wallet_address: newWallet().address, exp: Math.floor(Date.now() / 1000) + 60 }
    const forged = await Jwt.sign(claims, 'forged-secret-0123456789abcdef0123456789abcdef')
    const response = await get('/api/things', bearer(forged))
    expect(response.status).toBe(401)
  })

  it('leave the caller anonymous under /_edge/', async () => {
    const response = await SELF.fetch(`${GATEWAY}/_edge/siws/challenge`, {
      method: 'POST',
      headers: {
        ...clientIp(),
        'content-type': 'application/json',
        cookie: 'edge_session=stale.token.value',
      },
    })
    expect(response.status).toBe(200)
  })

  it('never reach the log', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2VjcmV0LXNpZ25hdHVyZQ'
    const { raw, lines } = await withLogs(() => get(`/api/events?token=${token}`))
    expect(raw).not.toContain(token)
    expect(lines.at(-1)?.reason).toBe('token_signature_invalid')
  })

  it('records the tier of a valid token on the log line', async () => {
    const { token } = await tokenFor('BETA')
    const { lines } = await withLogs(() => get('/api/things', bearer(token)))
    expect(lines.at(-1)?.tier).toBe('BETA')
  })
})
