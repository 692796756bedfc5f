import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'

describe('GET /_edge/health', () => {
  it('reports the configured cluster and environment', async () => {
    const response = await SELF.fetch('http://gateway.test/_edge/health')
    expect(response.status).toBe(200)
    const body = await response.json<Record<string, unknown>>()
    expect(body.status).toBe('ok')
    expect(body.cluster).toBe('devnet')
    expect(body.environment).toBe('development')
    expect(typeof body.version).toBe('string')
  })

  it('answers an unknown gateway path with a JSON 404', async () => {
    const response = await SELF.fetch('http://gateway.test/_edge/nothing-here')
    expect(response.status).toBe(404)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('not_found')
  })

  it('proxies other paths to the web origin', async () => {
    const response = await SELF.fetch('http://gateway.test/some/page?x=1')
    expect(response.status).toBe(200)
    const body = await response.json<{ origin: string; path: string; query: string }>()
    expect(body.origin).toBe('web')
    expect(body.path).toBe('/some/page')
  })
})

describe('gateway routes with the wrong method', () => {
  it.each([
    ['GET', '/_edge/siws/logout', 'POST'],
    ['PUT', '/_edge/siws/verify', 'POST'],
    ['GET', '/_edge/rpc', 'POST'],
    ['POST', '/_edge/health', 'GET, HEAD'],
    ['DELETE', '/_edge/session', 'GET, HEAD'],
  ])('answers %s %s with 405', async (method, path, allow) => {
    const response = await SELF.fetch(`http://gateway.test${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.61' },
    })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe(allow)
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('method_not_allowed')
  })
})
