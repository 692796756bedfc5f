/**
 * Client headers the proxy removes before a request reaches an origin: the expectation of an
 * interim response, method overrides, and headers that name routing facts.
 */
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { isInterimStatus } from '../../src/proxy/origin-fetch'
import type { Echo } from './gateway'

const GATEWAY = 'https://gateway.test'

const METHOD_OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override']

const ROUTING_HEADERS: Array<[string, string]> = [
  ['x-originating-ip', '10.0.0.1'],
  ['x-remote-ip', '10.0.0.1'],
  ['x-remote-addr', '10.0.0.1'],
  ['x-host', 'internal.example'],
  ['x-forwarded-server', 'internal.example'],
  ['x-forwarded-port', '8443'],
  ['x-forwarded-scheme', 'http'],
  ['x-forwarded-prefix', '/admin'],
  ['x-forwarded-ssl', 'on'],
  ['x-url-scheme', 'http'],
  ['x-original-url', '/admin/users'],
  ['x-rewrite-url', '/admin/users'],
  ['front-end-https', 'on'],
  ['via', '1.1 internal-proxy'],
]

async function post(path: string, headers: Record<string, string>, body: string) {
  return SELF.fetch(`${GATEWAY}${path}`, { method: 'POST', headers, body })
}

async function seenHeaders(headers: Record<string, string>) {
  const response = await SELF.fetch(`${GATEWAY}/api/items`, { headers })
  return (await response.json<Echo>()).headers
}

describe('Expect: 100-continue', () => {
  const headers = { expect: '100-continue', 'content-type': 'text/plain' }

  it('returns 200 for a POST with Expect: 100-continue', async () => {
    const response = await post('/api/items', headers, 'hello')
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })

  it('delivers the body of a POST with Expect: 100-continue', async () => {
    const response = await post('/api/items', headers, 'hello')
    expect((await response.json<Echo>()).body).toBe('hello')
  })

  it('leaves Expect out of the request to the origin', async () => {
    const response = await post('/api/items', headers, 'hello')
    expect((await response.json<Echo>()).headers.expect).toBeUndefined()
  })
})

describe('isInterimStatus', () => {
  it.each([100, 102, 103, 199])('counts %i as interim', (status) => {
    expect(isInterimStatus(status)).toBe(true)
  })

  it.each([101, 200, 304, 99])('does not count %i as interim', (status) => {
    expect(isInterimStatus(status)).toBe(false)
  })
})

describe('method override headers', () => {
  it.each(METHOD_OVERRIDE_HEADERS)('drops a client-sent %s', async (name) => {
    const seen = await seenHeaders({ [name]: 'DELETE' })
    expect(seen[name]).toBeUndefined()
  })

  it('forwards the method of the request line', async () => {
    const response = await post('/api/items', { 'x-http-method-override': 'DELETE' }, '{}')
    expect((await response.json<Echo>()).method).toBe('POST')
  })
})

describe('client routing headers', () => {
  it.each(ROUTING_HEADERS)('drops a client-sent %s', async (name, value) => {
    const seen = await seenHeaders({ [name]: value })
    expect(seen[name]).toBeUndefined()
  })

  it('drops routing headers in any letter case', async () => {
    const headers = Object.fromEntries(ROUTING_HEADERS.map(([n, v]) => [n.toUpperCase(), v]))
    const seen = await seenHeaders(headers)
    expect(ROUTING_HEADERS.filter(([name]) => seen[name] !== undefined)).toEqual([])
  })
})
