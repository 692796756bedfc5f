import { decode, verify } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { downstreamHeaders, upstreamHeaders } from '../../src/proxy/headers'
import { IDENTITY_TTL_SECONDS, identityHeaders, type IdentityInput } from '../../src/proxy/identity'
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
  identity: [],
}

describe('upstreamHeaders', () => {
  it('ignores a Connection token that is not a header name', () => {
    const incoming = new Headers({ connection: 'close, not a name', accept: 'text/html' })
    expect(new Headers(upstreamHeaders(incoming, FACTS)).get('accept')).toBe('text/html')
  })

  it('keeps Upgrade for a WebSocket handshake', () => {
    const incoming = new Headers({ upgrade: 'websocket', connection: 'Upgrade' })
    expect(new Headers(upstreamHeaders(incoming, FACTS)).get('upgrade')).toBe('websocket')
  })

  it('drops Upgrade for anything else', () => {
    const incoming = new Headers({ upgrade: 'h2c', connection: 'Upgrade' })
    expect(new Headers(upstreamHeaders(incoming, FACTS)).get('upgrade')).toBeNull()
  })

  it('drops the RFC 7239 Forwarded header', () => {
    const incoming = new Headers({ forwarded: 'for=10.0.0.1' })
    expect(new Headers(upstreamHeaders(incoming, FACTS)).get('forwarded')).toBeNull()
  })
})

describe('downstreamHeaders', () => {
  it('keeps every Set-Cookie', () => {
    const upstream = new Headers()
    upstream.append('set-cookie', 'a=1')
    upstream.append('set-cookie', 'b=2')
    const headers = new Headers(downstreamHeaders(upstream)) as unknown as {
      getSetCookie(): string[]
    }
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })
})

/** Calls identityHeaders and returns its headers by name. */
async function identity(input: IdentityInput): Promise<Record<string, string>> {
  return Object.fromEntries(await identityHeaders(input))
}

describe('identityHeaders', () => {
  const input = { session: SESSION, audience: 'api', secret: SECRET, now: 1_000 }

  it('sends nothing for an anonymous caller', async () => {
    expect(await identityHeaders({ ...input, session: null })).toEqual([])
  })

  it('sends the wallet and tier', async () => {
    const headers = await identity(input)
    expect(headers['x-edge-wallet']).toBe(SESSION.address)
    expect(headers['x-edge-tier']).toBe('BETA')
  })

  it('sends no identity token without a secret', async () => {
    const headers = await identity({ ...input, secret: undefined })
    expect(headers['x-edge-identity']).toBeUndefined()
  })

  it('signs a short-lived token for the origin', async () => {
    const token = (await identity(input))['x-edge-identity']!
    const { payload } = decode(token)
    expect(payload.sub).toBe(SESSION.address)
    expect(payload.aud).toBe('api')
    expect(payload.tier).toBe('BETA')
    expect(payload.iss).toBe('edge-gateway')
    expect(Number(payload.exp) - Number(payload.iat)).toBe(IDENTITY_TTL_SECONDS)
  })

  it('hands out one token for half its lifetime, then signs a new one', async () => {
    const at = (now: number) => identity({ ...input, audience: 'reuse', now })
    const first = (await at(5_000))['x-edge-identity']
    const half = IDENTITY_TTL_SECONDS / 2
    expect((await at(5_000 + half))['x-edge-identity']).toBe(first)

    const next = (await at(5_001 + half))['x-edge-identity']!
    expect(next).not.toBe(first)
    expect(decode(next).payload.iat).toBe(5_001 + half)
  })

  it('signs a separate token per origin, tier and secret', async () => {
    const base = { ...input, audience: 'separate', now: 9_000 }
    const tokens = await Promise.all(
      [
        base,
        { ...base, audience: 'web' },
        { ...base, session: { ...SESSION, tier: 'ALPHA' as const } },
        { ...base, secret: `${SECRET}-rotated` },
      ].map(async (each) => (await identity(each))['x-edge-identity']),
    )
    expect(new Set(tokens).size).toBe(4)
    expect(decode(tokens[2]!).payload.tier).toBe('ALPHA')
  })

  it('signs a token the origin can verify under the shared secret', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = (await identity({ ...input, now }))['x-edge-identity']!
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
    expect(claims.sub).toBe(SESSION.address)
    expect(seen['x-edge-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })
})
