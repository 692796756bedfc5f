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
