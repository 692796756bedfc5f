import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { challengeFor, errorCode, newWallet, postJson } from './session-helpers'
import { clusterFor } from '../../src/cluster'
import { challengeStore } from '../../src/siws/session-store'

describe('POST /_edge/siws/challenge', () => {
  it('issues an input bound to the served host and cluster', async () => {
    const { input } = await challengeFor(newWallet())
    expect(input.domain).toBe('gateway.test')
    expect(input.uri).toBe('http://gateway.test')
    expect(input.version).toBe('1')
    expect(input.chainId).toBe('solana:devnet')
  })

  it('issues a nonce of at least 128 bits in alphanumeric characters', async () => {
    const { input } = await challengeFor(newWallet())
    expect(input.nonce).toMatch(/^[A-Za-z0-9]{21,}$/)
  })

  it('expires the challenge five minutes after issuing it', async () => {
    const { input } = await challengeFor(newWallet())
    const issued = Date.parse(input.issuedAt as string)
    const expires = Date.parse(input.expirationTime as string)
    expect(expires - issued).toBe(300_000)
  })

  it('returns the exact text to sign when the address is given', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    expect(message.split('\n')[0]).toBe(
      'gateway.test wants you to sign in with your Solana account:',
    )
    expect(message.split('\n')[1]).toBe(wallet.address)
  })

  it('omits the message when no address is given', async () => {
    const response = await postJson('/_edge/siws/challenge', '')
    const body = await response.json<Record<string, unknown>>()
    expect(response.status).toBe(200)
    expect(body.message).toBeUndefined()
    expect(body.input).toBeTypeOf('object')
  })

  it('issues a fresh nonce on every call', async () => {
    const wallet = newWallet()
    const first = await challengeFor(wallet)
    const second = await challengeFor(wallet)
    expect(first.input.nonce).not.toBe(second.input.nonce)
  })

  it('stores the issued input in the devnet shard of its nonce', async () => {
    const { input } = await challengeFor(newWallet())
    const stub = challengeStore(env, clusterFor('devnet'), input.nonce)
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ input: string }>('SELECT input FROM challenges WHERE nonce = ?', input.nonce)
        .toArray(),
    )
    expect(stored).toHaveLength(1)
    expect(JSON.parse(stored[0]?.input ?? '{}')).toEqual(input)
  })

  it('is not cached', async () => {
    const response = await postJson('/_edge/siws/challenge', {})
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it.each([
    ['an invalid base58 address', { address: '0OIl' }],
    ['an address of 31 bytes', { address: '1111111111111111111111111111111' }],
    ['an address that is not a string', { address: 42 }],
    ['a JSON array', []],
    ['a JSON string', '"hello"'],
    ['text that is not JSON', '{address:'],
  ])('rejects %s with 400 invalid_request', async (_name, body) => {
    const response = await postJson('/_edge/siws/challenge', body)
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_request')
  })

  it('rejects a body over 8 KiB with 413', async () => {
    const response = await postJson('/_edge/siws/challenge', { address: 'x'.repeat(9000) })
    expect(response.status).toBe(413)
    expect(await errorCode(response)).toBe('payload_too_large')
  })
})
