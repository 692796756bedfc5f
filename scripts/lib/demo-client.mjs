/**
 * HTTP client and formatting helpers for the demo. The demo prints what the origins received,
 * so header values that carry credentials are replaced by their length before printing.
 */
import { fetchWithTimeout } from './http.mjs'

export const RATE_LIMIT_HEADERS = [
  'ratelimit-policy',
  'ratelimit',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]

const CREDENTIAL_NAME = /authorization|cookie|signature|secret|token|hmac|identity/i
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\./

/** A demo step that did not behave as the gateway's HTTP contract specifies. */
export class StepFailure extends Error {}

/** Throws a StepFailure with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new StepFailure(message)
}

/** Returns a client for the gateway at `baseUrl`. */
export function gatewayClient(baseUrl) {
  return async function request(method, path, { token, json } = {}) {
    const headers = {}
    if (token) headers.authorization = `Bearer ${token}`
    if (json !== undefined) headers['content-type'] = 'application/json'

    const body = json === undefined ? undefined : JSON.stringify(json)
    const response = await fetchWithTimeout(new URL(path, baseUrl), { method, headers, body })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: parseJson(text), text }
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Formats one header value for printing, hiding credentials: by header name or JWT shape. */
export function printable(name, value) {
  const text = String(value)
  const hidden = CREDENTIAL_NAME.test(name) || JWT_SHAPE.test(text)
  return hidden ? `<${text.length} chars hidden>` : text
}

/** Formats the x-edge-* and x-forwarded-* headers an origin echoed back. */
export function forwardedHeaders(echoHeaders) {
  const names = Object.keys(echoHeaders ?? {})
    .filter((name) => name.startsWith('x-edge-') || name.startsWith('x-forwarded-'))
    .sort()
  if (names.length === 0) return 'no x-edge-* or x-forwarded-* headers'
  return names.map((name) => `${name}=${printable(name, echoHeaders[name])}`).join(', ')
}

/** Formats the rate-limit headers of a gateway response. */
export function rateLimitHeaders(headers) {
  const present = RATE_LIMIT_HEADERS.filter((name) => headers.has(name))
  if (present.length === 0) return 'no rate-limit headers'
  return present.map((name) => `${name}: ${headers.get(name)}`).join('; ')
}

/** Describes a response that was not what a step expected, with the gateway's error code. */
export function describe(response) {
  const code = response.body?.error?.code
  if (code) return `HTTP ${response.status} ${code}: ${response.body.error.message ?? ''}`.trim()
  return `HTTP ${response.status} ${response.text.slice(0, 120)}`
}
