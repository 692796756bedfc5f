import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { withoutTokenParam } from '../../src/proxy/query'
import { mintSessionToken } from '../../src/siws/session-token'
import type { Echo } from './gateway'

const ADDRESS = '7Np41oeYqPefeNQEHSv1UDhYrehxin3NStELsSKCT4K2'

async function echo(path: string): Promise<{ status: number; seen: Echo }> {
  const response = await SELF.fetch(`https://gateway.test${path}`)
  return { status: response.status, seen: await response.json<Echo>() }
}

async function validToken(): Promise<string> {
  const { token } = await mintSessionToken(loadConfig(env).siws, ADDRESS, 'BETA', Date.now())
  return token
}

describe('withoutTokenParam', () => {
  it('removes token and keeps the other parameters byte for byte', () => {
    expect(withoutTokenParam('/api/events?a=1&token=X&b=%2F')).toBe('/api/events?a=1&b=%2F')
  })

  it('removes every token parameter', () => {
    expect(withoutTokenParam('/s?token=a&x=1&token=b&token')).toBe('/s?x=1')
  })

  it('removes a parameter whose name decodes to token', () => {
    expect(withoutTokenParam('/s?to%6Ben=X&y=2')).toBe('/s?y=2')
  })

  it('drops the question mark when token was the only parameter', () => {
    expect(withoutTokenParam('/s?token=X')).toBe('/s')
  })

  it('keeps parameters whose names only resemble token', () => {
    const query = '/s?tokens=1&token_id=2&atoken=3&token%=4&tok+en=5'
    expect(withoutTokenParam(query)).toBe(query)
  })

  it('keeps empty pieces and the encoding of the rest', () => {
    expect(withoutTokenParam('/s?a=%E2%9C%93&&token=X&b=+c')).toBe('/s?a=%E2%9C%93&&b=+c')
  })

  it('leaves a path without a query unchanged', () => {
    expect(withoutTokenParam('/s')).toBe('/s')
  })
})

describe('session tokens in the query', () => {
  it('accepts the token on a streaming path', async () => {
    const { status } = await echo(`/api/events?a=1&token=${await validToken()}&b=%2F`)
    expect(status).toBe(200)
  })

  it('forwards a streaming path without its token parameter', async () => {
    const { seen } = await echo(`/api/events?a=1&token=${await validToken()}&b=%2F`)
    expect(seen.path).toBe('/api/events')
    expect(seen.query).toBe('?a=1&b=%2F')
  })

  it('sends the caller identity the token carried', async () => {
    const { seen } = await echo(`/api/events?token=${await validToken()}`)
    expect(seen.headers['x-edge-wallet']).toBe(ADDRESS)
  })

  it('removes the token from a streaming path spelled with a doubled slash', async () => {
    const { seen } = await echo(`/api//stream/x?a=1&token=${await validToken()}`)
    expect(seen.query).toBe('?a=1')
  })

  it('removes the token from a streaming path spelled with an escaped letter', async () => {
    const { seen } = await echo(`/api/%73tream/x?a=1&token=${await validToken()}`)
    expect(seen.query).toBe('?a=1')
  })

  it('removes the token from a streaming path spelled in capitals', async () => {
    const { seen } = await echo(`/api/STREAM/x?token=${await validToken()}&b=%2F`)
    expect(seen.query).toBe('?b=%2F')
  })

  it('signs the caller in on another spelling of a streaming path', async () => {
    const { seen } = await echo(`/api//stream/x?token=${await validToken()}`)
    expect(seen.headers['x-edge-wallet']).toBe(ADDRESS)
  })

  it('keeps the token on a longer first segment', async () => {
    const { seen } = await echo('/api/%73treams?token=X&b=%2F')
    expect(seen.query).toBe('?token=X&b=%2F')
  })

  it('forwards the query of any other path unchanged', async () => {
    const { seen } = await echo('/api/other?token=X')
    expect(seen.query).toBe('?token=X')
  })
})
