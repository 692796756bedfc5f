import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { callLimiter, decide, type LimitRequest } from '../../src/limits/client'
import type { Rate } from '../../src/limits/gcra'
import { RefusalCache } from '../../src/limits/refusal-cache'
import { durableObjects, limiter } from './helpers'

const RATE: Rate = { limit: 2, windowMs: 60_000, burst: 2 }

function request(failureMode: 'open' | 'closed' = 'closed'): LimitRequest {
  return { key: `test:client:${crypto.randomUUID()}`, rate: RATE, cost: 1, failureMode }
}

describe('decide', () => {
  it('allows a request within the limit', async () => {
    const outcome = await decide(durableObjects, request())
    expect(outcome.kind).toBe('allowed')
  })

  it('refuses a request past the limit', async () => {
    const limited = request()
    await decide(durableObjects, limited)
    await decide(durableObjects, limited)
    const outcome = await decide(durableObjects, limited)
    expect(outcome.kind).toBe('refused')
  })

  it('answers the next request from the refusal cache', async () => {
    const limited = request()
    for (let index = 0; index < 3; index++) await decide(durableObjects, limited)
    const outcome = await decide(durableObjects, limited)
    expect(outcome.kind).toBe('cached-refusal')
  })

  it('asks the limiter again once the cached refusal expires', async () => {
    const limited = request()
    const now = Date.now()
    for (let index = 0; index < 3; index++) await decide(durableObjects, limited, now)
    const outcome = await decide(durableObjects, limited, now + 60_000)
    expect(outcome.kind).not.toBe('cached-refusal')
  })
})

describe('callLimiter', () => {
  it('retries once on a fresh stub after the object is reset', async () => {
    const key = `test:client:${crypto.randomUUID()}`
    let attempts = 0
    const result = await callLimiter(limiter, key, async (stub) => {
      attempts += 1
      if (attempts === 1) {
        await runInDurableObject(stub, (_, state) => state.abort('reset in test')).catch(() => {})
      }
      return stub.peek({ rate: RATE })
    })
    expect(result.ok).toBe(true)
    expect(attempts).toBe(2)
  })

  it('reports a timeout when the object does not answer in time', async () => {
    const key = `test:client:${crypto.randomUUID()}`
    const result = await callLimiter(limiter, key, () => new Promise<never>(() => {}), 50)
    expect(result).toEqual({ ok: false, reason: 'limiter timeout after 1 attempt' })
  })
})

describe('RefusalCache', () => {
  const refused = { success: false, limit: 5, remaining: 0, resetMs: 9_000, retryAfterMs: 3_000 }

  it('refuses a cached key until the retry time', () => {
    const cache = new RefusalCache()
    cache.remember('key', 1, refused, 1_000)
    expect(cache.lookup('key', 1, 3_999)?.retryAfterMs).toBe(1)
    expect(cache.lookup('key', 1, 4_000)).toBeUndefined()
  })

  it('does not refuse a smaller cost than the one refused', () => {
    const cache = new RefusalCache()
    cache.remember('key', 3, refused, 0)
    expect(cache.lookup('key', 1, 0)).toBeUndefined()
    expect(cache.lookup('key', 3, 0)?.success).toBe(false)
  })

  it('drops the oldest entry past its size bound', () => {
    const cache = new RefusalCache(2)
    cache.remember('a', 1, refused, 0)
    cache.remember('b', 1, refused, 0)
    cache.remember('c', 1, refused, 0)
    expect(cache.size).toBe(2)
    expect(cache.lookup('a', 1, 0)).toBeUndefined()
    expect(cache.lookup('c', 1, 0)?.success).toBe(false)
  })
})
