import { env } from 'cloudflare:test'
import { Jwt } from 'hono/utils/jwt'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { SiwsConfig } from '../../src/siws/config'
import { keyIdOf, mintSessionToken, verifySessionToken } from '../../src/siws/session-token'
import { newWallet } from './session-helpers'

const config: SiwsConfig = loadConfig(env).siws
const NOW = Date.UTC(2026, 0, 1)
const SECONDS = NOW / 1000
const OTHER_SECRET = 'another-secret-0123456789abcdef0123456789abcdef'

function base64Url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Claims the origin app puts in its tokens. */
function originClaims(address: string, extra: Record<string, unknown> = {}) {
  return {
    wallet_address: address,
    is_whitelisted: false,
    is_admin: false,
    exp: SECONDS + 600,
    ...extra,
  }
}

async function reasonFor(token: string, settings: SiwsConfig = config) {
  const result = await verifySessionToken(token, settings, NOW)
  return result.ok ? 'accepted' : result.reason
}

describe('gateway session tokens', () => {
  it('carries the claims the origin app reads', async () => {
    const { address } = newWallet()
    const { token } = await mintSessionToken(config, address, 'ADMIN', NOW)
    const { payload } = Jwt.decode(token)
    expect(payload).toMatchObject({ sub: address, wallet_address: address, tier: 'ADMIN' })
    expect(payload).toMatchObject({ is_whitelisted: true, is_admin: true, cluster: 'devnet' })
    expect(payload).toMatchObject({ iss: 'solana-edge-gateway', iat: SECONDS, exp: SECONDS + 3600 })
    expect(typeof payload.jti).toBe('string')
  })

  it('names its key with the first 8 hex digits of the secret digest', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    const { header } = Jwt.decode(token)
    expect(header.kid).toMatch(/^[0-9a-f]{8}$/)
    expect(header.kid).toBe(await keyIdOf(config.jwtSecret))
    expect(header.alg).toBe('HS256')
  })

  it('verifies back to the session it was minted with', async () => {
    const { address } = newWallet()
    const { token, session } = await mintSessionToken(config, address, 'BETA', NOW)
    expect(await verifySessionToken(token, config, NOW)).toEqual({ ok: true, session })
  })

  it('stays valid under the previous secret after a rotation', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    const rotated = { ...config, jwtSecret: OTHER_SECRET, jwtPreviousSecret: config.jwtSecret }
    expect(await reasonFor(token, rotated)).toBe('accepted')
  })

  it('is rejected once the previous secret is dropped', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    const rotated = { ...config, jwtSecret: OTHER_SECRET, jwtPreviousSecret: undefined }
    expect(await reasonFor(token, rotated)).toBe('token_kid_unknown')
  })

  it('is rejected at its expiry', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    const result = await verifySessionToken(token, config, NOW + 3_600_000)
    expect(result).toEqual({ ok: false, reason: 'token_expired' })
  })

  it('is rejected by a gateway serving another cluster', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    const mainnet = { ...config, cluster: { ...config.cluster, name: 'mainnet-beta' as const } }
    expect(await reasonFor(token, mainnet)).toBe('token_cluster_mismatch')
  })
})

describe('origin-issued tokens', () => {
  it.each([
    ['WAITLIST', {}],
    ['EARLY_ACCESS', { is_whitelisted: true }],
    ['ADMIN', { is_admin: true }],
  ])('maps their flags to %s', async (tier, flags) => {
    const { address } = newWallet()
    const token = await Jwt.sign(originClaims(address, flags), config.jwtSecret)
    const result = await verifySessionToken(token, config, NOW)
    if (!result.ok) throw new Error(`origin token rejected: ${result.reason}`)
    expect(result.session.tier).toBe(tier)
    expect(result.session.issuer).toBe('origin')
  })

  it('are accepted without a kid under the previous secret', async () => {
    const token = await Jwt.sign(originClaims(newWallet().address), config.jwtSecret)
    const rotated = { ...config, jwtSecret: OTHER_SECRET, jwtPreviousSecret: config.jwtSecret }
    expect(await reasonFor(token, rotated)).toBe('accepted')
  })
})

