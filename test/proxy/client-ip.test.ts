import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { upstreamHeaders } from '../../src/proxy/headers'
import type { Echo } from './gateway'

const FACTS = {
  clientIp: '203.0.113.7',
  proto: 'https' as const,
  host: 'g.test',
  requestId: 'r1',
  identity: [],
}

const CLIENT_IP_HEADERS = [
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'client-ip',
  'x-original-forwarded-for',
  'fastly-client-ip',
  'cf-connecting-ipv6',
]

async function seenHeaders(headers: Record<string, string>) {
  const response = await SELF.fetch('https://gateway.test/api/items', { headers })
  return (await response.json<Echo>()).headers
}

describe('client address headers', () => {
  it.each(CLIENT_IP_HEADERS.filter((name) => name !== 'x-real-ip'))(
    'drops a client-sent %s',
    async (name) => {
      const seen = await seenHeaders({ 'cf-connecting-ip': '203.0.113.7', [name]: '10.0.0.1' })
      expect(seen[name]).toBeUndefined()
    },
  )

  it('replaces a client-sent X-Real-IP with CF-Connecting-IP', async () => {
    const seen = await seenHeaders({ 'cf-connecting-ip': '203.0.113.7', 'x-real-ip': '10.0.0.1' })
    expect(seen['x-real-ip']).toBe('203.0.113.7')
  })

  it('drops a client-sent X-Real-IP without CF-Connecting-IP', async () => {
    const seen = await seenHeaders({ 'x-real-ip': '10.0.0.1' })
    expect(seen['x-real-ip']).toBeUndefined()
  })

  // The runtime itself decides what CF-Connecting-IP an outgoing request carries (workerd here
  // sends none), so this checks the header rules alone.
  it('leaves CF-Connecting-IP in the headers built for the origin', () => {
    const incoming = new Headers({ 'cf-connecting-ip': '203.0.113.7' })
    expect(new Headers(upstreamHeaders(incoming, FACTS)).get('cf-connecting-ip')).toBe(
      '203.0.113.7',
    )
  })

  it('drops each client address header in any letter case', () => {
    const incoming = new Headers(CLIENT_IP_HEADERS.map((name) => [name.toUpperCase(), '10.0.0.1']))
    const headers = new Headers(upstreamHeaders(incoming, { ...FACTS, clientIp: null }))
    expect([...headers.keys()].filter((name) => CLIENT_IP_HEADERS.includes(name))).toEqual([])
  })

  it('sets X-Real-IP and X-Forwarded-For to the same address', () => {
    const headers = new Headers(upstreamHeaders(new Headers({ 'x-real-ip': '10.0.0.1' }), FACTS))
    expect(headers.get('x-real-ip')).toBe(headers.get('x-forwarded-for'))
  })
})
