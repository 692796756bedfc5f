import bs58 from 'bs58'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  challengeFor,
  errorCode,
  newWallet,
  postJson,
  sign,
  signIn,
  withLogs,
  type Wallet,
} from './session-helpers'

const VERIFY = '/_edge/siws/verify'

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

/** A Solana off-chain message, version 1, with one signer. */
function envelopeV1(wallet: Wallet, text: string): Uint8Array {
  const domain = Uint8Array.of(0xff, ...new TextEncoder().encode('solana offchain'))
  const message = new TextEncoder().encode(text)
  return Uint8Array.of(...domain, 1, 1, ...wallet.keyPair.publicKey, ...message)
}

function signBytes(wallet: Wallet, bytes: Uint8Array): Uint8Array {
  return nacl.sign.detached(bytes, wallet.keyPair.secretKey)
}

describe('POST /_edge/siws/verify sign-in', () => {
  it('signs a wallet in with the challenge text and a base58 signature', async () => {
    const wallet = newWallet()
    const { response, body } = await signIn(wallet)
    expect(response.status).toBe(200)
    expect(body.address).toBe(wallet.address)
    expect(body.tier).toBe('WAITLIST')
    expect(body.token.split('.')).toHaveLength(3)
  })

  it('returns an expiry one hour ahead', async () => {
    const { body } = await signIn(newWallet())
    const ahead = Date.parse(body.expiresAt) - Date.now()
    expect(ahead).toBeGreaterThan(3_590_000)
    expect(ahead).toBeLessThanOrEqual(3_600_000)
  })

  it('sets an HttpOnly, SameSite=Lax session cookie for the whole site', async () => {
    const { response, body } = await signIn(newWallet())
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie.startsWith(`edge_session=${body.token};`)).toBe(true)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    expect(cookie).toContain('Max-Age=3600')
  })

  it('leaves Secure off the cookie in local development', async () => {
    const { response } = await signIn(newWallet())
    expect(response.headers.get('set-cookie')).not.toContain('Secure')
  })

  it('accepts a publicKey that matches the message address', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const response = await postJson(VERIFY, {
      message,
      signature: sign(wallet, message),
      publicKey: wallet.address,
    })
    expect(response.status).toBe(200)
  })

  it('keeps the token and signature out of the log line', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signature = sign(wallet, message)
    const { response, raw } = await withLogs(() => postJson(VERIFY, { message, signature }))
    const { token } = await response.json<{ token: string }>()
    expect(raw).not.toContain(token)
    expect(raw).not.toContain(signature)
  })
})

describe('POST /_edge/siws/verify with wallet-standard output', () => {
  it.each([
    ['JSON arrays', (bytes: Uint8Array) => Array.from(bytes)],
    ['base64', toBase64],
  ])('accepts byte fields sent as %s', async (_name, encode) => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signed = new TextEncoder().encode(message)
    const response = await postJson(VERIFY, {
      account: { address: wallet.address, publicKey: encode(wallet.keyPair.publicKey) },
      signedMessage: encode(signed),
      signature: encode(signBytes(wallet, signed)),
      signatureType: 'ed25519',
    })
    expect(response.status).toBe(200)
  })

  it('accepts base58 byte fields when the encoding is named', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signed = new TextEncoder().encode(message)
    const response = await postJson(VERIFY, {
      account: { address: wallet.address, publicKey: wallet.address },
      signedMessage: bs58.encode(signed),
      signature: bs58.encode(signBytes(wallet, signed)),
      encoding: 'base58',
    })
    expect(response.status).toBe(200)
  })

  it('accepts a message wrapped in an off-chain envelope v1', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signed = envelopeV1(wallet, message)
    const response = await postJson(VERIFY, {
      account: { address: wallet.address },
      signedMessage: Array.from(signed),
      signature: Array.from(signBytes(wallet, signed)),
    })
    expect(response.status).toBe(200)
  })

  it('rejects an envelope whose signer is another key', async () => {
    const wallet = newWallet()
    const other = newWallet()
    const { message } = await challengeFor(wallet)
    const signed = envelopeV1(other, message)
    const response = await postJson(VERIFY, {
      account: { address: wallet.address },
      signedMessage: Array.from(signed),
      signature: Array.from(signBytes(wallet, signed)),
    })
    expect(response.status).toBe(401)
  })

  it('rejects an account address that differs from its public key', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signed = new TextEncoder().encode(message)
    const { response, lines } = await withLogs(() =>
      postJson(VERIFY, {
        account: { address: newWallet().address, publicKey: Array.from(wallet.keyPair.publicKey) },
        signedMessage: Array.from(signed),
        signature: Array.from(signBytes(wallet, signed)),
      }),
    )
    expect(response.status).toBe(401)
    expect(lines.at(-1)?.reason).toBe('account_address_not_signing_key')
  })

  it('rejects a byte string that reads as both base58 and base64 without an encoding', async () => {
    const wallet = newWallet()
    const response = await postJson(VERIFY, {
      account: { address: wallet.address },
      // 'abcd' is valid base58 and valid base64.
      signedMessage: 'abcd',
      signature: Array.from(new Uint8Array(64)),
    })
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_request')
  })
})
