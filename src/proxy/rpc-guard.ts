/**
 * Keeps other sites' pages off `POST /_edge/rpc`. Every call there spends the RPC provider key's
 * quota, so without this check any page could spend it from its visitors' browsers with a
 * `text/plain` POST, which needs no CORS preflight.
 *
 * The rules are the sign-in routes' rules: the body is `application/json`, an `Origin` header,
 * when sent, is the gateway's own origin or a listed one, and a `Sec-Fetch-Site: cross-site`
 * request comes from a listed origin. A client that sends neither header (a server, a script)
 * passes.
 */
import type { MiddlewareHandler } from 'hono'
import { GatewayError } from '../errors'
import { checkSignInRequest } from '../siws/cross-site'
import type { AppEnv } from '../types'

/** Applies the cross-site rules to every POST and throws a 415 or 403 GatewayError on failure. */
export function rpcCrossSiteGuard(): MiddlewareHandler<AppEnv> {
  return async function rpcCrossSiteGuard(c, next) {
    if (c.req.method !== 'POST') return next()

    const result = checkSignInRequest({
      contentType: c.req.header('content-type'),
      origin: c.req.header('origin'),
      secFetchSite: c.req.header('sec-fetch-site'),
      ownOrigin: c.get('url').origin,
      allowedOrigins: c.get('config').proxy.corsAllowedOrigins,
    })
    if (result.ok) return next()

    const { reason } = result
    if (result.rejection === 'media_type') {
      const message = 'The request body must be sent with Content-Type: application/json.'
      throw new GatewayError(415, 'unsupported_media_type', message, { reason })
    }
    const message = 'The gateway does not accept RPC requests from this origin.'
    throw new GatewayError(403, 'forbidden_origin', message, { reason })
  }
}
