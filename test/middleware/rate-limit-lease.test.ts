import { describe, expect, it } from 'vitest'
import { TIERS } from '../../src/limits/tiers'
import { stubFor, uniqueIp } from '../limits/helpers'
import { callGateway } from '../proxy/gateway'

// pages for ANONYMOUS by default: 300 per 60 s, leasing a tenth of the burst (30 units).
const PAGES = { limit: 300, windowMs: 60_000, burst: 300 }

function page(ip: string, overrides = {}) {
  return callGateway('/some/page', { headers: { 'cf-connecting-ip': ip } }, overrides)
}

async function statusOf(response: Response): Promise<number> {
  await response.arrayBuffer()
  return response.status
}

describe('rate-limit middleware with a leased policy', () => {
  it('charges the object a whole lease on the first request', async () => {
    const ip = uniqueIp()
    await statusOf(await page(ip))
    const peek = await stubFor(`devnet:pages:ip:${ip}`).peek({ rate: PAGES })
    expect(peek.remaining).toBe(270)
  })

  it('serves the next request without charging the object again', async () => {
    const ip = uniqueIp()
    await statusOf(await page(ip))
    await statusOf(await page(ip))
    const peek = await stubFor(`devnet:pages:ip:${ip}`).peek({ rate: PAGES })
    expect(peek.remaining).toBe(270)
  })

  it('reports remaining from the lease view on each response', async () => {
    const ip = uniqueIp()
    const first = await page(ip)
    const second = await page(ip)
    await Promise.all([first.arrayBuffer(), second.arrayBuffer()])
    expect(first.headers.get('x-ratelimit-remaining')).toBe('299')
    expect(second.headers.get('x-ratelimit-remaining')).toBe('298')
  })

  it('lets no more than the limit through 40 parallel requests', async () => {
    const tier = { limit: 10, window: 60, burst: 10 }
    const tiers = Object.fromEntries(TIERS.map((name) => [name, tier]))
    const policies = JSON.stringify({ policies: { pages: { lease: 4, tiers } } })
    const ip = uniqueIp()

    const responses = await Promise.all(
      Array.from({ length: 40 }, () => page(ip, { RATE_LIMIT_POLICIES: policies })),
    )
    const statuses = await Promise.all(responses.map(statusOf))
    expect(statuses.filter((status) => status === 200).length).toBe(10)
    expect(statuses.filter((status) => status === 429).length).toBe(30)
  })
})
