import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { stubFor, uniqueIp } from '../limits/helpers'

const flood = (env as unknown as Env).FLOOD_LIMITER

/** Spends the flood filter's whole allowance (1000 per 60 s in wrangler.toml) for `ip`. */
async function exhaust(ip: string): Promise<void> {
  if (!flood) throw new Error('FLOOD_LIMITER binding is missing')
  for (let index = 0; index < 1000; index++) {
    const outcome = await flood.limit({ key: `devnet:ip:${ip}` })
    if (!outcome.success) return
  }
}

describe('flood filter', () => {
  it('rejects an IP over the ceiling with a JSON 429', async () => {
    const ip = uniqueIp()
    await exhaust(ip)

    const response = await SELF.fetch('http://gateway.test/api/things', {
      method: 'POST',
      body: '{}',
      headers: { 'cf-connecting-ip': ip },
    })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('60')
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('rate_limited')
  })

  it('rejects before the limiter object is charged', async () => {
    const ip = uniqueIp()
    await exhaust(ip)

    const response = await SELF.fetch('http://gateway.test/api/things', {
      method: 'POST',
      body: '{}',
      headers: { 'cf-connecting-ip': ip },
    })
    await response.arrayBuffer()
    const rate = { limit: 7, windowMs: 60_000, burst: 7 }
    const peek = await stubFor(`devnet:api-write:ip:${ip}`).peek({ rate })
    expect(peek.remaining).toBe(7)
  })

  it('lets another IP through', async () => {
    await exhaust(uniqueIp())
    const response = await SELF.fetch('http://gateway.test/api/things', {
      headers: { 'cf-connecting-ip': uniqueIp() },
    })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })
})
