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

  if (error instanceof GatewayError) {
    if (log) log.reason = error.reason ?? error.code
    return errorResponse(error.status, error.code, error.message, error.headers)
  }

  if (error instanceof HTTPException && error.status < 500) {
    if (log) log.reason = error.message
    return errorResponse(error.status, 'bad_request', error.message || 'The request is invalid.')
  }

  if (error instanceof ConfigError) {
    if (log) log.reason = error.message
    return errorResponse(500, 'config_invalid', 'The gateway is misconfigured.')
  }

  if (log) log.reason = `unhandled: ${error instanceof Error ? error.name : typeof error}`
  console.error(
    JSON.stringify({ level: 'error', request_id: c.get('requestId'), error: String(error) }),
  )
  return errorResponse(500, 'internal_error', 'The gateway failed to handle the request.')
}

export const handleNotFound: NotFoundHandler<AppEnv> = () =>
  errorResponse(404, 'not_found', 'No gateway route matches this path.')

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
  return errorResponse(405, 'method_not_allowed', message, { allow: allowed })
}
