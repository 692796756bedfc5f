/**
 * First middleware of every request: assigns the request id (always generated here, never taken
 * from the client), loads the validated Config and starts the log fields and the response's
 * headers, which it applies to every response the proxy or the error builder did not complete.
 */
import type { MiddlewareHandler } from 'hono'
import { loadConfig } from '../config'
import { completeResponse, newResponseHeaders } from '../response-headers'
import type { AppEnv } from '../types'

export const REQUEST_ID_HEADER = 'x-request-id'

export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const id = crypto.randomUUID()
    c.set('requestId', id)
    c.set('url', new URL(c.req.url))
    c.set('log', {})
    c.set('session', null)
    const headers = newResponseHeaders(REQUEST_ID_HEADER, id)
    c.set('responseHeaders', headers)
    c.set('config', loadConfig(c.env))
    await next()
    completeResponse(c.res, headers)
  }
}
