import bs58 from 'bs58'
import { describe, expect, it } from 'vitest'
import {
  buildSiwsMessage,
  checkWritable,
  parseSiwsMessage,
  type SiwsFields,
} from '../../src/siws/message'
import { issuedFields, newSigner } from './helpers'

const ADDRESS = newSigner(new Uint8Array(32).fill(7)).address
const FULL = issuedFields(ADDRESS)

const FULL_TEXT = [
  'gateway.test wants you to sign in with your Solana account:',
  ADDRESS,
  '',
  'Sign in to the gateway.',
  '',
  'URI: https://gateway.test',
  'Version: 1',
  'Chain ID: solana:devnet',
  'Nonce: k3Qz8VbN2xLm',
  'Issued At: 2024-05-01T11:59:00.000Z',
  'Expiration Time: 2024-05-01T12:09:00.000Z',
  'Request ID: req-7',
  'Resources:',
  '- https://gateway.test/terms',
  '- ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
].join('\n')

function reasonOf(text: string): string | undefined {
  const result = parseSiwsMessage(text)
  return result.ok ? undefined : result.reason
}

describe('buildSiwsMessage', () => {
  it('writes the wallet standard layout', () => {
    expect(buildSiwsMessage(FULL)).toBe(FULL_TEXT)
  })

  it('writes only the header and address without optional fields', () => {
    const text = buildSiwsMessage({ domain: 'gateway.test', address: ADDRESS })
    expect(text).toBe(`gateway.test wants you to sign in with your Solana account:\n${ADDRESS}`)
  })

  it('writes Not Before between Expiration Time and Request ID', () => {
    const text = buildSiwsMessage({ ...FULL, notBefore: '2024-05-01T12:00:00Z' })
    expect(text).toContain(
      'Expiration Time: 2024-05-01T12:09:00.000Z\nNot Before: 2024-05-01T12:00:00Z\nRequest ID:',
    )
  })

  it('treats empty strings as absent fields', () => {
    const text = buildSiwsMessage({ ...FULL, statement: '', requestId: '' })
    expect(text).toBe(buildSiwsMessage({ ...FULL, statement: undefined, requestId: undefined }))
  })

  it('writes an empty resource list as a bare Resources line', () => {
    const text = buildSiwsMessage({ domain: 'gateway.test', address: ADDRESS, resources: [] })
    expect(text.endsWith('\n\nResources:')).toBe(true)
  })

  it('throws on a statement with a line break', () => {
    expect(() => buildSiwsMessage({ ...FULL, statement: 'one\ntwo' })).toThrow(TypeError)
  })

  it('throws on a statement that starts like a field line', () => {
    expect(() => buildSiwsMessage({ ...FULL, statement: 'URI: https://evil.test' })).toThrow(
      /statement starts like a field line/,
    )
  })

  it('throws on an address that is not a public key', () => {
    expect(() => buildSiwsMessage({ ...FULL, address: 'not-an-address' })).toThrow(/address/)
  })

  it('throws on a domain with whitespace', () => {
    expect(() => buildSiwsMessage({ ...FULL, domain: 'gateway.test evil' })).toThrow(/domain/)
  })
})

describe('checkWritable', () => {
  it('accepts the full challenge', () => {
    expect(checkWritable(FULL)).toEqual({ ok: true })
  })

  it('rejects an empty resource', () => {
    expect(checkWritable({ ...FULL, resources: [''] })).toEqual({
      ok: false,
      reason: 'resource is empty',
    })
  })

  it('rejects a nonce with a Unicode line separator', () => {
    expect(checkWritable({ ...FULL, nonce: 'abc\u2028def' }).ok).toBe(false)
  })
})

