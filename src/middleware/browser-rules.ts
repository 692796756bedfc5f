/**
 * Browser rules for every response, proxied ones and gateway errors alike: CORS for the origins on
 * `CORS_ALLOWED_ORIGINS` only, and security headers that never replace one the origin set.
 */
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from '../types'

/** Methods a preflight may ask for. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * Request headers the web app and the API send beyond the CORS-safelisted ones: JSON bodies,
 * Bearer sessions, x402 payments, `solana-client` (sent by @solana/web3.js on every RPC call) and
 * `Last-Event-ID` (sent by EventSource when it reconnects).
 */
export const CORS_REQUEST_HEADERS = [
  'Content-Type',
  'Authorization',
  'Payment-Signature',
  'X-Payment',
  'Solana-Client',
  'Last-Event-ID',
]

/** Response headers a page script may read: payment state, request id and rate-limit state. */
export const CORS_EXPOSED_HEADERS = [
  'Payment-Required',
  'Payment-Response',
  'X-Payment-Response',
  'X-Request-Id',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
]

/** How long a browser may cache a preflight result, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600

/** Two years, the HSTS preload list's recommendation. */
const HSTS = 'max-age=63072000; includeSubDomains'

export function browserRules(): MiddlewareHandler<AppEnv> {
  // `overwrite: false` keeps every security header a proxied origin already set.
  // `same-origin-allow-popups` keeps wallet popups that talk back through window.opener working.
  const security = secureHeaders({
    overwrite: false,
    strictTransportSecurity: HSTS,
    crossOriginOpenerPolicy: 'same-origin-allow-popups',
  })
  const corsByList = new WeakMap<readonly string[], MiddlewareHandler<AppEnv>>()

  return async function browserRules(c, next) {
    const allowed = c.get('config').proxy.corsAllowedOrigins
    const origin = c.req.header('origin')
    let rules = withoutCors
    if (origin && allowed.includes(origin)) {
      rules = corsByList.get(allowed) ?? corsFor(allowed)
      corsByList.set(allowed, rules)
    }

    // A middleware that answers a preflight itself returns its Response instead of setting
    // c.res, so it is set here for secureHeaders to see.
    await security(c, async () => {
      const answer = await rules(c, next)
      if (answer) c.res = answer
    })
  }
}

function corsFor(allowed: readonly string[]): MiddlewareHandler<AppEnv> {
  return cors({
    origin: [...allowed],
    credentials: true,
    allowMethods: CORS_METHODS,
    allowHeaders: CORS_REQUEST_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  })
}

/**
 * Serves a request from a browser origin not on the list, or from no browser at all, without any
 * CORS header. A preflight from such an origin is answered here so that the origin server never
 * gets the chance to allow it.
 */
const withoutCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  const isPreflight = c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')
  if (isPreflight && c.req.header('origin')) {
    return c.body(null, 204, { vary: 'Origin' })
  }

  await next()
  c.header('vary', 'Origin', { append: true })
}
