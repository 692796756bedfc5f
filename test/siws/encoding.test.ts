import bs58 from 'bs58'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeBase58,
  decodeBase64,
  decodeByteArray,
  decodeBytes,
  MAX_BASE58_LENGTH,
  MAX_DECODED_BYTES,
  type ByteEncoding,
} from '../../src/siws/encoding'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7)
const KEY_BASE58 = bs58.encode(KEY)

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function base64url(bytes: Uint8Array): string {
  return base64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function reasonOf(result: { ok: boolean; reason?: string }): string | undefined {
  return result.ok ? undefined : result.reason
}

describe('decodeBase58', () => {
  it('decodes a 32-byte key', () => {
    expect(decodeBase58(KEY_BASE58, 32)).toEqual({ ok: true, bytes: KEY })
  })

  it('keeps leading zero bytes', () => {
    expect(decodeBase58('11', 2)).toEqual({ ok: true, bytes: new Uint8Array(2) })
  })

  it('rejects a key of the wrong length', () => {
    expect(reasonOf(decodeBase58(bs58.encode(KEY.subarray(1)), 32))).toBe(
      'base58 value decodes to 31 bytes; expected 32',
    )
  })

  for (const invalid of ['0', 'O', 'I', 'l', '+', ' ', 'é']) {
    it(`rejects the character ${JSON.stringify(invalid)}`, () => {
      expect(reasonOf(decodeBase58(`${KEY_BASE58}${invalid}`))).toBe(
        'base58 value contains a character outside the alphabet',
      )
    })
  }

  it('rejects an empty string', () => {
    expect(reasonOf(decodeBase58(''))).toBe('base58 value is empty')
  })

  it('rejects a value that is not a string', () => {
    expect(reasonOf(decodeBase58(Array.from(KEY)))).toBe('base58 value is not a string')
  })

  it('rejects a string over the length limit', () => {
    expect(reasonOf(decodeBase58('2'.repeat(MAX_BASE58_LENGTH + 1)))).toBe(
      'base58 value is too long',
    )
  })
})

describe('decodeBase64', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01])

  it('decodes padded standard base64', () => {
    expect(decodeBase64(base64(bytes))).toEqual({ ok: true, bytes })
  })

  it('decodes unpadded URL-safe base64', () => {
    expect(decodeBase64(base64url(bytes))).toEqual({ ok: true, bytes })
  })

  it('rejects non-zero bits after the last byte', () => {
    expect(reasonOf(decodeBase64('QR=='))).toBe(
      'base64 value has non-zero bits after the last byte',
    )
  })

  it('rejects padding on a length that needs none', () => {
    expect(reasonOf(decodeBase64('QUFB=='))).toBe('base64 value has wrong padding')
  })

  it('rejects a length no encoding produces', () => {
    expect(reasonOf(decodeBase64('QUFBQ'))).toBe('base64 value has an impossible length')
  })

  it('rejects mixed standard and URL-safe alphabets', () => {
    expect(reasonOf(decodeBase64('+_AA'))).toBe(
      'base64 value contains a character outside the alphabet',
    )
  })

  it('rejects embedded whitespace', () => {
    expect(decodeBase64('QUFB QUFB').ok).toBe(false)
  })
})

describe('decodeByteArray', () => {
  it('decodes integers from 0 to 255', () => {
    expect(decodeByteArray([0, 1, 255])).toEqual({ ok: true, bytes: Uint8Array.from([0, 1, 255]) })
  })

  for (const item of [256, -1, 1.5, '1', null, Number.NaN]) {
    it(`rejects the item ${String(item)}`, () => {
      expect(reasonOf(decodeByteArray([1, item]))).toBe(
        'byte array item 1 is not an integer from 0 to 255',
      )
    })
  }

  it('rejects an empty array', () => {
    expect(reasonOf(decodeByteArray([]))).toBe('byte array is empty')
  })

  it('rejects an array over the size limit', () => {
    expect(reasonOf(decodeByteArray(new Array(MAX_DECODED_BYTES + 1).fill(0)))).toBe(
      'byte array is too long',
    )
  })
})

describe('decodeBytes', () => {
  it('reads a string only in the named encoding', () => {
    expect(decodeBytes('QUFB', 'base64')).toEqual({
      ok: true,
      bytes: Uint8Array.from([65, 65, 65]),
    })
  })

  it('rejects a string valid in both encodings when none is named', () => {
    expect(reasonOf(decodeBytes('QUFB'))).toBe(
      'bytes string is valid base58 and base64; name the encoding',
    )
  })

  it('reads a string with base64-only characters without a name', () => {
    expect(decodeBytes('+/8=')).toEqual({ ok: true, bytes: Uint8Array.from([0xfb, 0xff]) })
  })

  it('reads a base58 string of a length base64 cannot have', () => {
    expect(decodeBytes('11111')).toEqual({ ok: true, bytes: new Uint8Array(5) })
  })

  it('reads an array without a name', () => {
    expect(decodeBytes([9, 8])).toEqual({ ok: true, bytes: Uint8Array.from([9, 8]) })
  })

  it('rejects an array when base58 is named', () => {
    expect(reasonOf(decodeBytes([9, 8], 'base58'))).toBe('base58 value is not a string')
  })

  it('rejects an object', () => {
    expect(reasonOf(decodeBytes({ 0: 1 }))).toBe('bytes are neither a string nor an array')
  })

  it('never returns bytes other than the encoded ones', () => {
    const encoders: Record<ByteEncoding, (bytes: Uint8Array) => unknown> = {
      base58: (bytes) => bs58.encode(bytes),
      base64: (bytes) => (bytes[0] === undefined ? '' : base64(bytes)),
      array: (bytes) => Array.from(bytes),
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.constantFrom<ByteEncoding>('base58', 'base64', 'array'),
        fc.boolean(),
        (bytes, encoding, named) => {
          const result = decodeBytes(encoders[encoding](bytes), named ? encoding : undefined)
          if (named) expect(result).toEqual({ ok: true, bytes })
          else if (result.ok) expect(result.bytes).toEqual(bytes)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('never throws on arbitrary JSON values', () => {
    const encoding = fc.constantFrom<ByteEncoding | undefined>(
      'base58',
      'base64',
      'array',
      undefined,
    )
    fc.assert(
      fc.property(fc.jsonValue(), encoding, (value, named) => {
        expect(typeof decodeBytes(value, named).ok).toBe('boolean')
      }),
      { numRuns: 500 },
    )
  })
})
