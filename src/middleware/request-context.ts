/**
 * Sets up every request, inside the access log: assigns the request id (always generated here,
 * never taken from the client), starts the log fields and the response's headers, and loads the
 * validated Config. When the request ends it applies the response's headers to any response
 * the proxy or the error builder did not build complete.
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
