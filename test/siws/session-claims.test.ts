/**
 * Token lifetimes: `exp` must be a whole number of seconds, within the session TTL for the
 * gateway's tokens and within 30 days for the origin app's, each plus the clock skew.
 */
import { env } from 'cloudflare:test'
import { Jwt } from 'hono/utils/jwt'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { MAX_ORIGIN_TOKEN_LIFETIME_SECONDS } from '../../src/siws/session-claims'
import { verifySessionToken } from '../../src/siws/session-token'
import { newWallet } from './session-helpers'

const config = loadConfig(env).siws
const NOW = Date.UTC(2026, 0, 1)
const SECONDS = NOW / 1000
const DAY = 86_400

async function reasonFor(token: string) {
  const result = await verifySessionToken(token, config, NOW)
  return result.ok ? 'accepted' : result.reason
}

describe('token lifetimes', () => {
  it('caps origin tokens at 30 days', () => {
    expect(MAX_ORIGIN_TOKEN_LIFETIME_SECONDS).toBe(30 * DAY)
  })

  const address = newWallet().address
  const origin = (extra: Record<string, unknown>) =>
    Jwt.sign({ wallet_address: address, exp: SECONDS + 600, ...extra }, config.jwtSecret)
  const gateway = (exp: number) =>
    Jwt.sign(
      {
        iss: 'solana-edge-gateway',
        sub: address,
        wallet_address: address,
        tier: 'BETA',
        cluster: 'devnet',
        jti: 'lifetime-test',
        exp,
      },
      config.jwtSecret,
    )

  it('rejects an exp of 1e20', async () => {
    expect(await reasonFor(await origin({ exp: 1e20 }))).toBe('token_lifetime_too_long')
  })

  it('rejects an exp that is not a whole number of seconds', async () => {
    expect(await reasonFor(await origin({ exp: 1.5 }))).toBe('token_exp_not_integer')
  })

  it('rejects a fractional exp in the future', async () => {
    expect(await reasonFor(await origin({ exp: SECONDS + 600.5 }))).toBe('token_exp_not_integer')
  })

  it('rejects a 100-year origin token with is_admin', async () => {
    const token = await origin({ is_admin: true, exp: SECONDS + 100 * 365 * DAY })
    expect(await reasonFor(token)).toBe('token_lifetime_too_long')
  })

  it('accepts a 29-day origin token', async () => {
    expect(await reasonFor(await origin({ exp: SECONDS + 29 * DAY }))).toBe('accepted')
  })

  it('accepts an origin token at 30 days plus the clock skew', async () => {
    const exp = SECONDS + 30 * DAY + config.clockSkewSeconds
    expect(await reasonFor(await origin({ exp }))).toBe('accepted')
  })

  it('rejects an origin token one second past 30 days plus the skew', async () => {
    const exp = SECONDS + 30 * DAY + config.clockSkewSeconds + 1
    expect(await reasonFor(await origin({ exp }))).toBe('token_lifetime_too_long')
  })

  it('accepts a gateway token at the session TTL plus the skew', async () => {
    const exp = SECONDS + config.sessionTtlSeconds + config.clockSkewSeconds
    expect(await reasonFor(await gateway(exp))).toBe('accepted')
  })

  it('rejects a gateway token one second past the session TTL plus the skew', async () => {
    const exp = SECONDS + config.sessionTtlSeconds + config.clockSkewSeconds + 1
    expect(await reasonFor(await gateway(exp))).toBe('token_lifetime_too_long')
  })

  it('rejects a 29-day gateway token', async () => {
    expect(await reasonFor(await gateway(SECONDS + 29 * DAY))).toBe('token_lifetime_too_long')
  })
})
