import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../types'

// Placeholder until the limits module lands.
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(_c, next) {
    await next()
  }
}
