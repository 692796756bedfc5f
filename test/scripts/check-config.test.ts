import { describe, expect, it } from 'vitest'
import { fixture, runScript } from './run-script'

async function checkConfig(name: string) {
  return runScript('check-config.mjs', [fixture(name)])
}

describe('check-config', () => {
  it('passes the project wrangler.toml', async () => {
    const result = await runScript('check-config.mjs', [])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('passes a consistent configuration', async () => {
    const result = await checkConfig('good.toml')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('passed for top level, staging, production')
  })

  it.each([
    ['missing-binding.toml', 'production: missing ratelimits binding BURST_LIMITER'],
    ['missing-var.toml', 'staging: missing var API_ORIGIN'],
    [
      'production-devnet.toml',
      'production: vars.SOLANA_CLUSTER is "devnet", expected mainnet-beta',
    ],
    ['staging-mainnet.toml', 'staging: vars.SOLANA_CLUSTER is "mainnet-beta", expected devnet'],
    ['http-origin.toml', 'staging: vars.WEB_ORIGIN is http://staging.app.example.com'],
    ['http-origin-in-list.toml', 'production: vars.CORS_ALLOWED_ORIGINS is http://old.example.com'],
    ['shared-namespace.toml', 'staging and production share the ratelimits namespace_id "2001"'],
    ['shared-script.toml', 'staging and production share the Durable Object script_name'],
    ['secret-name.toml', 'production: vars.JWT_SECRET is named like a secret'],
    ['secret-value.toml', 'staging: vars.ANALYTICS_WRITE looks like a secret'],
    ['no-production.toml', 'environment production is missing'],
  ])('rejects %s', async (name, problem) => {
    const result = await checkConfig(name)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(problem)
  })

  it('reports one problem for a single mistake', async () => {
    const result = await checkConfig('missing-var.toml')
    expect(result.stderr).toContain('1 problem(s)')
  })

  it('never prints the secret-like value', async () => {
    const result = await checkConfig('secret-value.toml')
    expect(result.stderr).not.toContain('Q2xvdWRmbGFyZVdvcmtlcnM5ODc2NTQzMjEwWFk')
  })

  it('names the line of a syntax error', async () => {
    const result = await checkConfig('bad-syntax.toml')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('TOML line 3: unterminated string')
  })
})
