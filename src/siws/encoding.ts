/**
 * Decodes byte strings that arrive in JSON request bodies: keys, signatures and signed messages.
 * Pure: no I/O. Every function returns a result with a reason and never throws, whatever the
 * input value is.
 */
import bs58 from 'bs58'

export type BytesResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string }
export type ByteEncoding = 'base58' | 'base64' | 'array'

/** Largest decoded value accepted in any encoding: a SIWS message with room to spare. */
export const MAX_DECODED_BYTES = 8192

/**
 * Maximum length of a decoded base58 string. Base58 decoding takes time quadratic in the length, so the cap
 * is lower than for base64: 1400 characters decode to about 1 KiB, enough for keys, signatures
 * and ordinary SIWS messages.
 */
export const MAX_BASE58_LENGTH = 1400

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/
const BASE64_STANDARD = /^[A-Za-z0-9+/]+={0,2}$/
const BASE64_URL = /^[A-Za-z0-9\-_]+={0,2}$/

function fail(reason: string): BytesResult {
  return { ok: false, reason }
}

/** Decodes a base58 string (the Bitcoin alphabet Solana uses), optionally of an exact length. */
export function decodeBase58(value: unknown, expectedLength?: number): BytesResult {
  if (typeof value !== 'string') return fail('base58 value is not a string')
  if (value.length === 0) return fail('base58 value is empty')
  if (value.length > MAX_BASE58_LENGTH) return fail('base58 value is too long')
  if (!BASE58.test(value)) return fail('base58 value contains a character outside the alphabet')

  const bytes = bs58.decodeUnsafe(value)
  if (bytes === undefined) return fail('base58 value is invalid')

  if (expectedLength !== undefined && bytes.length !== expectedLength) {
    return fail(`base58 value decodes to ${bytes.length} bytes; expected ${expectedLength}`)
  }
  return { ok: true, bytes }
}

/**
 * Decodes base64, standard (RFC 4648 section 4) or URL-safe (section 5), padded or not. Bits
 * left over after the last byte must be zero, so each byte string has one accepted spelling
 * per alphabet.
 */
export function decodeBase64(value: unknown): BytesResult {
  if (typeof value !== 'string') return fail('base64 value is not a string')
  if (value.length === 0) return fail('base64 value is empty')
  if (value.length > Math.ceil(MAX_DECODED_BYTES / 3) * 4) return fail('base64 value is too long')
  if (!BASE64_STANDARD.test(value) && !BASE64_URL.test(value)) {
    return fail('base64 value contains a character outside the alphabet')
  }

  const unpadded = value.replace(/=+$/, '')
  const padding = value.length - unpadded.length
  if (unpadded.length % 4 === 1) return fail('base64 value has an impossible length')
  if (padding > 0 && value.length % 4 !== 0) return fail('base64 value has wrong padding')

  const standard = unpadded.replaceAll('-', '+').replaceAll('_', '/')
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='))
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))

  if (btoa(binary).replace(/=+$/, '') !== standard) {
    return fail('base64 value has non-zero bits after the last byte')
  }
  return { ok: true, bytes }
}

/** Decodes a JSON array of integers 0 to 255, the form `JSON.stringify(Array.from(bytes))` has. */
export function decodeByteArray(value: unknown): BytesResult {
  if (!Array.isArray(value)) return fail('byte array is not an array')
  if (value.length === 0) return fail('byte array is empty')
  if (value.length > MAX_DECODED_BYTES) return fail('byte array is too long')

  const bytes = new Uint8Array(value.length)
  for (const [index, item] of value.entries()) {
    if (!Number.isInteger(item) || item < 0 || item > 255) {
      return fail(`byte array item ${index} is not an integer from 0 to 255`)
    }
    bytes[index] = item
  }
  return { ok: true, bytes }
}

/**
 * Decodes bytes sent as a JSON array, base64 or base58. With `encoding` named, only that
 * encoding is read. Without it, an array is read as an array and a string is read only when
 * exactly one of base58 and base64 accepts it. Most base58 strings are also valid base64, so
 * such a string is rejected as ambiguous rather than guessed.
 */
export function decodeBytes(value: unknown, encoding?: ByteEncoding): BytesResult {
  if (encoding === 'array') return decodeByteArray(value)
  if (encoding === 'base64') return decodeBase64(value)
  if (encoding === 'base58') return decodeBase58(value)

  if (Array.isArray(value)) return decodeByteArray(value)
  if (typeof value !== 'string') return fail('bytes are neither a string nor an array')

  const asBase58 = decodeBase58(value)
  const asBase64 = decodeBase64(value)
  if (asBase58.ok && asBase64.ok) {
    return fail('bytes string is valid base58 and base64; name the encoding')
  }
  if (asBase58.ok) return asBase58
  if (asBase64.ok) return asBase64
  return fail('bytes string is neither base58 nor base64')
}
