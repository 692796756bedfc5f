/**
 * The Sign-In With Solana message text, as the wallet standard writes it (`SolanaSignInInput`
 * and `createSignInMessageText` in @solana/wallet-standard-util). The builder writes the same
 * bytes as the wallet standard. The parser is stricter than the wallet standard's, because it
 * accepts only the texts the builder writes, so `build(parse(t)) === t` for every accepted text.
 * Pure: no I/O, no clock.
 */
import { decodeBase58 } from './encoding'
import type { VerifyResult } from './ed25519'

export interface SiwsFields {
  domain: string
  address: string
  statement?: string
  uri?: string
  version?: string
  chainId?: string
  nonce?: string
  issuedAt?: string
  expirationTime?: string
  notBefore?: string
  requestId?: string
  resources?: string[]
}

export type ParseResult = { ok: true; fields: SiwsFields } | { ok: false; reason: string }

/** Maximum length of a parsed message text, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 8192

const HEADER_SUFFIX = ' wants you to sign in with your Solana account:'
const RESOURCES_LINE = 'Resources:'
const RESOURCE_PREFIX = '- '

type LineField = Exclude<keyof SiwsFields, 'domain' | 'address' | 'statement' | 'resources'>

/** The one-line fields in the order the wallet standard writes them, with their labels. */
const LINE_FIELDS: readonly (readonly [LineField, string])[] = [
  ['uri', 'URI: '],
  ['version', 'Version: '],
  ['chainId', 'Chain ID: '],
  ['nonce', 'Nonce: '],
  ['issuedAt', 'Issued At: '],
  ['expirationTime', 'Expiration Time: '],
  ['notBefore', 'Not Before: '],
  ['requestId', 'Request ID: '],
]

/** C0 and C1 control characters (LF and CR among them), DEL and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- the pattern exists to find control characters
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason }
}

/** Returns true when a line would be read as the first line of the advanced fields. */
function isFieldLine(line: string): boolean {
  return line === RESOURCES_LINE || LINE_FIELDS.some(([, label]) => line.startsWith(label))
}

function checkDomain(domain: string): VerifyResult {
  if (domain.length === 0) return fail('domain is empty')
  if (/\s/.test(domain) || CONTROL_OR_LINE_BREAK.test(domain)) {
    return fail('domain contains whitespace or a control character')
  }
  return { ok: true }
}

function checkAddress(address: string): VerifyResult {
  const decoded = decodeBase58(address, 32)
  if (!decoded.ok) return fail(`address is not a base58 public key: ${decoded.reason}`)
  return { ok: true }
}

function checkValue(name: string, value: string): VerifyResult {
  if (CONTROL_OR_LINE_BREAK.test(value)) {
    return fail(`${name} contains a line break or a control character`)
  }
  return { ok: true }
}

/**
 * Checks that the builder can write these fields so that the parser reads the same fields back.
 * That takes a valid domain and address, no line breaks or control characters, no empty
 * resource, and a statement that does not start like a field line.
 */
export function checkWritable(fields: SiwsFields): VerifyResult {
  const checks = [checkDomain(fields.domain), checkAddress(fields.address)]

  if (fields.statement) {
    checks.push(checkValue('statement', fields.statement))
    if (isFieldLine(fields.statement)) checks.push(fail('statement starts like a field line'))
  }
  for (const [name] of LINE_FIELDS) {
    const value = fields[name]
    if (value) checks.push(checkValue(name, value))
  }
  for (const resource of fields.resources ?? []) {
    checks.push(resource ? checkValue('resource', resource) : fail('resource is empty'))
  }

  return checks.find((check) => !check.ok) ?? { ok: true }
}

/**
 * Writes the message text. Empty strings count as absent, as in the wallet standard. Throws a
 * TypeError when `checkWritable` rejects the fields, since such a text would not parse back.
 */