describe('parseSiwsMessage', () => {
  it('reads every field of the full message', () => {
    expect(parseSiwsMessage(FULL_TEXT)).toEqual({ ok: true, fields: FULL })
  })

  it('reads a message of header and address only', () => {
    const fields: SiwsFields = { domain: '127.0.0.1:8787', address: ADDRESS }
    expect(parseSiwsMessage(buildSiwsMessage(fields))).toEqual({ ok: true, fields })
  })

  it('reads a statement without fields', () => {
    const fields: SiwsFields = { domain: 'gateway.test', address: ADDRESS, statement: 'Hello.' }
    expect(parseSiwsMessage(buildSiwsMessage(fields))).toEqual({ ok: true, fields })
  })

  it('reads fields without a statement', () => {
    const fields: SiwsFields = { domain: 'gateway.test', address: ADDRESS, nonce: 'abcdefgh' }
    expect(parseSiwsMessage(buildSiwsMessage(fields))).toEqual({ ok: true, fields })
  })

  it('reads a bare Resources line as an empty list', () => {
    const fields: SiwsFields = { domain: 'gateway.test', address: ADDRESS, resources: [] }
    expect(parseSiwsMessage(buildSiwsMessage(fields))).toEqual({ ok: true, fields })
  })

  it('rejects CRLF line ends', () => {
    expect(reasonOf(FULL_TEXT.replaceAll('\n', '\r\n'))).toBe('message contains a carriage return')
  })

  it('rejects a trailing line feed', () => {
    expect(reasonOf(`${FULL_TEXT}\n`)).toBe('message ends with a line feed')
  })

  it('rejects a trailing line feed after the address', () => {
    const text = buildSiwsMessage({ domain: 'gateway.test', address: ADDRESS })
    expect(reasonOf(`${text}\n`)).toBe('message ends with a line feed')
  })

  it('rejects an extra blank line after the address', () => {
    const text = FULL_TEXT.replace(`${ADDRESS}\n`, `${ADDRESS}\n\n`)
    expect(reasonOf(text)).toBe('message has an extra blank line after the address')
  })

  it('rejects an extra blank line after the statement', () => {
    const text = FULL_TEXT.replace('gateway.\n\n', 'gateway.\n\n\n')
    expect(reasonOf(text)).toBe('line 6 is not a known field')
  })

  it('rejects an extra blank line among the fields', () => {
    const text = FULL_TEXT.replace('Version: 1\n', 'Version: 1\n\n')
    expect(reasonOf(text)).toBe('message has an extra blank line among the fields')
  })

  it('rejects a statement containing a line break', () => {
    const text = FULL_TEXT.replace('Sign in to the gateway.', 'Sign in\nto the gateway.')
    expect(reasonOf(text)).toBe('statement spans more than one line')
  })

  it('rejects a statement of two paragraphs', () => {
    const text = FULL_TEXT.replace('Sign in to the gateway.', 'Sign in.\n\nTo the gateway.')
    expect(reasonOf(text)).toBe('line 6 is not a known field')
  })

  it('rejects a statement with a Unicode line separator', () => {
    const text = FULL_TEXT.replace('Sign in to', 'Sign in\u2028to')
    expect(reasonOf(text)).toBe('statement contains a line break or a control character')
  })

  it('rejects an unknown field', () => {
    const text = FULL_TEXT.replace('Version: 1\n', 'Version: 1\nColor: blue\n')
    expect(reasonOf(text)).toBe('line 8 is not a known field')
  })

  it('rejects a repeated field', () => {
    const text = FULL_TEXT.replace('Nonce: k3Qz8VbN2xLm\n', 'Nonce: k3Qz8VbN2xLm\nNonce: other\n')
    expect(reasonOf(text)).toBe('field "Nonce" is repeated or out of order')
  })

  it('rejects fields out of order', () => {
    const text = FULL_TEXT.replace(
      'Version: 1\nChain ID: solana:devnet',
      'Chain ID: solana:devnet\nVersion: 1',
    )
    expect(reasonOf(text)).toBe('field "Version" is repeated or out of order')
  })

  it('rejects a field after the resources', () => {
    expect(reasonOf(`${FULL_TEXT}\nNonce: again`)).toBe('a line after Resources: is not a resource')
  })

  it('rejects an empty field value', () => {
    const text = FULL_TEXT.replace('Request ID: req-7', 'Request ID: ')
    expect(reasonOf(text)).toBe('field "Request ID" is empty')
  })

  it('rejects a field label without its space', () => {
    const text = FULL_TEXT.replace('Request ID: req-7', 'Request ID:req-7')
    expect(reasonOf(text)).toBe('line 12 is not a known field')
  })

  it('rejects an empty resource', () => {
    expect(reasonOf(`${FULL_TEXT}\n- `)).toBe('resource is empty')
  })

  it('rejects an address of 31 bytes', () => {
    const short = bs58.encode(new Uint8Array(31).fill(9))
    expect(reasonOf(FULL_TEXT.replace(ADDRESS, short))).toBe(
      'address is not a base58 public key: base58 value decodes to 31 bytes; expected 32',
    )
  })

  it('rejects an address with a character outside base58', () => {
    const invalid = `0${ADDRESS.slice(1)}`
    expect(reasonOf(FULL_TEXT.replace(ADDRESS, invalid))).toBe(
      'address is not a base58 public key: base58 value contains a character outside the alphabet',
    )
  })

  it('rejects a message without the SIWS header', () => {
    const text = FULL_TEXT.replace('wants you to sign in', 'wants you to log in')
    expect(reasonOf(text)).toBe('line 1 is not a SIWS header')
  })

  it('rejects a header without an address line', () => {
    expect(reasonOf('gateway.test wants you to sign in with your Solana account:')).toBe(
      'message has no address line',
    )
  })

  it('rejects a domain with whitespace', () => {
    const text = FULL_TEXT.replace('gateway.test wants', 'gateway.test  wants')
    expect(reasonOf(text)).toBe('domain contains whitespace or a control character')
  })

  it('rejects a domain starting with a byte order mark', () => {
    expect(reasonOf(`\ufeff${FULL_TEXT}`)).toBe('domain contains whitespace or a control character')
  })

  it('rejects a message longer than the limit', () => {
    expect(reasonOf(`${FULL_TEXT}\n- ${'x'.repeat(9000)}`)).toBe('message is too long')
  })

  it('returns a reason for a value that is not a string', () => {
    expect(parseSiwsMessage(42 as unknown as string).ok).toBe(false)
  })
})
