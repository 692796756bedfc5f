import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runScript } from './run-script'

// A server that is not the gateway: the demo must name the step where it went wrong.
describe('demo against a server that is not the gateway', () => {
  let server: Server
  let url: string

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end('{"error":{"code":"not_found","message":"Nothing here."}}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('exits non-zero naming the failing step', async () => {
    const result = await runScript('demo.mjs', [], { env: { GATEWAY_URL: url } })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('failed at step "health": health returned HTTP 404 not_found')
  })

  it('starts nothing when the gateway responds', async () => {
    const result = await runScript('demo.mjs', [], { env: { GATEWAY_URL: url } })
    expect(result.stdout).not.toContain('starting the local origins')
  })
})
