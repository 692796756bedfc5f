import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { bindings, type Echo } from './gateway'

const GATEWAY = 'https://gateway.test'

async function echo(path: string, init: RequestInit = {}): Promise<Echo> {
  const response = await SELF.fetch(`${GATEWAY}${path}`, init)
  return response.json<Echo>()
}

describe('proxy routing and forwarding', () => {
  it('sends /api/ paths to the API origin', async () => {
    expect((await echo('/api/items')).origin).toBe('api')
  })

  it('sends other paths to the web origin', async () => {
    expect((await echo('/apiary')).origin).toBe('web')
  })

  it('keeps the method and the body', async () => {
    const body = await echo('/api/items', { method: 'PATCH', body: '{"name":"x"}' })
    expect(body.method).toBe('PATCH')
    expect(body.body).toBe('{"name":"x"}')
  })

  it('keeps the path and query byte for byte', async () => {
    const query = '?a=1&a=2&b=%2F%20x&c=%E2%9C%93&empty='
    const body = await echo(`/api/a%2Fb/%7Euser${query}`)
    expect(body.path).toBe('/api/a%2Fb/%7Euser')
    expect(body.query).toBe(query)
  })

  it('streams a 20 MB upload to the origin', async () => {
    const size = 20 * 1024 * 1024
    const chunk = new Uint8Array(1024 * 1024).fill(7)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === size) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await SELF.fetch(`${GATEWAY}/api/upload`, { method: 'POST', body: stream })
    const body = await response.json<{ bytes: number; headers: Record<string, string> }>()
    expect(body.bytes).toBe(size)
  })

  it('streams a 20 MB download to the client', async () => {
    const size = 20 * 1024 * 1024
    const response = await SELF.fetch(`${GATEWAY}/files/download?bytes=${size}`)
    expect(response.headers.get('content-length')).toBe(String(size))
    expect((await response.arrayBuffer()).byteLength).toBe(size)
  })

  it('delivers the first server-sent event before the stream ends', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/stream`)
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toContain('"event":1')
    expect(new TextDecoder().decode(first.value)).not.toContain('"event":3')
    await reader.cancel()
  })

  it('returns redirects without following them', async () => {
    const response = await SELF.fetch(`${GATEWAY}/old/redirect`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/landing')
  })

  it('keeps every Set-Cookie header', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/cookies`)
    expect((response.headers as unknown as { getSetCookie(): string[] }).getSetCookie()).toEqual([
      'first=1; Path=/; HttpOnly',
      'second=2; Path=/; SameSite=Lax',
    ])
  })

  it('passes a 402 with its payment headers through unchanged', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/payment`)
    expect(response.status).toBe(402)
    expect(response.headers.get('payment-required')).toBe('eyJhY2NlcHRzIjpbXX0=')
    expect(response.headers.get('x-payment-response')).toBe('eyJzdWNjZXNzIjpmYWxzZX0=')
    expect((await response.json<{ x402Version: number }>()).x402Version).toBe(1)
  })

  it('passes a gzip body through with its own length', async () => {
    const direct = await fetch(`${bindings.WEB_ORIGIN}/x/gzip`)
    const response = await SELF.fetch(`${GATEWAY}/x/gzip`, {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(response.headers.get('content-length')).toBe(direct.headers.get('content-length'))
    expect((await response.json<{ compressed: boolean }>()).compressed).toBe(true)
  })

  it('keeps API responses out of CDN caches', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/stream`)
    await response.body?.cancel()
    expect(response.headers.get('cdn-cache-control')).toBe('no-store')
    expect(response.headers.get('cache-control')).toBe('no-cache')
  })

  it('leaves web responses cacheable', async () => {
    const response = await SELF.fetch(`${GATEWAY}/page`)
    expect(response.headers.get('cdn-cache-control')).toBeNull()
  })
})

describe('proxy request headers', () => {
  it('drops hop-by-hop headers and those Connection names', async () => {
    const headers = {
      connection: 'x-private',
      'x-private': 'secret',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic abc',
      te: 'trailers',
    }
    const seen = (await echo('/api/items', { headers })).headers
    expect(seen['x-private']).toBeUndefined()
    expect(seen['proxy-authorization']).toBeUndefined()
    expect(seen['te']).toBeUndefined()
    expect(seen['keep-alive']).toBeUndefined()
  })

  it('strips client-sent x-edge- headers', async () => {
    const headers = { 'x-edge-wallet': 'forged', 'X-Edge-Tier': 'ADMIN', 'x-edge-identity': 'x' }
    const seen = (await echo('/api/items', { headers })).headers
    expect(seen['x-edge-wallet']).toBeUndefined()
    expect(seen['x-edge-tier']).toBeUndefined()
    expect(seen['x-edge-identity']).toBeUndefined()
  })

  it('sends the request id', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/items`)
    const seen = (await response.json<Echo>()).headers
    expect(seen['x-edge-request-id']).toBe(response.headers.get('x-request-id'))
  })

  it('sets X-Forwarded-For from CF-Connecting-IP only', async () => {
    const headers = { 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '10.0.0.1' }
    const seen = (await echo('/api/items', { headers })).headers
    expect(seen['x-forwarded-for']).toBe('203.0.113.7')
  })

  it('drops a client X-Forwarded-For without CF-Connecting-IP', async () => {
    const seen = (await echo('/api/items', { headers: { 'x-forwarded-for': '10.0.0.1' } })).headers
    expect(seen['x-forwarded-for']).toBeUndefined()
  })

  it('replaces X-Forwarded-Proto and X-Forwarded-Host', async () => {
    const headers = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.test' }
    const seen = (await echo('/api/items', { headers })).headers
    expect(seen['x-forwarded-proto']).toBe('https')
    expect(seen['x-forwarded-host']).toBe('gateway.test')
  })

  it('gives the origin its own Host', async () => {
    const seen = (await echo('/api/items')).headers
    expect(seen.host).toBe(new URL(bindings.API_ORIGIN).host)
  })

  it('keeps Authorization and cookies for the origin', async () => {
    const headers = { cookie: 'theme=dark', 'payment-signature': 'sig' }
    const seen = (await echo('/api/items', { headers })).headers
    expect(seen.cookie).toBe('theme=dark')
    expect(seen['payment-signature']).toBe('sig')
  })
})

describe('proxy response headers', () => {
  it('drops hop-by-hop headers from the origin', async () => {
    const response = await SELF.fetch(`${GATEWAY}/own-headers`)
    expect(response.headers.get('keep-alive')).toBeNull()
  })
})

describe('proxy WebSocket', () => {
  it('relays messages both ways through the origin', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/ws`, { headers: { upgrade: 'websocket' } })
    expect(response.status).toBe(101)
    const socket = response.webSocket!
    socket.accept()
    const reply = new Promise<string>((resolve) => {
      socket.addEventListener('message', (event) => resolve(String(event.data)))
    })
    socket.send('ping')
    expect(await reply).toBe('api: ping')
    socket.close(1000, 'done')
  })
})
