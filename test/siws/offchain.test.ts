import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { verifyEd25519 } from '../../src/siws/ed25519'
import { buildSiwsMessage, parseSiwsMessage } from '../../src/siws/message'
import { extractSignedText } from '../../src/siws/offchain'
import { envelopeV0, envelopeV1, issuedFields, newSigner, sign, utf8 } from './helpers'

const signer = newSigner(new Uint8Array(32).fill(3))
const other = newSigner(new Uint8Array(32).fill(4))
const text = buildSiwsMessage(issuedFields(signer.address))
const message = utf8(text)

function reasonOf(signed: Uint8Array, key = signer.publicKey): string | undefined {
  const result = extractSignedText(signed, key)
  return result.ok ? undefined : result.reason
}

function sortedKeys(...keys: Uint8Array[]): Uint8Array[] {
  return keys.sort((a, b) => {
    const index = a.findIndex((byte, i) => byte !== b[i])
    return index === -1 ? 0 : (a[index] ?? 0) - (b[index] ?? 0)
  })
}

describe('extractSignedText', () => {
  it('returns bare UTF-8 text unchanged', () => {
    expect(extractSignedText(message, signer.publicKey)).toEqual({
      ok: true,
      text,
      envelope: 'none',
    })
  })

  it('reads the text of a v0 envelope', () => {
    const signed = envelopeV0(message, [signer.publicKey])
    expect(extractSignedText(signed, signer.publicKey)).toEqual({ ok: true, text, envelope: 'v0' })
  })

  it('reads a v0 envelope in the long UTF-8 format', () => {
    const signed = envelopeV0(message, [signer.publicKey], { format: 2 })
    expect(extractSignedText(signed, signer.publicKey).ok).toBe(true)
  })

  it('reads a v0 envelope that lists the key second', () => {
    const signed = envelopeV0(message, [other.publicKey, signer.publicKey])
    expect(extractSignedText(signed, signer.publicKey).ok).toBe(true)
  })

  it('reads the text of a v1 envelope', () => {
    const signed = envelopeV1(message, [signer.publicKey])
    expect(extractSignedText(signed, signer.publicKey)).toEqual({ ok: true, text, envelope: 'v1' })
  })

  it('reads a v1 envelope with sorted signers', () => {
    const signed = envelopeV1(message, sortedKeys(signer.publicKey, other.publicKey))
    expect(extractSignedText(signed, signer.publicKey).ok).toBe(true)
  })

  it('keeps the envelope bytes as what the signature covers', async () => {
    const signed = envelopeV1(message, [signer.publicKey])
    const extracted = extractSignedText(signed, signer.publicKey)
    if (!extracted.ok) throw new Error(`envelope rejected: ${extracted.reason}`)
    expect(parseSiwsMessage(extracted.text).ok).toBe(true)
    expect(await verifyEd25519(signer.publicKey, signed, sign(signed, signer))).toEqual({
      ok: true,
    })
  })

  it('rejects non-UTF-8 bare bytes', () => {
    expect(reasonOf(Uint8Array.from([0x61, 0xc3, 0x28]))).toBe('signed message is not valid UTF-8')
  })

  it('rejects a lone surrogate encoded in UTF-8', () => {
    expect(reasonOf(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe('signed message is not valid UTF-8')
  })

  it('rejects non-UTF-8 bytes inside an envelope', () => {
    const signed = envelopeV1(Uint8Array.from([0xff, 0xfe]), [signer.publicKey])
    expect(reasonOf(signed)).toBe('signed message is not valid UTF-8')
  })

  it('keeps a byte order mark so the parser rejects it', () => {
    const result = extractSignedText(
      Uint8Array.from([0xef, 0xbb, 0xbf, ...message]),
      signer.publicKey,
    )
    if (!result.ok) throw new Error(`bytes rejected: ${result.reason}`)
    expect(result.text.startsWith('\ufeff')).toBe(true)
    expect(parseSiwsMessage(result.text).ok).toBe(false)
  })

  it('rejects empty bytes', () => {
    expect(reasonOf(new Uint8Array(0))).toBe('signed message is empty')
  })

  it('rejects a v0 envelope whose signers lack the key', () => {
    const signed = envelopeV0(message, [other.publicKey])
    expect(reasonOf(signed)).toBe('off-chain message signers do not include the public key')
  })

  it('rejects a v1 envelope whose signers lack the key', () => {
    const signed = envelopeV1(message, [other.publicKey])
    expect(reasonOf(signed)).toBe('off-chain message signers do not include the public key')
  })

  it('rejects an envelope without signers', () => {
    expect(reasonOf(envelopeV1(message, []))).toBe('off-chain message has no signers')
  })

  it('rejects v1 signers out of order', () => {
    const signed = envelopeV1(message, sortedKeys(signer.publicKey, other.publicKey).reverse())
    expect(reasonOf(signed)).toBe('off-chain message v1 signers are not sorted and unique')
  })

  it('rejects repeated v1 signers', () => {
    const signed = envelopeV1(message, [signer.publicKey, signer.publicKey])
    expect(reasonOf(signed)).toBe('off-chain message v1 signers are not sorted and unique')
  })

  it('rejects a v1 envelope without a message', () => {
    const signed = envelopeV1(new Uint8Array(0), [signer.publicKey])
    expect(reasonOf(signed)).toBe('off-chain message is empty')
  })

  it('rejects a v0 length shorter than the message', () => {
    const signed = envelopeV0(message, [signer.publicKey], { length: message.length - 1 })
    expect(reasonOf(signed)).toBe('off-chain message length does not match')
  })

  it('rejects a v0 envelope with trailing bytes', () => {
    const signed = Uint8Array.from([...envelopeV0(message, [signer.publicKey]), 0x20])
    expect(reasonOf(signed)).toBe('off-chain message length does not match')
  })

  it('rejects a v0 length of zero', () => {
    const signed = envelopeV0(new Uint8Array(0), [signer.publicKey])
    expect(reasonOf(signed)).toBe('off-chain message length is zero')
  })

  it('rejects a v0 envelope cut inside the signers', () => {
    const signed = envelopeV0(message, [signer.publicKey]).subarray(0, 60)
    expect(reasonOf(signed)).toBe('off-chain message ends inside the signer list')
  })

  it('rejects a v0 envelope cut inside the header', () => {
    const signed = envelopeV0(message, [signer.publicKey]).subarray(0, 30)
    expect(reasonOf(signed)).toBe('off-chain message ends inside the v0 header')
  })

  it('rejects an unknown v0 message format', () => {
    const signed = envelopeV0(message, [signer.publicKey], { format: 3 })
    expect(reasonOf(signed)).toBe('off-chain message format 3 is not supported')
  })

  it('rejects line feeds in the printable ASCII format', () => {
    const signed = envelopeV0(message, [signer.publicKey], { format: 0 })
    expect(reasonOf(signed)).toBe('off-chain message is not printable ASCII as format 0 requires')
  })

  it('rejects more than 1232 bytes in the short UTF-8 format', () => {
    const long = utf8(`${text}\n- ${'x'.repeat(1300)}`)
    const signed = envelopeV0(long, [signer.publicKey], { format: 1 })
    expect(reasonOf(signed)).toBe('off-chain message is longer than format 1 allows')
  })

  it('rejects an unknown envelope version', () => {
    const signed = envelopeV1(message, [signer.publicKey])
    signed[16] = 2
    expect(reasonOf(signed)).toBe('off-chain message version 2 is not supported')
  })

  it('rejects a signing domain without a version byte', () => {
    expect(reasonOf(envelopeV1(message, [signer.publicKey]).subarray(0, 16))).toBe(
      'off-chain message ends before the header version',
    )
  })

  it('never throws on arbitrary bytes', () => {
    const prefix = fc.constantFrom(
      new Uint8Array(0),
      envelopeV0(message, [signer.publicKey]).subarray(0, 17),
      envelopeV1(message, [signer.publicKey]).subarray(0, 17),
    )
    const bytes = fc
      .tuple(prefix, fc.uint8Array({ maxLength: 300 }))
      .map(([head, tail]) => Uint8Array.from([...head, ...tail]))
    fc.assert(
      fc.property(bytes, (signed) => {
        expect(typeof extractSignedText(signed, signer.publicKey).ok).toBe('boolean')
      }),
      { numRuns: 1000 },
    )
  })
})
