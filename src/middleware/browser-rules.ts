import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../types'

// Placeholder until CORS and security headers land.
export function browserRules(): MiddlewareHandler<AppEnv> {
  return async function browserRules(_c, next) {
    await next()
  }
}
