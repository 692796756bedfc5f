/**
 * Rejects requests no origin should see, before any other work. A path that starts with `//`
 * reads as a scheme-relative URL to many HTTP parsers (Node's `new URL(req.url, base)` among
 * them), so the origin would see another path than the one the page gate and the route table
 * matched: `//x/dashboard` reaches an origin as `/dashboard`. TRACE and TRACK echo the request,
 * credentials included (cross-site tracing), and CONNECT opens a tunnel; none is proxied.
 */
import type { MiddlewareHandler } from 'hono'
import { GatewayError } from '../errors'
import type { AppEnv } from '../types'

const REJECTED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT'])

export function requestGuard(): MiddlewareHandler<AppEnv> {
  return async function requestGuard(c, next) {
    const method = c.req.method.toUpperCase()
    if (REJECTED_METHODS.has(method)) {
      throw new GatewayError(405, 'method_not_allowed', `The gateway does not serve ${method}.`, {
        reason: `method ${method} rejected`,
      })
    }

    if (c.get('url').pathname.startsWith('//')) {
      throw new GatewayError(400, 'invalid_path', 'The path must not start with two slashes.', {
        reason: 'path starts with //',
      })
    }
    return next()
  }
}
