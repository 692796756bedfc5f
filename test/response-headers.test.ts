import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { describe, expect, it } from 'vitest'
import {
  SECURITY_HEADERS,
  completeResponse,
  gatewayResponse,
  newResponseHeaders,
  type HeaderList,
} from '../src/response-headers'
import { callGateway } from './proxy/gateway'

function gatewayHeaders(own: HeaderList = [], varyOrigin = false) {
  const plan = newResponseHeaders('x-request-id', 'r1')
  for (const [name, value] of own) plan.own.set(name, value)
  plan.varyOrigin = varyOrigin
  return plan
}

describe('SECURITY_HEADERS', () => {
  it("matches Hono's secureHeaders values", async () => {
    const app = new Hono()
    app.use(
      secureHeaders({
        strictTransportSecurity: 'max-age=63072000; includeSubDomains',
        crossOriginOpenerPolicy: 'same-origin-allow-popups',
      }),
    )
    app.get('/', (c) => c.body(null, 204))
    const response = await app.request('/')
    expect(Object.fromEntries(response.headers)).toEqual(Object.fromEntries(SECURITY_HEADERS))
  })
})

/** Builds a gateway response around origin headers and returns its headers. */
function built(origin: HeaderList, plan = gatewayHeaders()): Headers {
  return gatewayResponse(null, { status: 200 }, origin, plan).headers
}

describe('gatewayResponse', () => {
  it("keeps an origin's security header and adds the missing ones", () => {
    const headers = built([['x-frame-options', 'DENY']])
    expect(headers.get('x-frame-options')).toBe('DENY')
    expect(headers.get('x-content-type-options')).toBe('nosniff')
  })

  it("replaces an origin's value of a header the gateway owns", () => {
    const origin: HeaderList = [
      ['x-request-id', 'from-origin'],
      ['ratelimit', 'forged'],
    ]
    const headers = built(origin, gatewayHeaders([['ratelimit', 'real']]))
    expect(headers.get('x-request-id')).toBe('r1')
    expect(headers.get('ratelimit')).toBe('real')
  })

  it('drops X-Powered-By and appends Origin to Vary', () => {
    const origin: HeaderList = [
      ['x-powered-by', 'Next.js'],
      ['vary', 'Accept-Encoding'],
    ]
    const headers = built(origin, gatewayHeaders([], true))
    expect(headers.get('x-powered-by')).toBeNull()
    expect(headers.get('vary')).toBe('Accept-Encoding, Origin')
  })

  it('keeps an origin header named like an Object property', () => {
    const origin: HeaderList = [
      ['constructor', 'a'],
      ['__proto__', 'b'],
      ['tostring', 'c'],
    ]
    const headers = built(origin)
    expect([headers.get('constructor'), headers.get('__proto__'), headers.get('tostring')]).toEqual(
      ['a', 'b', 'c'],
    )
  })

  it('keeps every Set-Cookie', () => {
    const origin: HeaderList = [
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]
    const headers = built(origin) as unknown as { getSetCookie(): string[] }
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })
})

describe('completeResponse', () => {
  it('adds the headers to a response built elsewhere', () => {
    const response = new Response('x', { headers: { 'x-powered-by': 'Express' } })
    completeResponse(response, gatewayHeaders([['ratelimit', 'r']], true))
    expect(response.headers.get('x-request-id')).toBe('r1')
    expect(response.headers.get('ratelimit')).toBe('r')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('strict-transport-security')).toContain('max-age=63072000')
    expect(response.headers.get('x-powered-by')).toBeNull()
  })

  it('leaves a complete response as it was built', () => {
    const plan = gatewayHeaders([], true)
    const response = gatewayResponse('x', {}, [], plan)
    completeResponse(response, plan)
    expect(response.headers.get('vary')).toBe('Origin')
  })
})

describe('headers on every response', () => {
  const paths = ['/dashboard', '/api/items', '/_edge/health', '/_edge/none', '/_edge/siws/verify']
  it.each(paths)('%s carries request id and security headers', async (path) => {
    const response = await callGateway(path)
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    for (const [name, value] of SECURITY_HEADERS) {
      expect(response.headers.get(name), name).toBe(value)
    }
    expect(response.headers.get('vary')).toBe('Origin')
    await response.body?.cancel()
  })
})
