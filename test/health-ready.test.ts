import { SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { durableObjectBackend } from '../src/limits/backend'
import { checkLimiter, checkOrigin, type Readiness } from '../src/ops/readiness'
import { bindings, callGateway } from './ops/helpers'

const ops = inject('opsServer')
const closed = inject('closedOrigin')

function origin(url: string) {
  return { name: 'api' as const, url, backupUrl: undefined, timeoutMs: 1000 }
}

describe('GET /_edge/health/ready', () => {
  it('returns 200 when the limiter and both origins are ready', async () => {
    const response = await SELF.fetch('http://gateway.test/_edge/health/ready')
    expect(response.status).toBe(200)
    const body = await response.json<Readiness>()
    expect(body.status).toBe('ready')
    expect(body.checks.limiter.ok).toBe(true)
    expect(body.checks.web.ok).toBe(true)
    expect(body.checks.api.ok).toBe(true)
  })

  it('is never cached', async () => {
    const response = await SELF.fetch('http://gateway.test/_edge/health/ready')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('returns 503 when an origin reports degraded', async () => {
    const overrides = { API_ORIGIN: ops, API_HEALTH_PATH: '/degraded' }
    const response = await callGateway('/_edge/health/ready', {}, overrides)
    expect(response.status).toBe(503)
    const body = await response.json<Readiness>()
    expect(body.status).toBe('not_ready')
    expect(body.checks.api).toEqual({ ok: false, reason: 'reports degraded' })
    expect(body.checks.web.ok).toBe(true)
  })

  it('returns 503 when the web origin is unreachable', async () => {
    const response = await callGateway('/_edge/health/ready', {}, { WEB_ORIGIN: closed })
    expect(response.status).toBe(503)
    const body = await response.json<Readiness>()
    expect(body.checks.web).toEqual({ ok: false, reason: 'unreachable' })
  })

  it('keeps origin URLs out of the body', async () => {
    const response = await callGateway('/_edge/health/ready', {}, { WEB_ORIGIN: closed })
    expect(await response.text()).not.toContain(closed)
  })

  it('returns 503 when an origin answers 503', async () => {
    const overrides = { WEB_ORIGIN: ops, WEB_HEALTH_PATH: '/failing' }
    const response = await callGateway('/_edge/health/ready', {}, overrides)
    expect(response.status).toBe(503)
    expect((await response.json<Readiness>()).checks.web.reason).toBe('HTTP 503')
  })

  it('uses the configured health path', async () => {
    const overrides = { WEB_ORIGIN: ops, WEB_HEALTH_PATH: '/ok' }
    const response = await callGateway('/_edge/health/ready', {}, overrides)
    expect(response.status).toBe(200)
  })

  it('rejects a health path without a leading slash', async () => {
    const response = await callGateway('/_edge/health/ready', {}, { API_HEALTH_PATH: 'ready' })
    expect(response.status).toBe(500)
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('config_invalid')
  })
})

describe('readiness checks', () => {
  it('counts a body that is not JSON as not ready', async () => {
    const result = await checkOrigin(origin(ops), '/not-json')
    expect(result).toEqual({ ok: false, reason: 'the health body is not JSON' })
  })

  it('gives up on a slow origin after the timeout', async () => {
    const result = await checkOrigin(origin(bindings.API_ORIGIN), '/api/slow?ms=1000', 100)
    expect(result).toEqual({ ok: false, reason: 'timed out after 100 ms' })
  })

  it('accepts the local origin health path', async () => {
    const result = await checkOrigin(origin(bindings.API_ORIGIN), '/api/health')
    expect(result).toEqual({ ok: true })
  })

  it('reads the limiter without consuming an allowance', async () => {
    const key = `devnet:health-test:${crypto.randomUUID()}`
    await checkLimiter(durableObjectBackend(bindings.RATE_LIMITER), key)
    const stub = bindings.RATE_LIMITER.get(bindings.RATE_LIMITER.idFromName(key))
    const decision = await stub.peek({ rate: { limit: 1, windowMs: 1000, burst: 1 } })
    expect(decision.remaining).toBe(1)
  })
})
