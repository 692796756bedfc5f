/**
 * Binds a parsed SIWS message to the gateway: the served host, the issued challenge, the
 * configured cluster, the clock and the signing key. Pure: the clock is passed in, and every
 * check returns a result with a reason instead of throwing.
 */
import type { VerifyResult } from './ed25519'
import { decodeBase58 } from './encoding'
import type { SiwsFields } from './message'
import { parseTimestamp } from './timestamp'

export interface FieldExpectations {
  /** Host the gateway serves, with a port when it has one: `gateway.test`, `127.0.0.1:8787`. */
  domain: string
  /** Origin URI the challenge was issued with. */
  uri: string
  /** Every `Chain ID` spelling accepted for the configured cluster. */
  acceptedChainIds: readonly string[]
  /** Current time, in milliseconds since the Unix epoch. */
  now: number
  /** Allowed clock difference between the wallet's device and the gateway, in milliseconds. */
  skewMs: number
}

const OK: VerifyResult = { ok: true }

function fail(reason: string): VerifyResult {
  return { ok: false, reason }
}

/**
 * Checks the message's fields against the gateway. The domain must equal the served host
 * exactly, so a differing scheme, port or user-info fails. The URI, version 1, an accepted chain
 * id and a nonce must be present, and the three times must hold at `now` give or take `skewMs`.
 */
export function checkFields(fields: SiwsFields, expect: FieldExpectations): VerifyResult {
  if (fields.domain !== expect.domain) return fail('domain does not match the served host')
  if (fields.uri === undefined) return fail('URI is missing')
  if (fields.uri !== expect.uri) return fail('URI does not match the issued URI')
  if (fields.version !== '1') return fail('version is not 1')
  if (fields.chainId === undefined) return fail('chain ID is missing')
  if (!expect.acceptedChainIds.includes(fields.chainId)) {
    return fail('chain ID is not the configured cluster')
  }
  if (fields.nonce === undefined) return fail('nonce is missing')
  return checkTimes(fields, expect.now, expect.skewMs)
}

/** Checks the three timestamps for format, order and against the clock. */
function checkTimes(fields: SiwsFields, now: number, skewMs: number): VerifyResult {
  const times = parseTimes(fields)
  if (!times.ok) return times
  const { issuedAt, expirationTime, notBefore } = times

  if (issuedAt > now + skewMs) return fail('Issued At is in the future')
  if (notBefore !== undefined && notBefore > now + skewMs)
    return fail('Not Before is in the future')
  if (expirationTime === undefined) return OK

  if (now >= expirationTime + skewMs) return fail('Expiration Time has passed')
  if (expirationTime <= issuedAt) return fail('Expiration Time is not after Issued At')
  if (notBefore !== undefined && notBefore >= expirationTime) {
    return fail('Not Before is not before Expiration Time')
  }
  return OK
}

type Times =
  | { ok: true; issuedAt: number; expirationTime?: number; notBefore?: number }
  | { ok: false; reason: string }

function parseTimes(fields: SiwsFields): Times {
  if (fields.issuedAt === undefined) return { ok: false, reason: 'Issued At is missing' }
  const issuedAt = parseTimestamp(fields.issuedAt)
  if (issuedAt === undefined) return { ok: false, reason: 'Issued At is not an RFC 3339 time' }

  const times: Times = { ok: true, issuedAt }
  if (fields.expirationTime !== undefined) {
    times.expirationTime = parseTimestamp(fields.expirationTime)
    if (times.expirationTime === undefined) {
      return { ok: false, reason: 'Expiration Time is not an RFC 3339 time' }
    }
  }
  if (fields.notBefore !== undefined) {
    times.notBefore = parseTimestamp(fields.notBefore)
    if (times.notBefore === undefined) {
      return { ok: false, reason: 'Not Before is not an RFC 3339 time' }
    }
  }
  return times
}

/** Field names with the labels the message text uses for them, for log reasons. */
const COMPARED_FIELDS = [
  ['domain', 'domain'],
  ['statement', 'statement'],
  ['uri', 'URI'],
  ['version', 'Version'],
  ['chainId', 'Chain ID'],
  ['nonce', 'Nonce'],
  ['issuedAt', 'Issued At'],
  ['expirationTime', 'Expiration Time'],
  ['notBefore', 'Not Before'],
  ['requestId', 'Request ID'],
] as const satisfies readonly (readonly [keyof SiwsFields, string])[]

/**
 * Checks that the message carries exactly the fields the challenge issued: every issued field is
 * present and equal, and no field was added. The address is compared only when the challenge
 * named one. An empty string counts as absent, as in the message builder.
 */
export function sameAsIssued(fields: SiwsFields, issued: SiwsFields): VerifyResult {
  if (issued.address && issued.address !== fields.address) {
    return fail('address differs from the issued challenge')
  }

  for (const [name, label] of COMPARED_FIELDS) {
    if ((fields[name] || undefined) !== (issued[name] || undefined)) {
      return fail(`${label} differs from the issued challenge`)
    }
  }

  if (!sameResources(fields.resources, issued.resources)) {
    return fail('Resources differ from the issued challenge')
  }
  return OK
}

function sameResources(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.length === b.length && a.every((item, index) => item === b[index])
}

/** Checks that the message's address is the base58 encoding of the key that signed it. */
export function checkSigner(fields: SiwsFields, publicKey: Uint8Array): VerifyResult {
  const address = decodeBase58(fields.address, 32)
  if (!address.ok) return fail(`address is not a public key: ${address.reason}`)

  const same =
    publicKey.length === address.bytes.length &&
    address.bytes.every((byte, index) => byte === publicKey[index])
  return same ? OK : fail('address is not the signing key')
}
