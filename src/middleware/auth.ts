import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../types'

// Placeholder until the SIWS module lands.
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(_c, next) {
    await next()
  }
}
