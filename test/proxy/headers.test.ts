import { decode, verify } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { downstreamHeaders, upstreamHeaders } from '../../src/proxy/headers'
import { IDENTITY_TTL_SECONDS, identityHeaders } from '../../src/proxy/identity'
import type { Session } from '../../src/types'
import { callAsSession, type Echo } from './gateway'

const SECRET = 'origin-shared-secret-0123456789abcdef'
const SESSION: Session = {
  address: '7Np41oeYqPefeNQEHSv1UDhYrehxin3NStELsSKCT4K2',
  tier: 'BETA',
  expiresAt: 2_000_000_000,
  jti: 'j1',
  issuer: 'gateway',
}
const FACTS = {
  clientIp: null,
  proto: 'https' as const,
  host: 'g.test',
  requestId: 'r1',
  identity: {},
}

describe('upstreamHeaders', () => {
  it('ignores a Connection token that is not a header name', () => {
    const incoming = new Headers({ connection: 'close, not a name', accept: 'text/html' })
    expect(upstreamHeaders(incoming, FACTS).get('accept')).toBe('text/html')
  })

  it('keeps Upgrade for a WebSocket handshake', () => {
    const incoming = new Headers({ upgrade: 'websocket', connection: 'Upgrade' })
    expect(upstreamHeaders(incoming, FACTS).get('upgrade')).toBe('websocket')
  })

  it('drops Upgrade for anything else', () => {
    const incoming = new Headers({ upgrade: 'h2c', connection: 'Upgrade' })
    expect(upstreamHeaders(incoming, FACTS).get('upgrade')).toBeNull()
  })

  it('drops the RFC 7239 Forwarded header', () => {
    const incoming = new Headers({ forwarded: 'for=10.0.0.1' })
    expect(upstreamHeaders(incoming, FACTS).get('forwarded')).toBeNull()
  })
})

describe('downstreamHeaders', () => {
  it('keeps every Set-Cookie', () => {
    const upstream = new Headers()
    upstream.append('set-cookie', 'a=1')
    upstream.append('set-cookie', 'b=2')
    const headers = downstreamHeaders(upstream) as unknown as { getSetCookie(): string[] }
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })
})

describe('identityHeaders', () => {
  const input = { session: SESSION, requestId: 'r1', audience: 'api', secret: SECRET, now: 1_000 }

  it('sends nothing for an anonymous caller', async () => {
    expect(await identityHeaders({ ...input, session: null })).toEqual({})
  })

  it('sends the wallet and tier', async () => {
    const headers = await identityHeaders(input)
    expect(headers['x-edge-wallet']).toBe(SESSION.address)
    expect(headers['x-edge-tier']).toBe('BETA')
  })

  it('sends no identity token without a secret', async () => {
    const headers = await identityHeaders({ ...input, secret: undefined })
    expect(headers['x-edge-identity']).toBeUndefined()
  })

  it('signs a short-lived token for the origin', async () => {
    const token = (await identityHeaders(input))['x-edge-identity']!
    const { payload } = decode(token)
    expect(payload.sub).toBe(SESSION.address)
    expect(payload.aud).toBe('api')
    expect(payload.tier).toBe('BETA')
    expect(payload.request_id).toBe('r1')
    expect(Number(payload.exp) - Number(payload.iat)).toBe(IDENTITY_TTL_SECONDS)
  })

  it('signs a token the origin can verify under the shared secret', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = (await identityHeaders({ ...input, now }))['x-edge-identity']!
    const claims = await verify(token, SECRET, { alg: 'HS256', aud: 'api' })
    expect(claims.sub).toBe(SESSION.address)
  })
})

describe('identity reaching the origin', () => {
  it('sends a signed-in caller to the API with identity headers', async () => {
    const response = await callAsSession(SESSION, '/api/items', { ORIGIN_SHARED_SECRET: SECRET })
    const seen = (await response.json<Echo>()).headers
    expect(seen['x-edge-wallet']).toBe(SESSION.address)
    expect(seen['x-edge-tier']).toBe('BETA')
    const claims = await verify(seen['x-edge-identity']!, SECRET, { alg: 'HS256', aud: 'api' })
    expect(claims.request_id).toBe(seen['x-edge-request-id'])
  })
})
