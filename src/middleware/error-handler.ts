/**
 * Maps every thrown error to the gateway's JSON error body. A GatewayError keeps its status and
 * public code, and its internal reason goes to the log line only. Anything else is a generic 500.
 */
import type { ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ConfigError, GatewayError, errorResponse } from '../errors'
import type { AppEnv } from '../types'

export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const log = c.get('log')
  const gateway = c.get('responseHeaders')

  if (error instanceof GatewayError) {
    if (log) log.reason = error.reason ?? error.code
    return errorResponse(error.status, error.code, error.message, error.headers, gateway)
  }

  if (error instanceof HTTPException && error.status < 500) {
    if (log) log.reason = error.message
    const message = error.message || 'The request is invalid.'
    return errorResponse(error.status, 'bad_request', message, {}, gateway)
  }

  if (error instanceof ConfigError) {
    if (log) log.reason = error.message
    return errorResponse(500, 'config_invalid', 'The gateway is misconfigured.', {}, gateway)
  }

  if (log) log.reason = `unhandled: ${error instanceof Error ? error.name : typeof error}`
  console.error(
    JSON.stringify({ level: 'error', request_id: c.get('requestId'), error: String(error) }),
  )
  const message = 'The gateway failed to handle the request.'
  return errorResponse(500, 'internal_error', message, {}, gateway)
}

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    404,
    'not_found',
    'No gateway route matches this path.',
    {},
    c.get('responseHeaders'),
  )

/** Methods of the gateway's own routes, for a 405 that names them. HEAD follows GET. */
const EDGE_ROUTE_METHODS: Record<string, string> = {
  '/_edge/health': 'GET, HEAD',
  '/_edge/health/ready': 'GET, HEAD',
  '/_edge/session': 'GET, HEAD',
  '/_edge/siws/challenge': 'POST',
  '/_edge/siws/verify': 'POST',
  '/_edge/siws/refresh': 'POST',
  '/_edge/siws/logout': 'POST',
  '/_edge/rpc': 'POST',
}

/** Returns the response for a gateway path no route matched: 405 with `Allow` for a known path, else 404. */
export const handleUnmatchedEdge: NotFoundHandler<AppEnv> = (c) => {
  const allowed = EDGE_ROUTE_METHODS[c.get('url').pathname]
  if (allowed === undefined) return handleNotFound(c)

  c.get('log').reason = `method ${c.req.method} not allowed`
  const message = `This gateway route accepts ${allowed} only.`
  return errorResponse(
    405,
    'method_not_allowed',
    message,
    { allow: allowed },
    c.get('responseHeaders'),
  )
}