describe('rejected tokens', () => {
  const address = newWallet().address

  it.each<[string, () => Promise<string>, string]>([
    [
      'alg none',
      async () => `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url(originClaims(address))}.`,
      'token_algorithm_rejected',
    ],
    [
      'HS512',
      () => Jwt.sign(originClaims(address), config.jwtSecret, 'HS512'),
      'token_algorithm_rejected',
    ],
    [
      'another secret',
      () => Jwt.sign(originClaims(address), OTHER_SECRET),
      'token_signature_invalid',
    ],
    [
      'an expired exp',
      () => Jwt.sign(originClaims(address, { exp: SECONDS - 1 }), config.jwtSecret),
      'token_expired',
    ],
    [
      'no exp',
      () => Jwt.sign(originClaims(address, { exp: undefined }), config.jwtSecret),
      'token_exp_missing',
    ],
    [
      'another cluster',
      () => Jwt.sign(originClaims(address, { cluster: 'mainnet-beta' }), config.jwtSecret),
      'token_cluster_mismatch',
    ],
    [
      'no wallet address',
      () => Jwt.sign(originClaims(address, { wallet_address: undefined }), config.jwtSecret),
      'token_address_invalid',
    ],
    [
      'a wallet address that is not a key',
      () => Jwt.sign(originClaims('not-base58!'), config.jwtSecret),
      'token_address_invalid',
    ],
    [
      'an iat far in the future',
      () => Jwt.sign(originClaims(address, { iat: SECONDS + 600 }), config.jwtSecret),
      'token_issued_in_future',
    ],
    ['two parts only', async () => 'abc.def', 'token_malformed'],
    ['a header that is not JSON', async () => 'bm90IGpzb24.e30.c2ln', 'token_malformed'],
    ['an empty string', async () => '', 'token_malformed'],
    [
      'a gateway issuer without a cluster',
      () =>
        Jwt.sign(
          {
            ...originClaims(address),
            iss: 'solana-edge-gateway',
            sub: address,
            tier: 'BETA',
            jti: 'j',
          },
          config.jwtSecret,
        ),
      'token_cluster_missing',
    ],
    [
      'a gateway issuer with an unknown tier',
      () =>
        Jwt.sign(
          {
            ...originClaims(address),
            iss: 'solana-edge-gateway',
            sub: address,
            tier: 'GOD',
            jti: 'j',
            cluster: 'devnet',
          },
          config.jwtSecret,
        ),
      'token_tier_invalid',
    ],
  ])('rejects a token with %s', async (_name, make, reason) => {
    expect(await reasonFor(await make())).toBe(reason)
  })
})

describe('verified token cache', () => {
  it('rejects a cached token once it expires', async () => {
    const { token, session } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    expect((await verifySessionToken(token, config, NOW)).ok).toBe(true)

    const afterExpiry = session.expiresAt * 1000
    const result = await verifySessionToken(token, config, afterExpiry)
    expect(result).toEqual({ ok: false, reason: 'token_expired' })
  })

  it('checks a time before the cached verification again', async () => {
    const issuedLater = NOW + 10 * 60_000
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', issuedLater)
    expect((await verifySessionToken(token, config, issuedLater)).ok).toBe(true)

    const result = await verifySessionToken(token, config, NOW)
    expect(result).toEqual({ ok: false, reason: 'token_issued_in_future' })
  })

  it('does not accept a token that differs in one character', async () => {
    const { token } = await mintSessionToken(config, newWallet().address, 'BETA', NOW)
    expect((await verifySessionToken(token, config, NOW)).ok).toBe(true)

    const [header, payload, signature = ''] = token.split('.')
    const changed = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    expect(await reasonFor(`${header}.${payload}.${changed}`)).toBe('token_signature_invalid')
  })
})
