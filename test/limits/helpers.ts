/** Shared helpers for the rate-limit suites: limiter stubs and unique client addresses. */
import { env } from 'cloudflare:test'
import type { Env } from '../../src/env'

export const limiter = (env as unknown as Env).RATE_LIMITER

export function stubFor(key: string) {
  return limiter.get(limiter.idFromName(key))
}

let counter = 0

/** Returns an IPv4 address from a documentation range, different on every call in a file. */
export function uniqueIp(): string {
  counter += 1
  const salt = Math.floor(Math.random() * 200)
  return `198.51.${salt}.${counter % 250}`
}
