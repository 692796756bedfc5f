/**
 * The cross-site guard on the sign-in routes: a JSON content type and an accepted origin on every
 * POST, so that a page on another site cannot sign a browser in as someone else's wallet.
 */
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { checkSignInRequest, isJsonMediaType } from '../../src/siws/cross-site'
import {
  GATEWAY,
  bearer,
  challengeFor,
  clientIp,
  errorCode,
  newWallet,
  reasonOf,
  sign,
  signIn,
} from './session-helpers'

const VERIFY = `${GATEWAY}/_edge/siws/verify`
/** On CORS_ALLOWED_ORIGINS in wrangler.toml's local settings. */
const LISTED_ORIGIN = 'http://localhost:3000'
const FOREIGN_ORIGIN = 'https://evil.example'

/** Returns a signed, unused verify body for a fresh wallet. */
async function signedBody() {
  const wallet = newWallet()
  const { message } = await challengeFor(wallet)
  return { message, signature: sign(wallet, message) }
}

/** Posts a fresh signed verify body with these headers. */
async function verifyWith(headers: Record<string, string>) {
  const body = JSON.stringify(await signedBody())
  return SELF.fetch(VERIFY, { method: 'POST', headers: { ...clientIp(), ...headers }, body })
}

const json = { 'content-type': 'application/json' }

