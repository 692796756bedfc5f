import { describe, expect, inject, it } from 'vitest'
import { stubFor, uniqueIp } from '../limits/helpers'
import { callGateway } from '../proxy/gateway'

// rpc for ANONYMOUS: 30 calls per 60 s, all 30 at once.
const RATE = { limit: 30, windowMs: 60_000, burst: 30 }
const primary = inject('rpcPrimaryUrl')

function batch(size: number) {
  return Array.from({ length: size }, (_, id) => ({ jsonrpc: '2.0', id, method: 'getSlot' }))
}

async function sendBatch(ip: string, size: number) {
  const init = {
    method: 'POST',
    body: JSON.stringify(batch(size)),
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
  }
  return callGateway('/_edge/rpc', init, { SOLANA_RPC_URL: `${primary}/ok` })
}

describe('rate limit of JSON-RPC batches', () => {
  it('charges a batch one unit per call', async () => {
    const ip = uniqueIp()
    const response = await sendBatch(ip, 5)
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    const peek = await stubFor(`devnet:rpc:ip:${ip}`).peek({ rate: RATE })
    expect(peek.remaining).toBe(25)
  })

  it('reports the remaining units after the whole batch', async () => {
    const response = await sendBatch(uniqueIp(), 5)
    await response.arrayBuffer()
    expect(response.headers.get('x-ratelimit-remaining')).toBe('25')
  })

  it('charges a single call one unit', async () => {
    const ip = uniqueIp()
    const response = await sendBatch(ip, 1)
    await response.arrayBuffer()
    const peek = await stubFor(`devnet:rpc:ip:${ip}`).peek({ rate: RATE })
    expect(peek.remaining).toBe(29)
  })

  it('refuses a batch larger than the remaining allowance with a JSON 429', async () => {
    const ip = uniqueIp()
    await stubFor(`devnet:rpc:ip:${ip}`).take({ rate: RATE, cost: 27 })
    const response = await sendBatch(ip, 5)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).not.toBeNull()
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('rate_limited')
  })

  it('rejects a batch larger than the burst as a 400', async () => {
    const response = await sendBatch(uniqueIp(), 31)
    expect(response.status).toBe(400)
    const body = await response.json<{ error: { code: string } }>()
    expect(body.error.code).toBe('cost_above_burst')
  })
})
