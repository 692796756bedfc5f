import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureDevVars, namesIn } from '../../scripts/lib/dev-vars.mjs'

function valuesIn(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split('=') as [string, string])
  return Object.fromEntries(entries)
}

describe('ensureDevVars', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-vars-'))
    writeFileSync(join(dir, '.dev.vars.example'), '# comment\nJWT_SECRET=replace-me\nRPC_KEY=x\n')
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates .dev.vars with every example name and the required names', () => {
    const result = ensureDevVars(dir)
    expect(result.created).toBe(true)
    expect(result.added).toEqual(['JWT_SECRET', 'RPC_KEY', 'ORIGIN_SHARED_SECRET'])
  })

  it('writes 32 random bytes in base64url for each name', () => {
    ensureDevVars(dir)
    const values = valuesIn(readFileSync(join(dir, '.dev.vars'), 'utf8'))
    expect(values.JWT_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(values.JWT_SECRET).not.toBe(values.ORIGIN_SHARED_SECRET)
  })

  it('never copies the placeholder value of the example', () => {
    ensureDevVars(dir)
    expect(readFileSync(join(dir, '.dev.vars'), 'utf8')).not.toContain('replace-me')
  })

  it('makes the file readable by its owner only', () => {
    ensureDevVars(dir)
    expect(statSync(join(dir, '.dev.vars')).mode & 0o777).toBe(0o600)
  })

  it('keeps existing values and adds only the missing names', () => {
    writeFileSync(join(dir, '.dev.vars'), 'JWT_SECRET=mine')
    const result = ensureDevVars(dir)
    const values = valuesIn(readFileSync(join(dir, '.dev.vars'), 'utf8'))
    expect(result.added).toEqual(['RPC_KEY', 'ORIGIN_SHARED_SECRET'])
    expect(values.JWT_SECRET).toBe('mine')
    expect(values.RPC_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('changes nothing when every name is present', () => {
    ensureDevVars(dir)
    const before = readFileSync(join(dir, '.dev.vars'), 'utf8')
    const result = ensureDevVars(dir)
    expect(result.added).toEqual([])
    expect(readFileSync(join(dir, '.dev.vars'), 'utf8')).toBe(before)
  })
})

describe('namesIn', () => {
  it('reads names from assignments and skips comments', () => {
    expect(namesIn('# A=1\nB=2\nexport C=3\n  D = 4\n')).toEqual(['B', 'C', 'D'])
  })
})
