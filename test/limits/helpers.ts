/** Shared helpers for the rate-limit suites: limiter stubs, backends, unique client addresses. */
import { env } from 'cloudflare:test'
import type { Env } from '../../src/env'
import { durableObjectBackend } from '../../src/limits/backend'

export const limiter = (env as unknown as Env).RATE_LIMITER

/** The Durable Object backend on the test run's RATE_LIMITER namespace. */
export const durableObjects = durableObjectBackend(limiter)

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
