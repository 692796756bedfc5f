import bs58 from 'bs58'
import { describe, expect, it } from 'vitest'
import { buildSiwsMessage, type SiwsFields } from '../../src/siws/message'
import {
  challengeFor,
  errorCode,
  newWallet,
  postJson,
  sign,
  withLogs,
  type Wallet,
} from './session-helpers'

const VERIFY = '/_edge/siws/verify'

/** Takes a fresh challenge, lets `change` edit its fields, and signs the rebuilt text. */
async function signedVariant(wallet: Wallet, change: (fields: SiwsFields) => SiwsFields) {
  const { input } = await challengeFor(wallet)
  const message = buildSiwsMessage(change({ ...(input as unknown as SiwsFields) }))
  return { message, signature: sign(wallet, message) }
}

async function verifyAndLog(body: unknown) {
  const { response, lines } = await withLogs(() => postJson(VERIFY, body))
  return { response, reason: lines.at(-1)?.reason ?? '' }
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString()

describe('POST /_edge/siws/verify refusals', () => {
  it.each<[string, (fields: SiwsFields) => SiwsFields, string]>([
    ['another domain', (f) => ({ ...f, domain: 'evil.test' }), 'fields_rejected'],
    [
      'the served host with a port',
      (f) => ({ ...f, domain: 'gateway.test:8443' }),
      'fields_rejected',
    ],
    ['another URI', (f) => ({ ...f, uri: 'http://evil.test' }), 'fields_rejected'],
    ['the mainnet chain id', (f) => ({ ...f, chainId: 'solana:mainnet' }), 'fields_rejected'],
    ['an Issued At in the future', (f) => ({ ...f, issuedAt: minutes(3) }), 'fields_rejected'],
    [
      'an Expiration Time in the past',
      (f) => ({ ...f, issuedAt: minutes(-10), expirationTime: minutes(-5) }),
      'fields_rejected',
    ],
    ['a Not Before in the future', (f) => ({ ...f, notBefore: minutes(3) }), 'fields_rejected'],
    ['an added statement', (f) => ({ ...f, statement: 'Trust me.' }), 'challenge_mismatch'],
    ['an added request id', (f) => ({ ...f, requestId: 'r-1' }), 'challenge_mismatch'],
    ['added resources', (f) => ({ ...f, resources: ['https://x.test/a'] }), 'challenge_mismatch'],
    ['a later expiration', (f) => ({ ...f, expirationTime: minutes(30) }), 'challenge_mismatch'],
    ['an earlier Issued At', (f) => ({ ...f, issuedAt: minutes(-1) }), 'challenge_mismatch'],
    ['a nonce never issued', (f) => ({ ...f, nonce: 'NeverIssued1234567890' }), 'nonce_unknown'],
  ])('rejects a message with %s', async (_name, change, reason) => {
    const wallet = newWallet()
    const { response, reason: logged } = await verifyAndLog(await signedVariant(wallet, change))
    expect(response.status).toBe(401)
    expect(logged.startsWith(reason)).toBe(true)
  })

  it('rejects a message signed for another wallet address', async () => {
    const wallet = newWallet()
    const thief = newWallet()
    const { message } = await challengeFor(wallet)
    const body = { message, signature: sign(thief, message), publicKey: thief.address }
    const { response, reason } = await verifyAndLog(body)
    expect(response.status).toBe(401)
    expect(reason).toBe('address_not_signing_key')
  })

  it('rejects a signature by another key', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const { response, reason } = await verifyAndLog({
      message,
      signature: sign(newWallet(), message),
    })
    expect(response.status).toBe(401)
    expect(reason.startsWith('signature_rejected')).toBe(true)
  })

  it('rejects a message changed after signing', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const signature = sign(wallet, message)
    const changed = message.replace('Version: 1', 'Version: 1 ')
    const { response } = await verifyAndLog({ message: changed, signature })
    expect(response.status).toBe(401)
  })

  it('rejects a message with CRLF line ends', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const crlf = message.replaceAll('\n', '\r\n')
    const { response, reason } = await verifyAndLog({
      message: crlf,
      signature: sign(wallet, crlf),
    })
    expect(response.status).toBe(401)
    expect(reason.startsWith('message_invalid')).toBe(true)
  })

  it('rejects a message with a trailing line feed', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const text = `${message}\n`
    const { response, reason } = await verifyAndLog({
      message: text,
      signature: sign(wallet, text),
    })
    expect(response.status).toBe(401)
    expect(reason.startsWith('message_invalid')).toBe(true)
  })

  it('rejects the second use of a signed message', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const body = { message, signature: sign(wallet, message) }
    const first = await postJson(VERIFY, body)
    const { response, reason } = await verifyAndLog(body)
    expect(first.status).toBe(200)
    expect(response.status).toBe(401)
    expect(reason).toBe('nonce_unknown_expired_or_used')
  })

  it('lets exactly one of two concurrent verifies of one message succeed', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const body = { message, signature: sign(wallet, message) }
    const responses = await Promise.all([postJson(VERIFY, body), postJson(VERIFY, body)])
    const statuses = responses.map((response) => response.status).sort()
    expect(statuses).toEqual([200, 401])
  })

  it('gives every failure the same public code and message', async () => {
    const wallet = newWallet()
    const { message } = await challengeFor(wallet)
    const badSignature = await postJson(VERIFY, { message, signature: sign(newWallet(), message) })
    const unknownNonce = await postJson(
      VERIFY,
      await signedVariant(wallet, (f) => ({ ...f, nonce: 'x1234567' })),
    )
    const first = await badSignature.json()
    const second = await unknownNonce.json()
    expect(first).toEqual({ error: { code: 'unauthorized', message: 'Authentication failed.' } })
    expect(second).toEqual(first)
  })
})

describe('POST /_edge/siws/verify malformed bodies', () => {
  const signature = bs58.encode(new Uint8Array(64).fill(7))
  const message = 'gateway.test wants you to sign in with your Solana account:\nx'

  it.each<[string, unknown]>([
    ['a body that is not JSON', 'message='],
    ['a JSON array', '[]'],
    ['a missing message', { signature }],
    ['a message that is not a string', { message: 42, signature }],
    ['a signature that is not base58', { message, signature: '0OIl+/' }],
    ['a signature of 63 bytes', { message, signature: bs58.encode(new Uint8Array(63).fill(7)) }],
    [
      'a public key of 31 bytes',
      { message, signature, publicKey: bs58.encode(new Uint8Array(31).fill(7)) },
    ],
    ['a wallet output without an account', { signedMessage: [1], signature: [1] }],
    [
      'a wallet output with an unknown encoding',
      { account: {}, signedMessage: [1], signature: [1], encoding: 'hex' },
    ],
    [
      'a wallet output with another signature type',
      { account: {}, signedMessage: [1], signature: [1], signatureType: 'secp256k1' },
    ],
    [
      'a wallet output with a byte above 255',
      { account: { address: newWallet().address }, signedMessage: [256], signature: [1] },
    ],
  ])('rejects %s with 400 invalid_request', async (_name, body) => {
    const response = await postJson(VERIFY, body)
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_request')
  })

  it('rejects a body over 8 KiB with 413 payload_too_large', async () => {
    const response = await postJson(VERIFY, { message: 'a'.repeat(9000), signature })
    expect(response.status).toBe(413)
    expect(await errorCode(response)).toBe('payload_too_large')
  })

  it('rejects a chunked body over 8 KiB with 413', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(1000)))
        controller.close()
      },
    })
    const response = await postJson(VERIFY, chunks)
    expect(response.status).toBe(413)
  })
})
