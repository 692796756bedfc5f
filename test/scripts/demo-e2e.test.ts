import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOrigin } from '../../scripts/origins.mjs'
import { stopGroup } from '../../scripts/lib/children.mjs'
import { runDemo } from '../../scripts/lib/demo-steps.mjs'
import { startGateway, stopOrigins } from '../../scripts/lib/local-stack.mjs'

type Origin = Awaited<ReturnType<typeof startOrigin>>

function freePort(): Promise<number> {
  const server = createServer()
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

// The demo against the real gateway under `wrangler dev`, with its own ports, fresh test
// secrets and a throwaway Durable Object state, so it neither needs nor touches `.dev.vars`.
describe('demo against the local gateway', () => {
  let origins: Origin[] = []
  let gateway: ChildProcess | null = null
  let stateDir: string
  let gatewayUrl: string
  const output: string[] = []

  beforeAll(async () => {
    origins = [await startOrigin('web'), await startOrigin('api')]
    stateDir = mkdtempSync(join(tmpdir(), 'demo-state-'))
    gatewayUrl = `http://127.0.0.1:${await freePort()}`
    const vars = {
      WEB_ORIGIN: origins[0]?.url ?? '',
      API_ORIGIN: origins[1]?.url ?? '',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ORIGIN_SHARED_SECRET: randomBytes(32).toString('base64url'),
    }
    gateway = await startGateway(gatewayUrl, {
      write: (line: string) => output.push(line),
      vars,
      persistTo: stateDir,
    })
  }, 120_000)

  afterAll(async () => {
    if (gateway) await stopGroup(gateway)
    await stopOrigins(origins)
    rmSync(stateDir, { recursive: true, force: true })
  })

  it('completes every step', async () => {
    const lines: string[] = []
    const result = await runDemo(gatewayUrl, (line: string) => lines.push(line))
    expect(result.reason).toBeUndefined()
    expect(result.ok).toBe(true)
  }, 60_000)

  it('drives a policy to a 429 with Retry-After on a second run', async () => {
    const lines: string[] = []
    await runDemo(gatewayUrl, (line: string) => lines.push(line))
    const last = lines[lines.length - 1] ?? ''
    expect(last).toMatch(/429 rate_limited with Retry-After [1-9][0-9]* s$/)
  }, 60_000)
})
