import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startOrigin } from '../../scripts/origins.mjs'
import { runScript } from './run-script'

interface Reply {
  status: number
  body: string
}

const HEALTHY: Record<string, Reply> = {
  '/_edge/health': { status: 200, body: '{"status":"ok","cluster":"devnet"}' },
  '/api/health': { status: 200, body: '{"status":"ok"}' },
  '/api/health/ready': { status: 200, body: '{"status":"ok","checks":{"db":{"status":"ok"}}}' },
}

describe('verify-deploy', () => {
  let server: Server
  let url: string
  let replies: Record<string, Reply>

  beforeAll(async () => {
    server = createServer((request, response) => {
      const reply = replies[request.url ?? ''] ?? { status: 404, body: '{"error":"not found"}' }
      response.writeHead(reply.status, { 'content-type': 'application/json' })
      response.end(reply.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  beforeEach(() => {
    replies = { ...HEALTHY }
  })

  it('passes when every check returns a healthy body', async () => {
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('ok    /api/health/ready')
  })

  it('fails on a body that reports degraded', async () => {
    replies['/api/health/ready'] = { status: 200, body: '{"status":"degraded","reason":"db slow"}' }
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('FAIL  /api/health/ready: reports degraded')
  })

  it('fails on a dependency nested in the body that reports degraded', async () => {
    replies['/api/health'] = {
      status: 200,
      body: '{"status":"ok","checks":[{"status":"degraded"}]}',
    }
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('FAIL  /api/health: reports degraded')
  })

  it('fails on a status other than 200', async () => {
    replies['/_edge/health'] = { status: 503, body: '{"status":"unavailable"}' }
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('FAIL  /_edge/health: HTTP 503')
  })

  it('fails on a body that is not JSON', async () => {
    replies['/api/health'] = { status: 200, body: '<html>maintenance</html>' }
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('FAIL  /api/health: the body is not JSON')
  })

  it('counts the failed checks', async () => {
    replies['/api/health'] = { status: 500, body: '{}' }
    replies['/api/health/ready'] = { status: 500, body: '{}' }
    const result = await runScript('verify-deploy.mjs', [url])
    expect(result.stderr).toContain('2 of 3 checks failed')
  })

  it('fails when nothing listens at the URL', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))

    const result = await runScript('verify-deploy.mjs', [`http://127.0.0.1:${port}`])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('FAIL  /_edge/health: request failed (ECONNREFUSED)')
  })

  it('rejects a missing URL with usage', async () => {
    const result = await runScript('verify-deploy.mjs', [])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('usage: verify-deploy URL')
  })

  it('passes the API checks of the local API origin', async () => {
    const api = await startOrigin('api')
    try {
      const result = await runScript('verify-deploy.mjs', [api.url])
      expect(result.stdout).toContain('ok    /api/health: ok')
    } finally {
      api.server.closeAllConnections()
      await api.close()
    }
  })
})
