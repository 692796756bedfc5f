import { createSignInMessageText } from '@solana/wallet-standard-util'
import bs58 from 'bs58'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildSiwsMessage, parseSiwsMessage, type SiwsFields } from '../../src/siws/message'
import {
  envelopeV0,
  envelopeV1,
  issuedFields,
  newSigner,
  sign,
  utf8,
  verifySignedMessage,
} from './helpers'

const LABELS = [
  'URI: ',
  'Version: ',
  'Chain ID: ',
  'Nonce: ',
  'Issued At: ',
  'Expiration Time: ',
  'Not Before: ',
  'Request ID: ',
  'Resources:',
]

// eslint-disable-next-line no-control-regex -- the pattern exists to find control characters
const isOneLine = (text: string): boolean => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)

const address = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bs58.encode(bytes))
const domain = fc
  .tuple(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([host, port]) => (port === undefined ? host : `${host}:${port}`))
const statement = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
  .filter((text) => isOneLine(text) && !LABELS.some((label) => text.startsWith(label)))
const timestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString())
const token = fc.stringMatching(/^[A-Za-z0-9-]{1,24}$/)

const fieldsArbitrary: fc.Arbitrary<SiwsFields> = fc.record(
  {
    domain,
    address,
    statement,
    uri: fc.webUrl(),
    version: fc.constantFrom('1', '2'),
    chainId: fc.constantFrom('solana:mainnet', 'solana:devnet', 'solana:testnet', 'devnet'),
    nonce: fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
    issuedAt: timestamp,
    expirationTime: timestamp,
    notBefore: timestamp,
    requestId: token,
    resources: fc.array(fc.webUrl(), { maxLength: 4 }),
  },
  { requiredKeys: ['domain', 'address'] },
)

/** Small edits of a message text: the kinds a tampering client or a sloppy wallet makes. */
const textMutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    char: fc.constantFrom('\n', '\r', ' ', 'x', '-', ':'),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
)

type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never

function mutateText(text: string, mutation: TextMutation): string {
  if (mutation.kind === 'insert') {
    const at = mutation.at % (text.length + 1)
    return text.slice(0, at) + mutation.char + text.slice(at)
  }
  if (mutation.kind === 'delete') {
    const at = mutation.at % text.length
    return text.slice(0, at) + text.slice(at + 1)
  }

  const lines = text.split('\n')
  const at = mutation.at % lines.length
  if (mutation.kind === 'duplicate') lines.splice(at, 0, lines[at] ?? '')
  else if (mutation.kind === 'remove') lines.splice(at, 1)
  else {
    const other = mutation.other % lines.length
    ;[lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? '']
  }
  return lines.join('\n')
}

describe('message builder', () => {
  it('writes the same text as the wallet standard for every combination of fields', () => {
    fc.assert(
      fc.property(fieldsArbitrary, (fields) => {
        expect(buildSiwsMessage(fields)).toBe(createSignInMessageText(fields))
      }),
      { numRuns: 400 },
    )
  })

  it('round-trips every field combination through the parser', () => {
    fc.assert(
      fc.property(fieldsArbitrary, (fields) => {
        expect(parseSiwsMessage(buildSiwsMessage(fields))).toEqual({ ok: true, fields })
      }),
      { numRuns: 400 },
    )
  })
})

describe('message parser', () => {
  it('rebuilds every text it accepts byte for byte', () => {
    fc.assert(
      fc.property(fieldsArbitrary, fc.array(textMutation, { maxLength: 3 }), (fields, edits) => {
        const text = edits.reduce(mutateText, buildSiwsMessage(fields))
        const parsed = parseSiwsMessage(text)
        if (parsed.ok) expect(buildSiwsMessage(parsed.fields)).toBe(text)
      }),
      { numRuns: 400 },
    )
  })

  it('never throws on arbitrary strings', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(...LABELS).chain((label) => fc.string().map((value) => label + value)),
      address,
      fc.constant(''),
    )
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(line, { maxLength: 16 }).map((lines) => lines.join('\n')),
      fc
        .array(line, { maxLength: 12 })
        .map((lines) => ['x wants you to sign in with your Solana account:', ...lines].join('\n')),
    )
    fc.assert(
      fc.property(text, (input) => {
        expect(typeof parseSiwsMessage(input).ok).toBe('boolean')
      }),
      { numRuns: 1000 },
    )
  })
})

describe('signed message verification', () => {
  const signer = newSigner(new Uint8Array(32).fill(11))
  const issued = issuedFields(signer.address)
  const text = buildSiwsMessage(issued)
  const wrappings = {
    none: (bytes: Uint8Array) => bytes,
    v0: (bytes: Uint8Array) => envelopeV0(bytes, [signer.publicKey]),
    v1: (bytes: Uint8Array) => envelopeV1(bytes, [signer.publicKey]),
  }
  const wrapping = fc.constantFrom<keyof typeof wrappings>('none', 'v0', 'v1')

  it('accepts the untouched signed message in every wrapping', async () => {
    for (const wrap of Object.values(wrappings)) {
      const signed = wrap(utf8(text))
      expect(
        await verifySignedMessage(signed, sign(signed, signer), signer.publicKey, issued),
      ).toEqual({
        ok: true,
      })
    }
  })

  it('rejects signed bytes with one byte changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrapping,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (name, at, xor) => {
          const signed = wrappings[name](utf8(text))
          const signature = sign(signed, signer)
          const tampered = signed.slice()
          const index = at % tampered.length
          tampered[index] = (tampered[index] ?? 0) ^ xor
          const result = await verifySignedMessage(tampered, signature, signer.publicKey, issued)
          expect(result.ok).toBe(false)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('rejects an edited text under the original signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrapping,
        fc.array(textMutation, { minLength: 1, maxLength: 3 }),
        async (name, edits) => {
          const signature = sign(wrappings[name](utf8(text)), signer)
          const edited = edits.reduce(mutateText, text)
          fc.pre(edited !== text)
          const signed = wrappings[name](utf8(edited))
          const result = await verifySignedMessage(signed, signature, signer.publicKey, issued)
          expect(result.ok).toBe(false)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('rejects a changed field even when the key signs the changed message', async () => {
    const change = fieldsArbitrary.chain((other) =>
      fc.constantFrom(...(Object.keys(other) as (keyof SiwsFields)[])).map((name) => ({
        ...issued,
        [name]: other[name],
      })),
    )
    await fc.assert(
      fc.asyncProperty(change, async (changed) => {
        fc.pre(buildSiwsMessage(changed) !== text)
        const signed = utf8(buildSiwsMessage(changed))
        const result = await verifySignedMessage(
          signed,
          sign(signed, signer),
          signer.publicKey,
          issued,
        )
        expect(result.ok).toBe(false)
      }),
      { numRuns: 200 },
    )
  })
})
