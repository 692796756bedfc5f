/**
 * Browser rules for every response, proxied ones and gateway errors alike: CORS for the origins on
 * `CORS_ALLOWED_ORIGINS` only. The security headers every response carries are in
 * src/response-headers.ts, applied with the gateway's other response headers.
 */
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
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

export function browserRules(): MiddlewareHandler<AppEnv> {
  const corsByList = new WeakMap<readonly string[], MiddlewareHandler<AppEnv>>()

  return async function browserRules(c, next) {
    const allowed = c.get('config').proxy.corsAllowedOrigins
    const origin = c.req.header('origin')
    if (!origin || !allowed.includes(origin)) return withoutCors(c, next)

    const rules = corsByList.get(allowed) ?? corsFor(allowed)
    corsByList.set(allowed, rules)
    return rules(c, next)
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

  c.get('responseHeaders').varyOrigin = true
  await next()
}
