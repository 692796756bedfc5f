/**
 * Rejects cross-site POSTs to the sign-in routes (login CSRF). Without this, a page on another
 * site can post a form with `enctype=text/plain` whose body parses as JSON, and so sign the
 * visitor's browser in as the attacker's wallet, refresh its session or log it out.
 *
 * Two rules apply to every POST under `/_edge/siws/`:
 * - the body is `application/json`. The Fetch standard lets a page send only the form content
 *   types (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) cross-site
 *   without a CORS preflight, and only the origins on `CORS_ALLOWED_ORIGINS` pass the preflight;
 * - an `Origin` header, when sent, is the gateway's own origin or a listed one, and a
 *   `Sec-Fetch-Site: cross-site` request comes from a listed origin.
 * A request with neither header (a non-browser client) passes the second rule.
 *
 * Hono's `csrf` middleware (4.13) does not fit. It checks only requests with the form content
 * types, which the first rule already rejects. It also accepts a request when either the Origin
 * or the Sec-Fetch-Site check passes, but a cross-site Sec-Fetch-Site must fail on its own.
 */
import type { MiddlewareHandler } from 'hono'
import { GatewayError } from '../errors'
import type { AppEnv } from '../types'

/** The request headers and settings the check reads. */
export interface SignInRequestFacts {
  contentType: string | undefined
  origin: string | undefined
  secFetchSite: string | undefined
  /** Origin of the request URL, which the gateway serves. */
  ownOrigin: string
  allowedOrigins: readonly string[]
}

export type CrossSiteResult =
  { ok: true } | { ok: false; rejection: 'media_type' | 'origin'; reason: string }

/** Checks the content type, then the origin of a POST to a sign-in route. Pure. */
export function checkSignInRequest(facts: SignInRequestFacts): CrossSiteResult {
  if (!isJsonMediaType(facts.contentType)) {
    return { ok: false, rejection: 'media_type', reason: 'content_type_not_json' }
  }

  const { origin, ownOrigin, allowedOrigins } = facts
  const listed = origin !== undefined && allowedOrigins.includes(origin)
  if (origin !== undefined && origin !== ownOrigin && !listed) {
    return { ok: false, rejection: 'origin', reason: 'origin_not_allowed' }
  }

  const site = facts.secFetchSite?.trim().toLowerCase()
  if (site === 'cross-site' && !listed) {
    return { ok: false, rejection: 'origin', reason: 'sec_fetch_site_cross_site' }
  }
  return { ok: true }
}

/**
 * True for `application/json` with any parameters. Media type names are case-insensitive
 * (RFC 9110 section 8.3.1).
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false

  const essence = contentType.split(';', 1)[0] ?? ''
  return essence.trim().toLowerCase() === 'application/json'
}

/**
 * Applies checkSignInRequest to every POST and throws a 415 or 403 GatewayError on failure.
 * `purpose` names the requests in the 403 message, such as "sign-in" or "RPC".
 */
export function crossSiteGuard(purpose: string): MiddlewareHandler<AppEnv> {
  return async function crossSiteGuard(c, next) {
    if (c.req.method !== 'POST') return next()

    const result = checkSignInRequest({
      contentType: c.req.header('content-type'),
      origin: c.req.header('origin'),
      secFetchSite: c.req.header('sec-fetch-site'),
      ownOrigin: c.get('url').origin,
      allowedOrigins: c.get('config').proxy.corsAllowedOrigins,
    })
    if (!result.ok) throw rejectionError(result.rejection, result.reason, purpose)
    return next()
  }
}

function rejectionError(
  rejection: 'media_type' | 'origin',
  reason: string,
  purpose: string,
): GatewayError {
  if (rejection === 'media_type') {
    const message = 'The request body must be sent with Content-Type: application/json.'
    return new GatewayError(415, 'unsupported_media_type', message, { reason })
  }

  const message = `The gateway does not accept ${purpose} requests from this origin.`
  return new GatewayError(403, 'forbidden_origin', message, { reason })
}
