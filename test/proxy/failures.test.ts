import { SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { bindings, callGateway } from './gateway'

type ErrorBody = { error: { code: string; message: string } }

const closed = inject('closedOrigin')

async function hits(origin: string, key: string): Promise<number> {
  const response = await fetch(`${origin}/x/hits?key=${key}`)
  return (await response.json<{ count: number }>()).count
}

describe('proxy failures', () => {
  it('answers a slow origin with a 504', async () => {
    const response = await callGateway('/api/slow?ms=1000', {}, { API_ORIGIN_TIMEOUT_MS: '100' })
    expect(response.status).toBe(504)
    expect((await response.json<ErrorBody>()).error.code).toBe('origin_timeout')
  })

  it('answers an unreachable origin with a 502', async () => {
    const response = await callGateway('/page', {}, { WEB_ORIGIN: closed })
    expect(response.status).toBe(502)
    expect((await response.json<ErrorBody>()).error.code).toBe('origin_unreachable')
  })

  it('keeps the origin URL out of the error', async () => {
    const response = await callGateway('/page', {}, { WEB_ORIGIN: closed })
    expect(await response.text()).not.toContain(closed)
  })

  it('retries a GET on the backup', async () => {
    const overrides = { API_ORIGIN: closed, API_ORIGIN_BACKUP: bindings.API_ORIGIN }
    const response = await callGateway('/api/counted?key=get-backup', {}, overrides)
    expect(response.status).toBe(200)
    expect(await hits(bindings.API_ORIGIN, 'get-backup')).toBe(1)
  })

  it('answers 504 when the backup is slow too', async () => {
    const overrides = {
      WEB_ORIGIN_TIMEOUT_MS: '100',
      WEB_ORIGIN_BACKUP: bindings.API_ORIGIN,
    }
    const response = await callGateway('/x/slow?ms=1000', {}, overrides)
    expect(response.status).toBe(504)
  })

  it('never sends a POST to the backup', async () => {
    const overrides = { API_ORIGIN: closed, API_ORIGIN_BACKUP: bindings.API_ORIGIN }
    const init = { method: 'POST', body: 'order' }
    const response = await callGateway('/api/counted?key=post-once', init, overrides)
    expect(response.status).toBe(502)
    expect(await hits(bindings.API_ORIGIN, 'post-once')).toBe(0)
  })

  it('rejects a declared body over the limit before the origin sees it', async () => {
    const init = { method: 'POST', body: 'x'.repeat(2048), headers: { 'content-length': '2048' } }
    const response = await callGateway('/api/counted?key=too-large', init, {
      PROXY_MAX_BODY_BYTES: '1024',
    })
    expect(response.status).toBe(413)
    expect((await response.json<ErrorBody>()).error.code).toBe('payload_too_large')
    expect(await hits(bindings.API_ORIGIN, 'too-large')).toBe(0)
  })

  it('stops a streamed body at the limit', async () => {
    const chunk = new Uint8Array(512).fill(1)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4096) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const init = { method: 'POST', body }
    const response = await callGateway('/api/counted?key=streamed', init, {
      PROXY_MAX_BODY_BYTES: '1024',
    })
    expect(response.status).toBe(413)
    expect(await hits(bindings.API_ORIGIN, 'streamed')).toBe(0)
  })

  it('ends the client response with an error when the origin resets mid-stream', async () => {
    const response = await SELF.fetch('https://gateway.test/x/reset')
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })

  it('names the origin in the log line', async () => {
    const lines: string[] = []
    const original = console.log
    console.log = (line: string) => lines.push(line)
    try {
      await (await callGateway('/page', {}, { WEB_ORIGIN: closed })).text()
    } finally {
      console.log = original
    }
    const line = JSON.parse(lines.at(-1)!) as { origin: string; reason: string }
    expect(line.origin).toBe('web')
    expect(line.reason).toContain('web origin unreachable')
  })
})
