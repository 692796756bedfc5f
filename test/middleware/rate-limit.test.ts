/**
 * Keying and routing of the rate-limit middleware through the Worker's entry point. Headers, the
 * 429, exactness and failure modes are checked for each backend in test/limits/limiter-contract.ts.
 */
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { limiter, uniqueIp } from '../limits/helpers'

const BASE = 'http://gateway.test'

function send(path: string, ip: string | undefined, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  if (ip) headers.set('cf-connecting-ip', ip)
  return SELF.fetch(`${BASE}${path}`, { ...init, headers })
}

function write(ip: string, extra: Record<string, string> = {}) {
  return send('/api/things', ip, { method: 'POST', body: '{}', headers: extra })
}

/** Sends `count` anonymous writes in sequence and returns their statuses. */
async function writes(ip: string, count: number): Promise<number[]> {
  const statuses: number[] = []
  for (let index = 0; index < count; index++) {
    const response = await write(ip)
    await response.arrayBuffer()
    statuses.push(response.status)
  }
  return statuses
}

describe('rate-limit middleware', () => {
  it('sets the headers on a gateway error under a policy', async () => {
    const response = await send('/_edge/nothing-here', uniqueIp())
    await response.arrayBuffer()
    expect(response.status).toBe(404)
    expect(response.headers.get('ratelimit-policy')).toBe('"pages";q=300;w=60')
  })

  it('leaves health checks without a policy', async () => {
    const response = await send('/_edge/health', uniqueIp())
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    expect(response.headers.has('ratelimit-policy')).toBe(false)
  })

  it('ignores client-supplied forwarding headers when keying', async () => {
    const ip = uniqueIp()
    await writes(ip, 7)
    for (let index = 1; index <= 5; index++) {
      const spoofed = `192.0.2.${index}`
      const response = await write(ip, {
        'x-forwarded-for': spoofed,
        'x-real-ip': spoofed,
        'true-client-ip': spoofed,
      })
      await response.arrayBuffer()
      expect(response.status).toBe(429)
    }
  })

  it('counts each CF-Connecting-IP separately', async () => {
    const first = uniqueIp()
    await writes(first, 7)
    const response = await write(uniqueIp())
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })

  it('counts a percent-encoded path against its decoded policy', async () => {
    const ip = uniqueIp()
    const response = await send('/api/trading/%73wap', ip, { method: 'POST', body: '{}' })
    await response.arrayBuffer()
    expect(response.headers.get('ratelimit-policy')).toBe('"swap";q=2;w=60')
  })

  it('keys anonymous callers without CF-Connecting-IP as one unknown IP', async () => {
    const response = await send('/_edge/nothing', undefined)
    await response.arrayBuffer()
    const ids = await limiter.idFromName('devnet:pages:ip:unknown')
    const peek = await limiter.get(ids).peek({ rate: { limit: 300, windowMs: 60_000, burst: 300 } })
    expect(peek.remaining).toBeLessThan(300)
  })
})
