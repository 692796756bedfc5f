import { Redis } from '@upstash/redis/cloudflare'
import { describe, expect, inject, it } from 'vitest'
import type { Env } from '../../src/env'
import { UPSTASH_KEY_PREFIX } from '../../src/limits/backend-config'
import { callGateway } from '../proxy/gateway'
import { uniqueIp } from './helpers'
import { backendFor, describeLimiterContract, valueOf, writeKey } from './limiter-contract'

const upstash = inject('upstash')
const closed = inject('closedOrigin')

const UPSTASH: Partial<Env> = {
  RATE_LIMIT_BACKEND: 'upstash',
  UPSTASH_REDIS_REST_URL: upstash.url,
  UPSTASH_REDIS_REST_TOKEN: upstash.token,
}

const redis = () => new Redis({ url: upstash.url, token: upstash.token, enableTelemetry: false })

describe.skipIf(!upstash.url)('Upstash backend (needs redis-server)', () => {
  describeLimiterContract({
    name: 'Upstash',
    bindings: UPSTASH,

    async clear(key) {
      await redis().del(`${UPSTASH_KEY_PREFIX}:${key}`)
    },

    // Nothing listens on the closed origin's port, so every call fails to connect.
    async fail() {
      return { UPSTASH_REDIS_REST_URL: closed }
    },

    // The slow stand-in responds after 1.5 s, past the 1 s limiter timeout.
    async stall() {
      return { bindings: { UPSTASH_REDIS_REST_URL: upstash.slowUrl }, done: Promise.resolve() }
    },
  })

  it('stores counters under the gateway prefix and the cluster', async () => {
    const ip = uniqueIp()
    const response = await callGateway(
      '/api/things',
      { method: 'POST', body: '{}', headers: { 'cf-connecting-ip': ip } },
      UPSTASH,
    )
    await response.arrayBuffer()
    const stored = await redis().exists(`edge-gateway:devnet:api-write:ip:${ip}`)
    expect(stored).toBe(1)
  })

  it('fails closed when the REST token is wrong', async () => {
    const ip = uniqueIp()
    const response = await callGateway(
      '/api/things',
      { method: 'POST', body: '{}', headers: { 'cf-connecting-ip': ip } },
      { ...UPSTASH, UPSTASH_REDIS_REST_TOKEN: 'not-the-token' },
    )
    await response.arrayBuffer()
    expect(response.status).toBe(503)
  })

  it('reports a failed call by error name, without the command', async () => {
    const backend = backendFor({ ...UPSTASH, UPSTASH_REDIS_REST_TOKEN: 'not-the-token' })
    const result = await backend.take(
      writeKey(uniqueIp()),
      { limit: 7, windowMs: 60_000, burst: 7 },
      1,
    )
    expect(result).toEqual({ ok: false, reason: 'upstash error UpstashError' })
  })

  it('reports a timeout when the store does not answer in time', async () => {
    const backend = backendFor({ ...UPSTASH, UPSTASH_REDIS_REST_URL: upstash.slowUrl })
    const result = await backend.peek(writeKey(uniqueIp()), {
      limit: 7,
      windowMs: 60_000,
      burst: 7,
    })
    expect(result).toEqual({ ok: false, reason: 'upstash timeout' })
  })

  it('takes no lease for a leased policy', async () => {
    const ip = uniqueIp()
    const response = await callGateway(
      '/some/page',
      { headers: { 'cf-connecting-ip': ip } },
      UPSTASH,
    )
    await response.arrayBuffer()
    const peek = await backendFor(UPSTASH).peek(`devnet:pages:ip:${ip}`, {
      limit: 300,
      windowMs: 60_000,
      burst: 300,
    })
    expect(valueOf(peek).remaining).toBe(299)
  })
})
