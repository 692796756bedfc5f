import { describe, expect, inject, it } from 'vitest'
import { callGateway } from '../proxy/gateway'

const APP = 'https://app.example.com'
const ALLOWED = { CORS_ALLOWED_ORIGINS: `${APP}, https://admin.example.com` }

function preflight(origin: string) {
  const headers = {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, payment-signature',
  }
  return callGateway('/api/items', { method: 'OPTIONS', headers }, ALLOWED)
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin at the edge', async () => {
    const response = await preflight(APP)
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH')
    expect(response.headers.get('access-control-allow-headers')).toContain('Payment-Signature')
    expect(response.headers.get('vary')).toContain('Origin')
  })

  it('gives a preflight from another origin no CORS headers', async () => {
    const response = await preflight('https://evil.example.com')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('adds CORS headers to a proxied response for an allowed origin', async () => {
    const response = await callGateway('/api/payment', { headers: { origin: APP } }, ALLOWED)
    expect(response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(response.headers.get('access-control-expose-headers')).toContain('Payment-Required')
    expect(response.headers.get('vary')).toContain('Origin')
  })

  it('drops the origin server CORS headers for another origin', async () => {
    const headers = { origin: 'https://evil.example.com' }
    const response = await callGateway('/own-headers', { headers }, ALLOWED)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('vary')).toContain('Origin')
  })
})

describe('security headers', () => {
  it('sets HSTS on a proxied response', async () => {
    const response = await callGateway('/page')
    expect(response.headers.get('strict-transport-security')).toContain('max-age=63072000')
  })

  it('sets HSTS on a gateway error', async () => {
    const response = await callGateway('/page', {}, { WEB_ORIGIN: inject('closedOrigin') })
    expect(response.status).toBe(502)
    expect(response.headers.get('strict-transport-security')).toContain('max-age=')
  })

  it('keeps the origin CSP and X-Frame-Options', async () => {
    const response = await callGateway('/own-headers')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })

  it("drops the origin's rate-limit headers and X-Powered-By", async () => {
    const response = await callGateway('/own-headers')
    for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'x-ratelimit-used']) {
      expect(response.headers.get(name), name).toBeNull()
    }
    expect(response.headers.get('x-ratelimit-remaining')).not.toBe('999')
    expect(response.headers.get('x-powered-by')).toBeNull()
  })

  it('adds X-Frame-Options where the origin set none', async () => {
    const response = await callGateway('/page')
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })

  it('allows wallet popups to reach their opener', async () => {
    const response = await callGateway('/page')
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups')
  })
})