describe('POST /_edge/siws/verify from a cross-site form', () => {
  /**
   * Builds the body an HTML form with enctype=text/plain sends when one field's name is the JSON
   * up to `"pad":"` and its value is `"}`. The form adds `=` between them and CRLF at the end.
   */
  async function formBody() {
    const { message, signature } = await signedBody()
    return `${JSON.stringify({ message, signature, pad: '=' })}\r\n`
  }

  it('rejects the text/plain body with 415', async () => {
    const headers = { 'content-type': 'text/plain', origin: FOREIGN_ORIGIN }
    const body = await formBody()
    const response = await SELF.fetch(VERIFY, {
      method: 'POST',
      headers: { ...clientIp(), ...headers },
      body,
    })
    expect(response.status).toBe(415)
    expect(await errorCode(response)).toBe('unsupported_media_type')
  })

  it('sets no session cookie on the text/plain body', async () => {
    const headers = { 'content-type': 'text/plain', origin: FOREIGN_ORIGIN }
    const body = await formBody()
    const response = await SELF.fetch(VERIFY, {
      method: 'POST',
      headers: { ...clientIp(), ...headers },
      body,
    })
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('rejects text/plain from the same origin too', async () => {
    const response = await verifyWith({ 'content-type': 'text/plain', origin: GATEWAY })
    expect(response.status).toBe(415)
  })

  it('logs why the content type was rejected', async () => {
    const reason = await reasonOf(() => verifyWith({ 'content-type': 'text/plain' }))
    expect(reason).toBe('content_type_not_json')
  })
})

describe('POST /_edge/siws/verify origins', () => {
  it('rejects a foreign Origin with 403', async () => {
    const response = await verifyWith({ ...json, origin: FOREIGN_ORIGIN })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('forbidden_origin')
  })

  it('rejects Origin null from a sandboxed page', async () => {
    const response = await verifyWith({ ...json, origin: 'null' })
    expect(response.status).toBe(403)
  })

  it('accepts an Origin on CORS_ALLOWED_ORIGINS', async () => {
    const response = await verifyWith({ ...json, origin: LISTED_ORIGIN })
    expect(response.status).toBe(200)
  })

  it('accepts its own origin', async () => {
    const response = await verifyWith({ ...json, origin: GATEWAY, 'sec-fetch-site': 'same-origin' })
    expect(response.status).toBe(200)
  })

  it('accepts a request without Origin from a non-browser client', async () => {
    const response = await verifyWith(json)
    expect(response.status).toBe(200)
  })

  it('rejects Sec-Fetch-Site cross-site with 403', async () => {
    const response = await verifyWith({ ...json, 'sec-fetch-site': 'cross-site' })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('forbidden_origin')
  })

  it('rejects Sec-Fetch-Site cross-site with its own origin', async () => {
    const headers = { ...json, origin: GATEWAY, 'sec-fetch-site': 'cross-site' }
    const response = await verifyWith(headers)
    expect(response.status).toBe(403)
  })

  it('accepts Sec-Fetch-Site cross-site from a listed origin', async () => {
    const response = await verifyWith({
      ...json,
      origin: LISTED_ORIGIN,
      'sec-fetch-site': 'cross-site',
    })
    expect(response.status).toBe(200)
  })

  it('accepts a JSON content type with a charset', async () => {
    const response = await verifyWith({ 'content-type': 'application/json; charset=UTF-8' })
    expect(response.status).toBe(200)
  })
})

describe('other sign-in POSTs', () => {
  const post = (path: string, headers: Record<string, string>) =>
    SELF.fetch(`${GATEWAY}${path}`, { method: 'POST', headers: { ...clientIp(), ...headers } })

  it('rejects a challenge without a content type with 415', async () => {
    const response = await post('/_edge/siws/challenge', {})
    expect(response.status).toBe(415)
  })

  it('rejects a challenge from a foreign Origin with 403', async () => {
    const response = await post('/_edge/siws/challenge', { ...json, origin: FOREIGN_ORIGIN })
    expect(response.status).toBe(403)
  })

  it('rejects a refresh from a foreign Origin with 403', async () => {
    const { body } = await signIn(newWallet())
    const headers = { ...json, ...bearer(body.token), origin: FOREIGN_ORIGIN }
    const response = await post('/_edge/siws/refresh', headers)
    expect(response.status).toBe(403)
  })

  it('rejects a text/plain logout with 415', async () => {
    const { body } = await signIn(newWallet())
    const headers = { 'content-type': 'text/plain', ...bearer(body.token) }
    const response = await post('/_edge/siws/logout', headers)
    expect(response.status).toBe(415)
  })

  it('leaves GET /_edge/session to a foreign Origin', async () => {
    const { body } = await signIn(newWallet())
    const response = await SELF.fetch(`${GATEWAY}/_edge/session`, {
      headers: { ...clientIp(), ...bearer(body.token), origin: FOREIGN_ORIGIN },
    })
    expect(response.status).toBe(200)
  })
})

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON;charset=UTF-8', true],
    [' application/json ', true],
    ['text/plain', false],
    ['text/plain; charset=application/json', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/jsonp', false],
    ['application/json, text/plain', false],
    ['', false],
  ])('reads %j as %s', (contentType, expected) => {
    expect(isJsonMediaType(contentType)).toBe(expected)
  })

  it('rejects a missing content type', () => {
    expect(isJsonMediaType(undefined)).toBe(false)
  })
})

describe('checkSignInRequest', () => {
  const base = {
    contentType: 'application/json',
    origin: undefined,
    secFetchSite: undefined,
    ownOrigin: 'https://gateway.test',
    allowedOrigins: ['https://app.test'],
  }

  it('checks the content type before the origin', () => {
    const result = checkSignInRequest({ ...base, contentType: 'text/plain', origin: 'https://x' })
    expect(result).toEqual({ ok: false, rejection: 'media_type', reason: 'content_type_not_json' })
  })

  it('rejects an origin that differs from its own only in scheme', () => {
    const result = checkSignInRequest({ ...base, origin: 'http://gateway.test' })
    expect(result.ok).toBe(false)
  })

  it('reads Sec-Fetch-Site without regard to case', () => {
    const result = checkSignInRequest({ ...base, secFetchSite: 'Cross-Site' })
    expect(result).toEqual({ ok: false, rejection: 'origin', reason: 'sec_fetch_site_cross_site' })
  })

  it('accepts Sec-Fetch-Site same-site from its own origin', () => {
    const result = checkSignInRequest({
      ...base,
      origin: 'https://gateway.test',
      secFetchSite: 'same-site',
    })
    expect(result).toEqual({ ok: true })
  })
})
