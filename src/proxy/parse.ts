/** Parsers for the proxy's string bindings; each throws a ConfigError naming field and value. */
import { ConfigError } from '../errors'

/**
 * Parses an origin URL (`scheme://host[:port]`, no path, query or fragment) and returns its
 * serialized origin. With `secure`, only https is accepted.
 */
export function parseUrl(field: string, value: string, secure: boolean): string {
  const url = parseHttpUrl(field, value, secure, 'an http(s) origin without a path')
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    const expected = 'an origin without path, query, fragment or credentials'
    throw new ConfigError(field, withoutCredentials(url), expected)
  }
  return url.origin
}

/**
 * Returns the URL for an error message, with any user name and password replaced: the message
 * reaches the log line of every request while the configuration is invalid.
 */
function withoutCredentials(url: URL): string {
  if (!url.username && !url.password) return url.href
  const redacted = new URL(url.href)
  redacted.username = '(hidden)'
  redacted.password = ''
  return redacted.href
}

/**
 * Parses an endpoint URL that may carry a path and query (RPC providers put their key there).
 * The value may be a secret, so the error shows only its scheme and host.
 */
export function parseEndpointUrl(field: string, value: string, secure: boolean): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(field, '(hidden)', 'an http(s) URL')
  }

  const allowed = secure ? ['https:'] : ['https:', 'http:']
  if (!allowed.includes(url.protocol)) {
    throw new ConfigError(field, `${url.protocol}//${url.host}/…`, describeSchemes(secure))
  }
  return url.href
}

/** Parses a whole number of at least 1, or returns `fallback` when the binding is not set. */
export function parsePositiveInteger(
  field: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined || value.trim() === '') return fallback

  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new ConfigError(field, value, 'a whole number of at least 1')
  }
  return number
}

/** Splits a comma-separated binding into trimmed, non-empty entries. */
export function parseList(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

/** Parses a comma-separated list of browser origins, each in its serialized form. */
export function parseOriginList(field: string, value: string | undefined, secure: boolean) {
  return parseList(value).map((entry) => {
    const origin = parseUrl(field, entry, secure)
    if (origin !== entry) {
      throw new ConfigError(field, entry, `the serialized origin ${JSON.stringify(origin)}`)
    }
    return origin
  })
}

function parseHttpUrl(field: string, value: string, secure: boolean, expected: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // A value that is no URL at all may still hold a password after a scheme and before an @.
    throw new ConfigError(field, value.includes('@') ? '(hidden)' : value, expected)
  }

  const allowed = secure ? ['https:'] : ['https:', 'http:']
  if (!allowed.includes(url.protocol)) {
    throw new ConfigError(field, withoutCredentials(url), describeSchemes(secure))
  }
  return url
}

function describeSchemes(secure: boolean): string {
  return secure ? 'an https URL (required outside local development)' : 'an http or https URL'
}
