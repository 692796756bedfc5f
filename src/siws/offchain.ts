/**
 * Finds the SIWS text inside the bytes a wallet signed: the UTF-8 text itself, or a Solana
 * off-chain message envelope around it. Pure: no I/O, never throws.
 *
 * Envelope layout, from the off-chain message signing proposal
 * (https://docs.anza.xyz/proposals/off-chain-message-signing) and the v1 codec of
 * anza-xyz/kit (packages/offchain-messages):
 *
 *   signing domain  16 bytes  "\xffsolana offchain"
 *   header version   1 byte   0 or 1
 *   v0: application domain (32 bytes), message format (1 byte: 0 printable ASCII up to 1232
 *       bytes, 1 UTF-8 up to 1232 bytes, 2 UTF-8 up to 65535 bytes), signer count (1 byte, not
 *       zero), signers (32 bytes each), message length (u16 little-endian, not zero), message
 *   v1: signer count (1 byte, not zero), signers (32 bytes each, in ascending byte order with
 *       no repeats), message (the rest of the bytes, not empty)
 *
 * Bare text cannot be mistaken for an envelope: the byte 0xff never occurs in UTF-8.
 * NOTE: the earlier solana-sdk v0 layout (format and length straight after the version, no
 * application domain and no signers) is not accepted, and the application domain is not checked.
 */

export type SignedText =
  { ok: true; text: string; envelope: 'none' | 'v0' | 'v1' } | { ok: false; reason: string }

const SIGNING_DOMAIN = Uint8Array.of(0xff, ...new TextEncoder().encode('solana offchain'))
const DOMAIN_LENGTH = SIGNING_DOMAIN.length
const KEY_LENGTH = 32
const HARDWARE_WALLET_MAX_BYTES = 1232

function fail(reason: string): SignedText {
  return { ok: false, reason }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index])
}

/** Returns -1, 0 or 1 as `a` sorts before, equal to or after `b`, byte by byte. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0)
    if (difference !== 0) return Math.sign(difference)
  }
  return 0
}

function hasSigningDomain(signed: Uint8Array): boolean {
  return bytesEqual(signed.subarray(0, DOMAIN_LENGTH), SIGNING_DOMAIN)
}

/** Decodes strict UTF-8: invalid sequences fail, and a byte order mark stays in the text. */
function decodeText(bytes: Uint8Array, envelope: 'none' | 'v0' | 'v1'): SignedText {
  if (bytes.length === 0) return fail('signed message is empty')
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    return { ok: true, text, envelope }
  } catch {
    return fail('signed message is not valid UTF-8')
  }
}

/**
 * Returns the text the wallet signed. An envelope must list `publicKey` among its signers, so a
 * signature over an envelope made for other signers is not accepted.
 */
export function extractSignedText(signed: Uint8Array, publicKey: Uint8Array): SignedText {
  if (!hasSigningDomain(signed)) return decodeText(signed, 'none')

  const version = signed[DOMAIN_LENGTH]
  if (version === undefined) return fail('off-chain message ends before the header version')
  if (version === 0) return readVersion0(signed.subarray(DOMAIN_LENGTH + 1), publicKey)
  if (version === 1) return readVersion1(signed.subarray(DOMAIN_LENGTH + 1), publicKey)
  return fail(`off-chain message version ${version} is not supported`)
}

type Signers = { ok: true; signers: Uint8Array[]; rest: Uint8Array } | { ok: false; reason: string }

/** Reads the signer count and the signers, and checks that `publicKey` is one of them. */
function readSigners(bytes: Uint8Array, publicKey: Uint8Array): Signers {
  const count = bytes[0] ?? 0
  if (count === 0) return { ok: false, reason: 'off-chain message has no signers' }
  if (bytes.length < 1 + count * KEY_LENGTH) {
    return { ok: false, reason: 'off-chain message ends inside the signer list' }
  }

  const signers: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const start = 1 + index * KEY_LENGTH
    signers.push(bytes.subarray(start, start + KEY_LENGTH))
  }
  if (!signers.some((signer) => bytesEqual(signer, publicKey))) {
    return { ok: false, reason: 'off-chain message signers do not include the public key' }
  }
  return { ok: true, signers, rest: bytes.subarray(1 + count * KEY_LENGTH) }
}

function readVersion0(bytes: Uint8Array, publicKey: Uint8Array): SignedText {
  const format = bytes[KEY_LENGTH]
  if (format === undefined) return fail('off-chain message ends inside the v0 header')
  if (format > 2) return fail(`off-chain message format ${format} is not supported`)

  const signers = readSigners(bytes.subarray(KEY_LENGTH + 1), publicKey)
  if (!signers.ok) return signers

  const { rest } = signers
  if (rest.length < 2) return fail('off-chain message ends inside the message length')
  const length = (rest[0] ?? 0) | ((rest[1] ?? 0) << 8)
  const message = rest.subarray(2)
  if (length === 0) return fail('off-chain message length is zero')
  if (length !== message.length) return fail('off-chain message length does not match')

  if (format < 2 && length > HARDWARE_WALLET_MAX_BYTES) {
    return fail(`off-chain message is longer than format ${format} allows`)
  }
  if (format === 0 && !message.every((byte) => byte >= 0x20 && byte <= 0x7e)) {
    return fail('off-chain message is not printable ASCII as format 0 requires')
  }
  return decodeText(message, 'v0')
}

function readVersion1(bytes: Uint8Array, publicKey: Uint8Array): SignedText {
  const signers = readSigners(bytes, publicKey)
  if (!signers.ok) return signers

  for (let index = 1; index < signers.signers.length; index++) {
    const previous = signers.signers[index - 1]
    const current = signers.signers[index]
    if (previous && current && compareBytes(previous, current) >= 0) {
      return fail('off-chain message v1 signers are not sorted and unique')
    }
  }

  if (signers.rest.length === 0) return fail('off-chain message is empty')
  return decodeText(signers.rest, 'v1')
}
