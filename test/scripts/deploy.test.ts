import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fixture, runScript } from './run-script'

const OLD = '11111111-1111-4111-8111-111111111111'
const NEW = '22222222-2222-4222-8222-222222222222'

const HEALTHY: Record<string, string> = {
  '/_edge/health': '{"status":"ok","cluster":"devnet"}',
  '/api/health': '{"status":"ok"}',
  '/api/health/ready': '{"status":"ok"}',
}

describe('deploy', () => {
  let server: Server
  let url: string
  let replies: Record<string, string>
  let folder: string
  let recordFile: string

  beforeAll(async () => {
    server = createServer((request, response) => {
      const body = replies[request.url ?? '']
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
      response.end(body ?? '{"error":"not found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    folder = mkdtempSync(join(tmpdir(), 'deploy-test-'))
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    rmSync(folder, { recursive: true, force: true })
  })

  beforeEach(() => {
    replies = { ...HEALTHY }
    recordFile = join(folder, `${crypto.randomUUID()}.jsonl`)
  })

  function deploy(args: string[], env: Record<string, string> = {}) {
    return runScript('deploy.mjs', args, {
      env: {
        WRANGLER_BIN: fixture('wrangler-versions-stand-in.mjs'),
        RECORD_FILE: recordFile,
        GATEWAY_URL: url,
        ...env,
      },
    })
  }

  function calls(): string[] {
    if (!existsSync(recordFile)) return []
    return readFileSync(recordFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as string[]).join(' '))
  }

  const realRun = ['--env', 'staging', '--skip-checks', '--soak', '0']

  it('moves traffic to the new version in three verified steps', async () => {
    const result = await deploy(realRun)
    expect(result.code).toBe(0)
    expect(calls()).toEqual([
      'deployments status --env staging --json',
      'versions upload --env staging',
      `versions deploy ${NEW}@10% ${OLD}@90% --env staging -y`,
      `versions deploy ${NEW}@50% ${OLD}@50% --env staging -y`,
      `versions deploy ${NEW}@100% --env staging -y`,
    ])
  })

  it('reports the version that serves all traffic', async () => {
    const result = await deploy(realRun)
    expect(result.stdout).toContain(`version ${NEW} serves 100 % of staging`)
  })

  it('rolls back when the verification fails', async () => {
    replies['/api/health/ready'] = '{"status":"degraded"}'
    const result = await deploy(realRun)
    expect(result.code).toBe(1)
    expect(calls().at(-1)).toBe(
      `versions deploy ${OLD}@100% --env staging -y --message rollback by scripts/deploy.mjs`,
    )
  })

  it('stops at the first failed step', async () => {
    replies['/api/health/ready'] = '{"status":"degraded"}'
    await deploy(realRun)
    expect(calls().filter((call) => call.includes(`${NEW}@`))).toEqual([
      `versions deploy ${NEW}@10% ${OLD}@90% --env staging -y`,
    ])
  })

  it('names the failed step and the version it went back to', async () => {
    replies['/api/health/ready'] = '{"status":"degraded"}'
    const result = await deploy(realRun)
    expect(result.stderr).toContain(`verification at 10 % failed; rolled back to ${OLD}`)
  })

  it('rolls back when a traffic step fails', async () => {
    const result = await deploy(realRun, { FAIL_ON: `versions deploy ${NEW}@50%` })
    expect(result.code).toBe(1)
    expect(calls().at(-1)).toContain(`versions deploy ${OLD}@100%`)
  })

  it('reports a rollback that fails too', async () => {
    const result = await deploy(realRun, { FAIL_ON: 'versions deploy' })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('ROLLBACK FAILED')
  })

  it('refuses to start while traffic is still split', async () => {
    const result = await deploy(realRun, { SPLIT_DEPLOYMENT: '1' })
    expect(result.code).toBe(1)
    expect(calls()).toEqual(['deployments status --env staging --json'])
  })

  it('deploys nothing when the upload fails', async () => {
    const result = await deploy(realRun, { FAIL_ON: 'versions upload' })
    expect(result.code).toBe(1)
    expect(calls().some((call) => call.startsWith('versions deploy'))).toBe(false)
  })

  it('takes custom steps', async () => {
    await deploy([...realRun, '--steps', '25,100'])
    expect(calls().filter((call) => call.startsWith('versions deploy'))).toEqual([
      `versions deploy ${NEW}@25% ${OLD}@75% --env staging -y`,
      `versions deploy ${NEW}@100% --env staging -y`,
    ])
  })

  it('prints the plan and runs nothing on a dry run', async () => {
    const result = await deploy(['--env', 'production', '--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      'wrangler versions deploy <new>@10% <old>@90% --env production -y',
    )
    expect(calls()).toEqual([])
  })

  it('lists the checks in the dry-run plan', async () => {
    const result = await deploy(['--env', 'production', '--dry-run'])
    expect(result.stdout).toContain('npm test')
  })

  it('rejects an unknown environment', async () => {
    const result = await deploy(['--env', 'prod'])
    expect(result.code).toBe(2)
    expect(calls()).toEqual([])
  })

  it('refuses to start without a URL to verify', async () => {
    const result = await deploy(realRun, { GATEWAY_URL: '' })
    expect(result.code).toBe(2)
    expect(calls()).toEqual([])
  })

  it('rejects steps that do not end at 100', async () => {
    const result = await deploy([...realRun, '--steps', '10,50'])
    expect(result.code).toBe(2)
  })
})
