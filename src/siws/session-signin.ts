/**
 * Reads a `POST /_edge/siws/verify` body and checks the signed message in a fixed order: decode,
 * unwrap the signed text, parse, bind the address to the signing key, check the fields, verify
 * the signature, consume the nonce, compare with the issued challenge. The nonce is consumed
 * only after the signature verifies, so a caller without the key cannot use up another caller's nonce. No I/O of its
 * own: the nonce store is passed in.
 */
import bs58 from 'bs58'
import { checkFields, sameAsIssued, type FieldExpectations } from './check-fields'
import { verifyEd25519 } from './ed25519'
import { decodeBase58, decodeBytes, type ByteEncoding, type BytesResult } from './encoding'
import { parseSiwsMessage, type SiwsFields } from './message'
import { extractSignedText } from './offchain'

/** A decoded sign-in: the signed bytes, the signature and whatever names the signing key. */
export interface SignInAttempt {
  signed: Uint8Array
  signature: Uint8Array
  publicKey: Uint8Array | undefined
  /** `account.address` of a wallet-standard output, checked against the key and the message. */
  address: string | undefined
}

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string }
export type ConsumeChallenge = (nonce: string) => Promise<SiwsFields | null>

const ENCODINGS: readonly string[] = ['base58', 'base64', 'array']

/**
 * Decodes either `{message, signature, publicKey?}` (text, base58, base58) or the wallet
 * standard's `solana:signIn` output `{account: {address, publicKey}, signedMessage, signature,
 * signatureType?, encoding?}`, whose byte fields may be JSON arrays, base64 or base58.
 */
export function parseVerifyBody(body: Record<string, unknown>): Result<SignInAttempt> {
  return 'signedMessage' in body ? parseWalletOutput(body) : parseTextForm(body)
}

function parseTextForm(body: Record<string, unknown>): Result<SignInAttempt> {
  if (typeof body.message !== 'string' || body.message === '') {
    return { ok: false, reason: 'message is missing or not a string' }
  }

  const signature = decodeBase58(body.signature, 64)
  if (!signature.ok) return { ok: false, reason: `signature: ${signature.reason}` }

  const publicKey = body.publicKey === undefined ? undefined : decodeBase58(body.publicKey, 32)
  if (publicKey !== undefined && !publicKey.ok) {
    return { ok: false, reason: `publicKey: ${publicKey.reason}` }
  }

  const signed = new TextEncoder().encode(body.message)
  return {
    ok: true,
    value: { signed, signature: signature.bytes, publicKey: publicKey?.bytes, address: undefined },
  }
}

function parseWalletOutput(body: Record<string, unknown>): Result<SignInAttempt> {
  const encoding = body.encoding
  if (encoding !== undefined && (typeof encoding !== 'string' || !ENCODINGS.includes(encoding))) {
    return { ok: false, reason: 'encoding is not base58, base64 or array' }
  }
  if (body.signatureType !== undefined && body.signatureType !== 'ed25519') {
    return { ok: false, reason: 'signatureType is not ed25519' }
  }

  const account = body.account
  if (typeof account !== 'object' || account === null || Array.isArray(account)) {
    return { ok: false, reason: 'account is missing or not an object' }
  }
  const { address, publicKey } = account as Record<string, unknown>
  if (address !== undefined && !decodeBase58(address, 32).ok) {
    return { ok: false, reason: 'account.address is not a base58 address of 32 bytes' }
  }

  return decodeWalletBytes(
    body,
    publicKey,
    encoding as ByteEncoding | undefined,
    address as string | undefined,
  )
}

function decodeWalletBytes(
  body: Record<string, unknown>,
  publicKeyValue: unknown,
  encoding: ByteEncoding | undefined,
  address: string | undefined,
): Result<SignInAttempt> {
  const signed = readBytes(body.signedMessage, encoding)
  if (!signed.ok) return { ok: false, reason: `signedMessage: ${signed.reason}` }

  const signature = readBytes(body.signature, encoding)
  if (!signature.ok) return { ok: false, reason: `signature: ${signature.reason}` }

  const publicKey = publicKeyValue === undefined ? undefined : readBytes(publicKeyValue, encoding)
  if (publicKey !== undefined && !publicKey.ok) {
    return { ok: false, reason: `account.publicKey: ${publicKey.reason}` }
  }
  if (publicKey === undefined && address === undefined) {
    return { ok: false, reason: 'account has neither address nor publicKey' }
  }

  return {
    ok: true,
    value: {
      signed: signed.bytes,
      signature: signature.bytes,
      publicKey: publicKey?.bytes,
      address,
    },
  }
}

/** Arrays are always read as arrays; a named encoding applies to strings. */
function readBytes(value: unknown, encoding: ByteEncoding | undefined): BytesResult {
  return decodeBytes(value, Array.isArray(value) ? 'array' : encoding)
}

/** Runs every check on a decoded sign-in and returns the verified wallet address. */
export async function verifySignIn(
  attempt: SignInAttempt,
  expect: FieldExpectations,
  consume: ConsumeChallenge,
): Promise<Result<string>> {
  const key = signingKey(attempt)
  if (!key.ok) return key

  const message = readMessage(attempt, key.value)
  if (!message.ok) return message
  const fields = message.value

  const checked = checkFields(fields, expect)
  if (!checked.ok) return { ok: false, reason: `fields_rejected: ${checked.reason}` }

  const verified = await verifyEd25519(key.value, attempt.signed, attempt.signature)
  if (!verified.ok) return { ok: false, reason: `signature_rejected: ${verified.reason}` }

  const issued = await consume(fields.nonce ?? '')
  if (issued === null) return { ok: false, reason: 'nonce_unknown_expired_or_used' }

  const same = sameAsIssued(fields, issued)
  if (!same.ok) return { ok: false, reason: `challenge_mismatch: ${same.reason}` }
  return { ok: true, value: fields.address }
}

/** Picks the signing key: publicKey, else account.address, else the text message's address. */
function signingKey(attempt: SignInAttempt): Result<Uint8Array> {
  if (attempt.publicKey !== undefined) {
    if (attempt.publicKey.length !== 32) return { ok: false, reason: 'public_key_length_invalid' }
    return { ok: true, value: attempt.publicKey }
  }
  if (attempt.address !== undefined) return { ok: true, value: bs58.decode(attempt.address) }

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(attempt.signed)
  } catch {
    return { ok: false, reason: 'message_not_utf8' }
  }
  const parsed = parseSiwsMessage(text)
  if (!parsed.ok) return { ok: false, reason: `message_invalid: ${parsed.reason}` }
  return { ok: true, value: bs58.decode(parsed.fields.address) }
}

/** Unwraps and parses the signed text and binds its address to the signing key. */
function readMessage(attempt: SignInAttempt, key: Uint8Array): Result<SiwsFields> {
  const extracted = extractSignedText(attempt.signed, key)
  if (!extracted.ok) return { ok: false, reason: `envelope_invalid: ${extracted.reason}` }

  const parsed = parseSiwsMessage(extracted.text)
  if (!parsed.ok) return { ok: false, reason: `message_invalid: ${parsed.reason}` }

  const keyAddress = bs58.encode(key)
  if (parsed.fields.address !== keyAddress) return { ok: false, reason: 'address_not_signing_key' }
  if (attempt.address !== undefined && attempt.address !== keyAddress) {
    return { ok: false, reason: 'account_address_not_signing_key' }
  }
  return { ok: true, value: parsed.fields }
}
