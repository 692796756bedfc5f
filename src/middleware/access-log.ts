/**
 * Writes one structured JSON line per request, the only place the gateway logs a request.
 * The line holds the path without its query string, so `?token=` and similar values never reach
 * the log, and no header value is ever copied into it.
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../types'

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const started = Date.now()
    try {
      await next()
    } finally {
      const fields = c.get('log') ?? {}
      const status = c.res.status
      const line = {
        time: new Date(started).toISOString(),
        level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
        request_id: c.get('requestId'),
        method: c.req.method,
        route: new URL(c.req.url).pathname,
        status,
        duration_ms: Date.now() - started,
        origin: fields.origin,
        tier: fields.tier,
        limit: fields.limit,
        reason: fields.reason,
      }
      console.log(JSON.stringify(line))
    }
  }
}
