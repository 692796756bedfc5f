/**
 * The contract every limiter backend meets, run once per backend: the same headers and 429, exact
 * decisions under parallel requests, refusals that consume nothing, the refusal cache, and the
 * failure modes. Requests go through the whole gateway with the backend's bindings.
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { Env } from '../../src/env'
import { limiterFor, type LimiterBackend } from '../../src/limits/backend'
import type { CallResult } from '../../src/limits/client'
import type { Rate } from '../../src/limits/gcra'
import { bindings, callGateway } from '../proxy/gateway'
import { uniqueIp } from './helpers'

/** api-write for ANONYMOUS: 7 per 60 s, all of them at once. */
const API_WRITE: Rate = { limit: 7, windowMs: 60_000, burst: 7 }

export interface ContractTarget {
  name: string
  /** Bindings that select the backend, merged over the test run's bindings. */
  bindings: Partial<Env>
  /** Deletes the key's state from the store, so a request that reached the store would pass. */
  clear(key: string): Promise<void>
  /** Makes calls for `key` fail; returns the bindings to send the request with. */
  fail(key: string): Promise<Partial<Env>>
  /**
   * Makes calls for `key` take longer than the limiter timeout. Returns the bindings to send the
   * request with and a promise to wait for before the test ends.
   */
  stall(key: string): Promise<{ bindings: Partial<Env>; done: Promise<unknown> }>
}

/** Returns the backend the gateway builds from these bindings. */
export function backendFor(overrides: Partial<Env>): LimiterBackend {
  const env = { ...bindings, ...overrides }
  return limiterFor(env, loadConfig(env).limits)
}

/** Returns the value of a successful call, or throws with the reason of a failed one. */
export function valueOf<T>(result: CallResult<T>): T {
  if (!result.ok) throw new Error(`limiter call failed: ${result.reason}`)
  return result.value
}

export function writeKey(ip: string): string {
  return `devnet:api-write:ip:${ip}`
}

export function describeLimiterContract(target: ContractTarget): void {
  const send = (path: string, ip: string, init: RequestInit = {}, extra: Partial<Env> = {}) => {
    const headers = new Headers(init.headers)
    headers.set('cf-connecting-ip', ip)
    return callGateway(path, { ...init, headers }, { ...target.bindings, ...extra })
  }
  const write = (ip: string, extra: Partial<Env> = {}) =>
    send('/api/things', ip, { method: 'POST', body: '{}' }, extra)

  /** Sends `count` writes in sequence and returns their statuses. */
  async function writes(ip: string, count: number): Promise<number[]> {
    const statuses: number[] = []
    for (let index = 0; index < count; index++) {
      const response = await write(ip)
      await response.arrayBuffer()
      statuses.push(response.status)
    }
    return statuses
  }

  describe(`limiter contract: ${target.name}`, () => {
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
      // One unit returns every 60 / 7 s (about 8.6 s).
      expect(response.headers.get('retry-after')).toBe('9')
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(response.headers.get('ratelimit')).toBe('"api-write";r=0;t=9')
    })

    it('lets exactly the remaining allowance through 50 parallel requests', async () => {
      const ip = uniqueIp()
      const charged = await backendFor(target.bindings).take(writeKey(ip), API_WRITE, 3)
      expect(charged.ok).toBe(true)

      const responses = await Promise.all(Array.from({ length: 50 }, () => write(ip)))
      await Promise.all(responses.map((response) => response.arrayBuffer()))
      const statuses = responses.map((response) => response.status)
      expect(statuses.filter((status) => status === 200).length).toBe(4)
      expect(statuses.filter((status) => status === 429).length).toBe(46)
    })

    it('consumes nothing on a refused request', async () => {
      const backend = backendFor(target.bindings)
      const key = writeKey(uniqueIp())
      await backend.take(key, API_WRITE, 5)
      const refused = await backend.take(key, API_WRITE, 3)
      expect(valueOf(refused).success).toBe(false)

      const peek = await backend.peek(key, API_WRITE)
      expect(valueOf(peek).remaining).toBe(2)
    })

    it('reads the allowance with peek without consuming it', async () => {
      const backend = backendFor(target.bindings)
      const key = writeKey(uniqueIp())
      await backend.take(key, API_WRITE, 2)
      const first = await backend.peek(key, API_WRITE)
      const second = await backend.peek(key, API_WRITE)
      expect(valueOf(first).remaining).toBe(5)
      expect(valueOf(second).remaining).toBe(5)
    })

    it('rejects a cached refusal without calling the limiter', async () => {
      const ip = uniqueIp()
      await writes(ip, 7)
      const refused = await write(ip)
      await refused.arrayBuffer()
      expect(refused.status).toBe(429)

      // With the key's state gone, the next request would pass if it reached the store.
      await target.clear(writeKey(ip))
      const response = await write(ip)
      await response.arrayBuffer()
      expect(response.status).toBe(429)
      const peek = await backendFor(target.bindings).peek(writeKey(ip), API_WRITE)
      expect(valueOf(peek).remaining).toBe(7)
    })

    it('rejects with 503 when the limiter fails for a closed policy', async () => {
      const ip = uniqueIp()
      const response = await write(ip, await target.fail(writeKey(ip)))
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('5')
      const body = await response.json<{ error: { code: string } }>()
      expect(body.error.code).toBe('limiter_unavailable')
    })

    it('allows the request when the limiter fails for an open policy', async () => {
      const ip = uniqueIp()
      const failing = await target.fail(`devnet:pages:ip:${ip}`)
      const response = await send('/some/page', ip, {}, failing)
      await response.arrayBuffer()
      expect(response.status).toBe(200)
      expect(response.headers.get('ratelimit-policy')).toBe('"pages";q=300;w=60')
      expect(response.headers.has('ratelimit')).toBe(false)
    })

    it('rejects with 503 when the limiter times out for a closed policy', async () => {
      const ip = uniqueIp()
      const stalled = await target.stall(writeKey(ip))
      const response = await write(ip, stalled.bindings)
      await response.arrayBuffer()
      expect(response.status).toBe(503)
      await stalled.done
    })
  })
}
