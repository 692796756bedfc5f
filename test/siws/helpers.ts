/**
 * Shared fixtures for the SIWS core tests: keys, a complete challenge, off-chain envelope
 * encoders and the whole verification chain the sign-in route runs.
 */
import bs58 from 'bs58'
import nacl from 'tweetnacl'
import { checkFields, checkSigner, sameAsIssued } from '../../src/siws/check-fields'
import type { FieldExpectations } from '../../src/siws/check-fields'
import { verifyEd25519, type VerifyResult } from '../../src/siws/ed25519'
import { parseSiwsMessage, type SiwsFields } from '../../src/siws/message'
import { extractSignedText } from '../../src/siws/offchain'

export interface Signer {
  publicKey: Uint8Array
  secretKey: Uint8Array
  address: string
}

export function newSigner(seed?: Uint8Array): Signer {
  const pair = seed ? nacl.sign.keyPair.fromSeed(seed) : nacl.sign.keyPair()
  return { ...pair, address: bs58.encode(pair.publicKey) }
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

export function sign(bytes: Uint8Array, signer: Signer): Uint8Array {
  return nacl.sign.detached(bytes, signer.secretKey)
}

/** 2024-05-01T12:00:00.000Z, the clock of every test that does not set its own. */
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0)
export const SKEW_MS = 60_000

export const EXPECT: FieldExpectations = {
  domain: 'gateway.test',
  uri: 'https://gateway.test',
  acceptedChainIds: ['solana:devnet', 'devnet'],
  now: NOW,
  skewMs: SKEW_MS,
}

/** Returns a challenge as the gateway issues it to `address`, a minute before NOW. */
export function issuedFields(address: string): SiwsFields {
  return {
    domain: 'gateway.test',
    address,
    statement: 'Sign in to the gateway.',
    uri: 'https://gateway.test',
    version: '1',
    chainId: 'solana:devnet',
    nonce: 'k3Qz8VbN2xLm',
    issuedAt: '2024-05-01T11:59:00.000Z',
    expirationTime: '2024-05-01T12:09:00.000Z',
    requestId: 'req-7',
    resources: [
      'https://gateway.test/terms',
      'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
    ],
  }
}

/** Encodes a v0 off-chain message envelope; the format defaults to UTF-8 up to 1232 bytes. */
export function envelopeV0(
  message: Uint8Array,
  signers: Uint8Array[],
  options: { format?: number; length?: number; applicationDomain?: Uint8Array } = {},
): Uint8Array {
  const length = options.length ?? message.length
  return Uint8Array.from([
    0xff,
    ...utf8('solana offchain'),
    0,
    ...(options.applicationDomain ?? new Uint8Array(32)),
    options.format ?? 1,
    signers.length,
    ...signers.flatMap((signer) => [...signer]),
    length & 0xff,
    length >> 8,
    ...message,
  ])
}

/** Encodes a v1 off-chain message envelope with the signers in the order given. */
export function envelopeV1(message: Uint8Array, signers: Uint8Array[]): Uint8Array {
  return Uint8Array.from([
    0xff,
    ...utf8('solana offchain'),
    1,
    signers.length,
    ...signers.flatMap((signer) => [...signer]),
    ...message,
  ])
}

/** Runs every check the sign-in route runs on signed bytes and returns the first failure. */
export async function verifySignedMessage(
  signed: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
  issued: SiwsFields,
  expect: FieldExpectations = EXPECT,
): Promise<VerifyResult> {
  const extracted = extractSignedText(signed, publicKey)
  if (!extracted.ok) return extracted

  const parsed = parseSiwsMessage(extracted.text)
  if (!parsed.ok) return parsed

  const checks = [
    checkFields(parsed.fields, expect),
    sameAsIssued(parsed.fields, issued),
    checkSigner(parsed.fields, publicKey),
  ]
  const failed = checks.find((check) => !check.ok)
  if (failed) return failed

  return verifyEd25519(publicKey, signed, signature)
}