export function buildSiwsMessage(fields: SiwsFields): string {
  const writable = checkWritable(fields)
  if (!writable.ok) throw new TypeError(`cannot write SIWS message: ${writable.reason}`)

  let text = `${fields.domain}${HEADER_SUFFIX}\n${fields.address}`
  if (fields.statement) text += `\n\n${fields.statement}`

  const lines: string[] = []
  for (const [name, label] of LINE_FIELDS) {
    const value = fields[name]
    if (value) lines.push(`${label}${value}`)
  }
  if (fields.resources) {
    lines.push(RESOURCES_LINE, ...fields.resources.map((item) => `${RESOURCE_PREFIX}${item}`))
  }

  if (lines.length > 0) text += `\n\n${lines.join('\n')}`
  return text
}

/**
 * Parses a message text strictly: LF line ends, no trailing LF, one blank line between the
 * sections, a one-line statement, the known fields once each in the wallet standard's order,
 * and an address that is 32 bytes of base58. Never throws.
 */
export function parseSiwsMessage(text: string): ParseResult {
  if (typeof text !== 'string') return fail('message is not a string')
  if (text.length > MAX_MESSAGE_LENGTH) return fail('message is too long')
  if (text.includes('\r')) return fail('message contains a carriage return')
  if (text.endsWith('\n')) return fail('message ends with a line feed')

  const lines = text.split('\n')
  const header = parseHeader(lines)
  if (!header.ok) return header
  if (lines.length === 2) return { ok: true, fields: header.fields }

  if (lines[2] !== '') return fail('line 3 is not the blank line after the address')
  const first = lines[3] ?? ''
  if (first === '') return fail('message has an extra blank line after the address')
  if (isFieldLine(first)) return parseFieldLines(lines, 3, header.fields)

  const statement = checkValue('statement', first)
  if (!statement.ok) return statement
  const fields: SiwsFields = { ...header.fields, statement: first }
  if (lines.length === 4) return { ok: true, fields }

  if (lines[4] !== '') return fail('statement spans more than one line')
  if (!isFieldLine(lines[5] ?? '')) return fail('line 6 is not a known field')
  return parseFieldLines(lines, 5, fields)
}

function parseHeader(lines: string[]): ParseResult {
  const first = lines[0] ?? ''
  if (!first.endsWith(HEADER_SUFFIX)) return fail('line 1 is not a SIWS header')

  const domain = first.slice(0, -HEADER_SUFFIX.length)
  const domainCheck = checkDomain(domain)
  if (!domainCheck.ok) return domainCheck

  const address = lines[1]
  if (address === undefined) return fail('message has no address line')
  const addressCheck = checkAddress(address)
  if (!addressCheck.ok) return addressCheck

  return { ok: true, fields: { domain, address } }
}

/** Parses the advanced field lines: each known field at most once, in order, Resources last. */
function parseFieldLines(lines: string[], start: number, base: SiwsFields): ParseResult {
  const fields: SiwsFields = { ...base }
  let next = 0

  for (let index = start; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line === RESOURCES_LINE) return parseResources(lines.slice(index + 1), fields)
    if (line === '') return fail('message has an extra blank line among the fields')

    const position = LINE_FIELDS.findIndex(([, label]) => line.startsWith(label))
    const entry = LINE_FIELDS[position]
    if (entry === undefined) return fail(`line ${index + 1} is not a known field`)
    const [name, label] = entry
    const title = label.slice(0, -2)
    if (position < next) return fail(`field "${title}" is repeated or out of order`)

    const value = line.slice(label.length)
    if (value === '') return fail(`field "${title}" is empty`)
    const valueCheck = checkValue(name, value)
    if (!valueCheck.ok) return valueCheck

    fields[name] = value
    next = position + 1
  }
  return { ok: true, fields }
}

function parseResources(lines: string[], fields: SiwsFields): ParseResult {
  const resources: string[] = []
  for (const line of lines) {
    if (!line.startsWith(RESOURCE_PREFIX)) return fail('a line after Resources: is not a resource')

    const resource = line.slice(RESOURCE_PREFIX.length)
    if (resource === '') return fail('resource is empty')
    const check = checkValue('resource', resource)
    if (!check.ok) return check
    resources.push(resource)
  }
  return { ok: true, fields: { ...fields, resources } }
}
