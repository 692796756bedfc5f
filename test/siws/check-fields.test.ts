import { describe, expect, it } from 'vitest'
import { checkFields, checkSigner, sameAsIssued } from '../../src/siws/check-fields'
import type { SiwsFields } from '../../src/siws/message'
import { parseTimestamp } from '../../src/siws/timestamp'
import { EXPECT, issuedFields, newSigner, NOW, SKEW_MS } from './helpers'

const signer = newSigner(new Uint8Array(32).fill(5))
const ISSUED = issuedFields(signer.address)

function reasonOf(result: { ok: boolean; reason?: string }): string | undefined {
  return result.ok ? undefined : result.reason
}

const iso = (ms: number): string => new Date(ms).toISOString()

describe('checkFields', () => {
  it('accepts the issued challenge', () => {
    expect(checkFields(ISSUED, EXPECT)).toEqual({ ok: true })
  })

  it('accepts the short devnet chain id', () => {
    expect(checkFields({ ...ISSUED, chainId: 'devnet' }, EXPECT)).toEqual({ ok: true })
  })

  it('accepts a loopback host with its port', () => {
    const expect127 = { ...EXPECT, domain: '127.0.0.1:8787' }
    expect(checkFields({ ...ISSUED, domain: '127.0.0.1:8787' }, expect127)).toEqual({ ok: true })
  })

  const otherDomains = {
    'another host': 'evil.test',
    'a port': 'gateway.test:8443',
    'a scheme': 'https://gateway.test',
    'user-info': 'user@gateway.test',
    'a subdomain': 'login.gateway.test',
    'a trailing dot': 'gateway.test.',
  }
  for (const [label, domain] of Object.entries(otherDomains)) {
    it(`rejects a domain with ${label}`, () => {
      expect(reasonOf(checkFields({ ...ISSUED, domain }, EXPECT))).toBe(
        'domain does not match the served host',
      )
    })
  }

  it('rejects a port the served host does not have', () => {
    const expect127 = { ...EXPECT, domain: '127.0.0.1:8787' }
    expect(reasonOf(checkFields({ ...ISSUED, domain: '127.0.0.1:8788' }, expect127))).toBe(
      'domain does not match the served host',
    )
  })

  it('rejects another URI', () => {
    const fields = { ...ISSUED, uri: 'https://evil.test' }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('URI does not match the issued URI')
  })

  it('rejects a missing URI', () => {
    expect(reasonOf(checkFields({ ...ISSUED, uri: undefined }, EXPECT))).toBe('URI is missing')
  })

  it('rejects version 2', () => {
    expect(reasonOf(checkFields({ ...ISSUED, version: '2' }, EXPECT))).toBe('version is not 1')
  })

  it('rejects the mainnet chain id on devnet', () => {
    expect(reasonOf(checkFields({ ...ISSUED, chainId: 'solana:mainnet' }, EXPECT))).toBe(
      'chain ID is not the configured cluster',
    )
  })

  it('rejects a missing chain id', () => {
    expect(reasonOf(checkFields({ ...ISSUED, chainId: undefined }, EXPECT))).toBe(
      'chain ID is missing',
    )
  })

  it('rejects a missing nonce', () => {
    expect(reasonOf(checkFields({ ...ISSUED, nonce: undefined }, EXPECT))).toBe('nonce is missing')
  })

  it('rejects a missing Issued At', () => {
    expect(reasonOf(checkFields({ ...ISSUED, issuedAt: undefined }, EXPECT))).toBe(
      'Issued At is missing',
    )
  })

  it('rejects Issued At in the future beyond the skew', () => {
    const fields = { ...ISSUED, issuedAt: iso(NOW + SKEW_MS + 1) }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Issued At is in the future')
  })

  it('accepts Issued At in the future within the skew', () => {
    const fields = { ...ISSUED, issuedAt: iso(NOW + SKEW_MS) }
    expect(checkFields(fields, EXPECT)).toEqual({ ok: true })
  })

  it('rejects an Expiration Time in the past beyond the skew', () => {
    const fields = { ...ISSUED, issuedAt: iso(NOW - 600_000), expirationTime: iso(NOW - SKEW_MS) }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Expiration Time has passed')
  })

  it('accepts an Expiration Time in the past within the skew', () => {
    const fields = { ...ISSUED, issuedAt: iso(NOW - 600_000), expirationTime: iso(NOW - 1000) }
    expect(checkFields(fields, EXPECT)).toEqual({ ok: true })
  })

  it('rejects Not Before in the future beyond the skew', () => {
    const fields = { ...ISSUED, notBefore: iso(NOW + SKEW_MS + 1) }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Not Before is in the future')
  })

  it('accepts Not Before in the past', () => {
    expect(checkFields({ ...ISSUED, notBefore: iso(NOW - 1000) }, EXPECT)).toEqual({ ok: true })
  })

  it('rejects an Expiration Time before Issued At', () => {
    const fields = { ...ISSUED, issuedAt: iso(NOW), expirationTime: iso(NOW - 1) }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Expiration Time is not after Issued At')
  })

  it('rejects Not Before at the Expiration Time', () => {
    const at = iso(NOW - 1000)
    const fields = { ...ISSUED, notBefore: at, expirationTime: at }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Not Before is not before Expiration Time')
  })

  it('rejects an Issued At that is not RFC 3339', () => {
    const fields = { ...ISSUED, issuedAt: 'May 1, 2024 11:59 UTC' }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Issued At is not an RFC 3339 time')
  })

  it('rejects an Expiration Time that is not RFC 3339', () => {
    const fields = { ...ISSUED, expirationTime: '2024-05-01' }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Expiration Time is not an RFC 3339 time')
  })

  it('rejects a Not Before that is not RFC 3339', () => {
    const fields = { ...ISSUED, notBefore: '1714564800' }
    expect(reasonOf(checkFields(fields, EXPECT))).toBe('Not Before is not an RFC 3339 time')
  })
})

