import { SELF, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { limiter, stubFor, uniqueIp } from '../limits/helpers'

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
  it('sets the draft RateLimit headers on a proxied response', async () => {
    const response = await send('/api/items', uniqueIp())
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-policy')).toBe('"api-read";q=25;w=60')
    expect(response.headers.get('ratelimit')).toBe('"api-read";r=24;t=3')
  })

  it('sets the X-RateLimit headers on a proxied response', async () => {
    const response = await send('/api/items', uniqueIp())
    await response.arrayBuffer()
    expect(response.headers.get('x-ratelimit-limit')).toBe('25')
    expect(response.headers.get('x-ratelimit-remaining')).toBe('24')
    expect(response.headers.get('x-ratelimit-reset')).toBe('3')
  })

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

  it('rejects requests past the limit with a JSON 429', async () => {
    const ip = uniqueIp()
    const statuses = await writes(ip, 7)
    expect(statuses.every((status) => status === 200)).toBe(true)

    const response = await write(ip)
    expect(response.status).toBe(429)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('rate_limited')
  })

  it('gives a refusal Retry-After in whole seconds and zero remaining', async () => {
    const ip = uniqueIp()
    await writes(ip, 7)
    const response = await write(ip)
    await response.arrayBuffer()
    // api-write for ANONYMOUS: 7 per 60 s, so one unit returns every 60 / 7 s (about 8.6 s).
    expect(response.headers.get('retry-after')).toBe('9')
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(response.headers.get('ratelimit')).toBe('"api-write";r=0;t=9')
  })

  it('lets exactly the remaining allowance through 50 parallel requests', async () => {
    const ip = uniqueIp()
    const key = `devnet:api-write:ip:${ip}`
    await stubFor(key).take({ rate: { limit: 7, windowMs: 60_000, burst: 7 }, cost: 3 })

    const responses = await Promise.all(Array.from({ length: 50 }, () => write(ip)))
    await Promise.all(responses.map((response) => response.arrayBuffer()))
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 200).length).toBe(4)
    expect(statuses.filter((status) => status === 429).length).toBe(46)
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

  it('rejects a cached refusal without calling the limiter', async () => {
    const ip = uniqueIp()
    await writes(ip, 7)
    const refused = await write(ip)
    await refused.arrayBuffer()
    expect(refused.status).toBe(429)

    // Emptying the object's state would let the next request through if the object were called.
    await runInDurableObject(stubFor(`devnet:api-write:ip:${ip}`), (_, state) =>
      state.storage.deleteAll(),
    )
    const response = await write(ip)
    await response.arrayBuffer()
    expect(response.status).toBe(429)
    const peek = await stubFor(`devnet:api-write:ip:${ip}`).peek({
      rate: { limit: 7, windowMs: 60_000, burst: 7 },
    })
    expect(peek.remaining).toBe(7)
  })

  it('rejects with 503 when the limiter fails for a closed policy', async () => {
    const ip = uniqueIp()
    await corrupt(`devnet:api-write:ip:${ip}`)
    const response = await write(ip)
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('limiter_unavailable')
  })

  it('allows the request when the limiter fails for an open policy', async () => {
    const ip = uniqueIp()
    await corrupt(`devnet:pages:ip:${ip}`)
    const response = await send('/some/page', ip)
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-policy')).toBe('"pages";q=300;w=60')
    expect(response.headers.has('ratelimit')).toBe(false)
  })

  it('rejects with 503 when the limiter times out for a closed policy', async () => {
    const ip = uniqueIp()
    const stub = stubFor(`devnet:api-write:ip:${ip}`)
    await stub.peek({ rate: { limit: 7, windowMs: 60_000, burst: 7 } })
    // The object handles no other call while blocked, for longer than the 1 s client timeout.
    const blocked = runInDurableObject(stub, (_, state) =>
      state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 1_500))),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))

    const response = await write(ip)
    await response.arrayBuffer()
    expect(response.status).toBe(503)
    await blocked
  })

  it('keys anonymous callers without CF-Connecting-IP as one unknown IP', async () => {
    const response = await send('/_edge/nothing', undefined)
    await response.arrayBuffer()
    const ids = await limiter.idFromName('devnet:pages:ip:unknown')
    const peek = await limiter.get(ids).peek({ rate: { limit: 300, windowMs: 60_000, burst: 300 } })
    expect(peek.remaining).toBeLessThan(300)
  })
})

/** Stores a TAT that is not a number, so every `take` on the object throws. */
async function corrupt(key: string): Promise<void> {
  await runInDurableObject(stubFor(key), (_, state) => state.storage.kv.put('tat', 'corrupt'))
}
