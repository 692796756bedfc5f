import { env } from 'cloudflare:test'
import bs58 from 'bs58'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { TierConfig } from '../../src/siws/config'
import { resolveTier } from '../../src/siws/tier-resolver'
import { challengeFor, newWallet, postJson, sign, signIn, withLogs } from './session-helpers'

const base = loadConfig(env).siws.tiers
const withMint: TierConfig = {
  ...base,
  tokenMint: bs58.encode(new Uint8Array(32).fill(9)),
  thresholds: [
    { tier: 'ALPHA', minimum: 10_000 },
    { tier: 'BETA', minimum: 1_000 },
    { tier: 'EARLY_ACCESS', minimum: 1 },
  ],
}

type Accounts = Array<{ amount: string; decimals: number }>

/** Registers the owner's token accounts (or a failure) with the local JSON-RPC stand-in. */
async function register(owner: string, setup: { accounts?: Accounts; fail?: 'http' | 'rpc' }) {
  const url = new URL('/accounts', base.rpcUrl)
  const response = await fetch(url, { method: 'POST', body: JSON.stringify({ owner, ...setup }) })
  if (!response.ok) throw new Error(`registering ${owner} failed`)
}

describe('tier resolver', () => {
  it('reads the RPC URL from the test binding', () => {
    expect(base.rpcUrl.startsWith('http://127.0.0.1:')).toBe(true)
  })

  it('uses the override for an overridden address', async () => {
    const owner = 'GmaDrppBC7P5ARKV8g3djiwP89vz1jLK23V2GBjuAEGB'
    expect(await resolveTier(withMint, owner, Date.now())).toEqual({
      tier: 'ALPHA',
      source: 'override',
    })
  })

  it('gives the default tier when no mint is configured', async () => {
    const noMint = { ...base, tokenMint: undefined }
    const result = await resolveTier(noMint, newWallet().address, Date.now())
    expect(result).toEqual({ tier: 'WAITLIST', source: 'default' })
  })

  it.each<[string, Accounts, string]>([
    ['no token account', [], 'WAITLIST'],
    ['a balance of 0.5 tokens', [{ amount: '500000', decimals: 6 }], 'WAITLIST'],
    ['a balance of exactly 1 token', [{ amount: '1000000', decimals: 6 }], 'EARLY_ACCESS'],
    [
      '1,500 tokens over two accounts',
      [
        { amount: '1000', decimals: 0 },
        { amount: '500', decimals: 0 },
      ],
      'BETA',
    ],
    ['20,000 tokens with 9 decimals', [{ amount: '20000000000000', decimals: 9 }], 'ALPHA'],
  ])('maps %s to %s', async (_name, accounts, tier) => {
    const owner = newWallet().address
    await register(owner, { accounts })
    const result = await resolveTier(withMint, owner, Date.now())
    expect(result.tier).toBe(tier)
  })

  it.each(['http', 'rpc'] as const)(
    'falls back to the default tier on an %s failure',
    async (fail) => {
      const owner = newWallet().address
      await register(owner, { fail })
      const result = await resolveTier(withMint, owner, Date.now())
      expect(result.tier).toBe('WAITLIST')
      expect(result.reason?.startsWith('tier_lookup_failed')).toBe(true)
    },
  )

  it('falls back to the default tier when the node is unreachable', async () => {
    const unreachable = { ...withMint, rpcUrl: 'http://127.0.0.1:9/' }
    const result = await resolveTier(unreachable, newWallet().address, Date.now())
    expect(result.tier).toBe('WAITLIST')
    expect(result.reason?.startsWith('tier_lookup_failed')).toBe(true)
  })

  it('serves a balance from the cache until it expires', async () => {
    const owner = newWallet().address
    const now = Date.now()
    await register(owner, { accounts: [{ amount: '5000', decimals: 0 }] })
    await resolveTier(withMint, owner, now)
    await register(owner, { accounts: [] })
    expect((await resolveTier(withMint, owner, now + 1_000)).tier).toBe('BETA')
    expect((await resolveTier(withMint, owner, now + 301_000)).tier).toBe('WAITLIST')
  })
})

describe('tier at sign-in', () => {
  it('signs the overridden wallet in with its override tier', async () => {
    const keyPair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7))
    const { body } = await signIn({ keyPair, address: bs58.encode(keyPair.publicKey) })
    expect(body.tier).toBe('ALPHA')
  })

  it('signs a wallet holding 2,000 tokens in as BETA', async () => {
    const wallet = newWallet()
    await register(wallet.address, { accounts: [{ amount: '2000', decimals: 0 }] })
    const { body } = await signIn(wallet)
    expect(body.tier).toBe('BETA')
  })

  it('signs a wallet without tokens in with the default tier', async () => {
    const { body } = await signIn(newWallet())
    expect(body.tier).toBe('WAITLIST')
  })

  it('signs in with the default tier and logs why when the lookup fails', async () => {
    const wallet = newWallet()
    await register(wallet.address, { fail: 'http' })
    const { message } = await challengeFor(wallet)
    const body = { message, signature: sign(wallet, message) }
    const { response, lines } = await withLogs(() => postJson('/_edge/siws/verify', body))
    const { tier } = await response.json<{ tier: string }>()
    expect(response.status).toBe(200)
    expect(tier).toBe('WAITLIST')
    expect(lines.at(-1)?.reason).toBe('tier_lookup_failed: rpc_http_503')
  })
})
