import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixture, runScript } from './run-script'

const JWT_VALUE = 'jwt-value-9f8e7d6c5b4a39281706f5e4d3c2b1a0'
const ORIGIN_VALUE = 'origin-value-0a1b2c3d4e5f60718293a4b5c6d7e8f9'
const INFISICAL_EXPORT = JSON.stringify([
  { key: 'JWT_SECRET', value: JWT_VALUE },
  { key: 'ORIGIN_SHARED_SECRET', value: ORIGIN_VALUE },
])

interface Recorded {
  args: string[]
  stdin: string
  metrics: string
}

describe('secrets:sync', () => {
  let dir: string
  let recordFile: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sync-secrets-'))
    recordFile = join(dir, 'record.json')
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  function sync(args: string[], input: string, env: Record<string, string> = {}) {
    return runScript('sync-secrets.mjs', args, {
      input,
      env: { WRANGLER_BIN: fixture('wrangler-stand-in.mjs'), RECORD_FILE: recordFile, ...env },
    })
  }

  function recorded(): Recorded {
    return JSON.parse(readFileSync(recordFile, 'utf8')) as Recorded
  }

  it('runs wrangler secret bulk for the environment', async () => {
    const result = await sync(['--env', 'staging', '-'], INFISICAL_EXPORT)
    expect(result.code).toBe(0)
    expect(recorded().args).toEqual(['secret', 'bulk', '--env', 'staging'])
  })

  it('passes the secrets to wrangler on stdin as one JSON object', async () => {
    await sync(['--env', 'staging'], INFISICAL_EXPORT)
    const secrets = JSON.parse(recorded().stdin)
    expect(secrets).toEqual({ JWT_SECRET: JWT_VALUE, ORIGIN_SHARED_SECRET: ORIGIN_VALUE })
  })

  it('turns off wrangler telemetry', async () => {
    await sync(['--env', 'staging'], INFISICAL_EXPORT)
    expect(recorded().metrics).toBe('false')
  })

  it('reads the export from --file', async () => {
    const file = join(dir, 'export.json')
    writeFileSync(file, INFISICAL_EXPORT)
    const result = await sync(['--env', 'production', '--file', file], '')
    expect(result.code).toBe(0)
    expect(recorded().args).toContain('production')
  })

  it('accepts a flat object', async () => {
    const result = await sync(['--env', 'staging'], JSON.stringify({ JWT_SECRET: JWT_VALUE }))
    expect(result.code).toBe(0)
    expect(JSON.parse(recorded().stdin)).toEqual({ JWT_SECRET: JWT_VALUE })
  })

  it('prints the names', async () => {
    const result = await sync(['--env', 'staging'], INFISICAL_EXPORT)
    expect(result.stdout).toContain('JWT_SECRET, ORIGIN_SHARED_SECRET')
  })

  it('never prints a value, even when wrangler echoes it', async () => {
    const result = await sync(['--env', 'staging'], INFISICAL_EXPORT, { ECHO_VALUES: '1' })
    const output = result.stdout + result.stderr
    expect(output).toContain('debug: JWT_SECRET=***')
    expect(output).not.toContain(JWT_VALUE)
    expect(output).not.toContain(ORIGIN_VALUE)
  })

  it('runs nothing on a dry run', async () => {
    const result = await sync(['--env', 'staging', '--dry-run'], INFISICAL_EXPORT)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('dry run')
    expect(existsSync(recordFile)).toBe(false)
  })

  it('never prints a value on a dry run', async () => {
    const result = await sync(['--env', 'staging', '--dry-run'], INFISICAL_EXPORT)
    expect(result.stdout + result.stderr).not.toContain(JWT_VALUE)
  })

  it('exits with the code wrangler exits with', async () => {
    const result = await sync(['--env', 'staging'], INFISICAL_EXPORT, { EXIT_CODE: '3' })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('exited with code 3')
  })

  it.each([
    ['an invalid name', JSON.stringify([{ key: 'BAD-NAME', value: 'x' }]), 'invalid secret name'],
    [
      'a duplicate name',
      JSON.stringify([
        { key: 'A', value: 'x' },
        { key: 'A', value: 'y' },
      ]),
      'appears twice',
    ],
    ['an empty value', JSON.stringify({ A: '' }), 'secret A is empty'],
    ['a non-string value', JSON.stringify({ A: 42 }), 'secret A has no string value'],
    ['an empty export', '[]', 'contains no secrets'],
    ['text that is not JSON', 'JWT_SECRET=abc', 'not valid JSON'],
  ])('rejects %s', async (_case, input, message) => {
    const result = await sync(['--env', 'staging'], input)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(existsSync(recordFile)).toBe(false)
  })

  it('rejects an environment wrangler.toml does not define', async () => {
    const result = await sync(['--env', 'stagin'], INFISICAL_EXPORT)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('environment stagin is not in')
  })

  it('rejects a secret that has the name of a var', async () => {
    const input = JSON.stringify({ SOLANA_CLUSTER: 'devnet-value' })
    const result = await sync(['--env', 'staging'], input)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('already has vars named SOLANA_CLUSTER')
  })

  it('requires --env', async () => {
    const result = await sync([], INFISICAL_EXPORT)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--env is required')
  })
})
