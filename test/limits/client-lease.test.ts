import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { IsolateLimiter, type LimiterNamespace, type LimitRequest } from '../../src/limits/client'
import type { Rate } from '../../src/limits/gcra'
import { durableObjectBackend } from '../../src/limits/backend'
import { durableObjects, limiter, stubFor } from './helpers'

const RATE: Rate = { limit: 10, windowMs: 60_000, burst: 10 }

function leased(lease = 4): LimitRequest {
  const key = `test:lease:${crypto.randomUUID()}`
  return { key, rate: RATE, cost: 1, failureMode: 'open', lease }
}

/** The limiter namespace, counting every stub it hands out: one per object call. */
function countingNamespace(): { namespace: LimiterNamespace; calls: () => number } {
  let calls = 0
  const namespace = {
    idFromName: (name: string) => limiter.idFromName(name),
    get: (id: DurableObjectId) => {
      calls += 1
      return limiter.get(id)
    },
  } as unknown as LimiterNamespace
  return { namespace, calls: () => calls }
}

async function parallel(isolate: IsolateLimiter, ns: LimiterNamespace, request: LimitRequest) {
  const backend = durableObjectBackend(ns)
  const outcomes = await Promise.all(
    Array.from({ length: 30 }, () => isolate.decide(backend, request)),
  )
  return outcomes.filter((outcome) => outcome.kind === 'allowed' || outcome.kind === 'leased')
}

describe('IsolateLimiter with a lease', () => {
  it('serves the next requests from the lease', async () => {
    const isolate = new IsolateLimiter()
    const request = leased()
    await isolate.decide(durableObjects, request)
    const outcome = await isolate.decide(durableObjects, request)
    expect(outcome.kind).toBe('leased')
  })

  it('charges the object the whole lease on the first request', async () => {
    const request = leased()
    await new IsolateLimiter().decide(durableObjects, request)
    const peek = await stubFor(request.key).peek({ rate: RATE })
    expect(peek.remaining).toBe(6)
  })

  it('lets no more than the limit through 30 parallel requests', async () => {
    const request = leased()
    const allowed = await parallel(new IsolateLimiter(), limiter, request)
    expect(allowed.length).toBe(RATE.limit)
  })

  it('calls the object fewer times than it serves requests', async () => {
    const { namespace, calls } = countingNamespace()
    const allowed = await parallel(new IsolateLimiter(), namespace, leased())
    expect(allowed.length).toBe(RATE.limit)
    // Leases of 4 and 4, then 1 and 1 exactly, then one refusal the others read from the cache.
    expect(calls()).toBe(5)
  })

  it('lets no more than the limit through two isolates together', async () => {
    const request = leased()
    const [first, second] = await Promise.all([
      parallel(new IsolateLimiter(), limiter, request),
      parallel(new IsolateLimiter(), limiter, request),
    ])
    expect(first.length + second.length).toBeLessThanOrEqual(RATE.limit)
  })

  it('refuses a request in one isolate while another holds leased units', async () => {
    const request = leased(5)
    const holder = new IsolateLimiter()
    await holder.decide(durableObjects, request)
    const other = new IsolateLimiter()
    for (let index = 0; index < 5; index++)
      await other.decide(durableObjects, { ...request, lease: 1 })

    const outcome = await other.decide(durableObjects, request)
    expect(outcome.kind).toBe('refused')
    expect((await holder.decide(durableObjects, request)).kind).toBe('leased')
  })

  it('shares a failed lease call with the requests that waited for it', async () => {
    const { namespace, calls } = countingNamespace()
    const request = leased()
    await runInDurableObject(stubFor(request.key), (_, state) =>
      state.storage.kv.put('tat', 'corrupt'),
    )

    const isolate = new IsolateLimiter()
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => isolate.decide(durableObjectBackend(namespace), request)),
    )
    expect(outcomes.every((outcome) => outcome.kind === 'fail-open')).toBe(true)
    expect(calls()).toBe(1)
  })

  it('decides exactly without a lease', async () => {
    const { namespace, calls } = countingNamespace()
    const request = leased(1)
    const isolate = new IsolateLimiter()
    for (let index = 0; index < 3; index++)
      await isolate.decide(durableObjectBackend(namespace), request)
    expect(calls()).toBe(3)
  })
})