describe('parseTimestamp', () => {
  const accepted: Record<string, number> = {
    '2024-05-01T12:00:00.000Z': NOW,
    '2024-05-01T12:00:00Z': NOW,
    '2024-05-01T12:00:00.123456789Z': NOW + 123,
    '2024-05-01T14:30:00+02:30': NOW,
    '2024-05-01T09:00:00-03:00': NOW,
    '2024-02-29T00:00:00Z': Date.UTC(2024, 1, 29),
    // A two-digit year that Date.UTC would read as 1999.
    '0099-01-01T00:00:00Z': -59_042_995_200_000,
  }
  for (const [text, ms] of Object.entries(accepted)) {
    it(`reads ${text}`, () => {
      expect(parseTimestamp(text)).toBe(ms)
    })
  }

  const rejected = [
    '2024-05-01T12:00:00',
    '2024-05-01 12:00:00Z',
    '2024-05-01t12:00:00z',
    '2024-05-01T12:00Z',
    '2024-5-1T12:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-05-00T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T12:60:00Z',
    '2024-12-31T23:59:60Z',
    '2024-05-01T12:00:00+24:00',
    '2024-05-01T12:00:00+0200',
    '2024-05-01T12:00:00.Z',
    '2024-05-01T12:00:00.1234567890Z',
    ' 2024-05-01T12:00:00Z',
    '+002024-05-01T12:00:00Z',
    '',
  ]
  for (const text of rejected) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(parseTimestamp(text)).toBeUndefined()
    })
  }
})

describe('sameAsIssued', () => {
  it('accepts the issued fields', () => {
    expect(sameAsIssued(ISSUED, ISSUED)).toEqual({ ok: true })
  })

  it('accepts any address when the challenge named none', () => {
    const issued: SiwsFields = { ...ISSUED, address: '' }
    expect(sameAsIssued(ISSUED, issued)).toEqual({ ok: true })
  })

  it('rejects another address than the challenge named', () => {
    const fields = { ...ISSUED, address: newSigner(new Uint8Array(32).fill(6)).address }
    expect(reasonOf(sameAsIssued(fields, ISSUED))).toBe('address differs from the issued challenge')
  })

  const changes: Record<string, [Partial<SiwsFields>, string]> = {
    domain: [{ domain: 'evil.test' }, 'domain'],
    statement: [{ statement: 'Sign in to evil.' }, 'statement'],
    'removed statement': [{ statement: undefined }, 'statement'],
    URI: [{ uri: 'https://gateway.test/other' }, 'URI'],
    version: [{ version: '2' }, 'Version'],
    'chain id': [{ chainId: 'devnet' }, 'Chain ID'],
    nonce: [{ nonce: 'another-nonce' }, 'Nonce'],
    'Issued At': [{ issuedAt: '2024-05-01T11:59:00Z' }, 'Issued At'],
    'Expiration Time': [{ expirationTime: '2024-05-01T13:09:00.000Z' }, 'Expiration Time'],
    'added Not Before': [{ notBefore: '2024-05-01T11:59:00.000Z' }, 'Not Before'],
    'request id': [{ requestId: 'req-8' }, 'Request ID'],
    'removed request id': [{ requestId: undefined }, 'Request ID'],
  }
  for (const [label, [change, field]] of Object.entries(changes)) {
    it(`rejects a changed ${label}`, () => {
      expect(reasonOf(sameAsIssued({ ...ISSUED, ...change }, ISSUED))).toBe(
        `${field} differs from the issued challenge`,
      )
    })
  }

  const resourceChanges: Record<string, string[] | undefined> = {
    'an added resource': [...(ISSUED.resources ?? []), 'https://evil.test'],
    'a removed resource': ISSUED.resources?.slice(1),
    'reordered resources': [...(ISSUED.resources ?? [])].reverse(),
    'no resources': undefined,
    'an empty resource list': [],
  }
  for (const [label, resources] of Object.entries(resourceChanges)) {
    it(`rejects ${label}`, () => {
      expect(reasonOf(sameAsIssued({ ...ISSUED, resources }, ISSUED))).toBe(
        'Resources differ from the issued challenge',
      )
    })
  }
})

describe('checkSigner', () => {
  it('accepts the key the address encodes', () => {
    expect(checkSigner(ISSUED, signer.publicKey)).toEqual({ ok: true })
  })

  it('rejects another key', () => {
    const other = newSigner(new Uint8Array(32).fill(6))
    expect(reasonOf(checkSigner(ISSUED, other.publicKey))).toBe('address is not the signing key')
  })

  it('rejects an address that is not base58', () => {
    expect(checkSigner({ ...ISSUED, address: 'l0l' }, signer.publicKey).ok).toBe(false)
  })
})
