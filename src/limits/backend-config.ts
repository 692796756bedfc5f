/**
 * Reads which store keeps the rate-limit counters: `RATE_LIMIT_BACKEND` is `durable-object` (the
 * default) or `upstash`, which needs the `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN`
 * secrets. Errors name the field but never print either secret's value.
 */
import type { Env } from '../env'
import { ConfigError } from '../errors'

export const LIMITER_BACKENDS = ['durable-object', 'upstash'] as const
export type LimiterBackendKind = (typeof LIMITER_BACKENDS)[number]

/**
 * Every Upstash key starts with this, then the limiter key `<cluster>:<policy>:<subject>`, so the
 * gateway never shares a counter with an application that uses the same database.
 */
export const UPSTASH_KEY_PREFIX = 'edge-gateway'

export type BackendConfig =
  { kind: 'durable-object' } | { kind: 'upstash'; url: string; token: string; prefix: string }

// Shown in place of a secret's value in configuration errors.
const HIDDEN = '<hidden>'

/** Returns the limiter backend for these bindings; `secure` requires an https Upstash URL. */
export function loadBackendConfig(env: Env, secure: boolean): BackendConfig {
  const kind = env.RATE_LIMIT_BACKEND?.trim() || 'durable-object'
  if (kind === 'durable-object') return { kind }
  if (kind !== 'upstash') {
    throw new ConfigError('RATE_LIMIT_BACKEND', kind, LIMITER_BACKENDS.join(' or '))
  }

  return {
    kind,
    url: parseRestUrl(env.UPSTASH_REDIS_REST_URL, secure),
    token: parseToken(env.UPSTASH_REDIS_REST_TOKEN),
    prefix: UPSTASH_KEY_PREFIX,
  }
}

function parseRestUrl(value: string | undefined, secure: boolean): string {
  const field = 'UPSTASH_REDIS_REST_URL'
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      field,
      undefined,
      'the database REST URL when RATE_LIMIT_BACKEND is upstash',
    )
  }

  const url = parseUrl(value.trim())
  const protocols = secure ? ['https:'] : ['https:', 'http:']
  if (!url || !protocols.includes(url.protocol) || url.username || url.password) {
    const scheme = secure ? 'an https' : 'an http or https'
    throw new ConfigError(field, HIDDEN, `${scheme} URL without credentials in it`)
  }
  return url.href.replace(/\/$/, '')
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

function parseToken(value: string | undefined): string {
  const field = 'UPSTASH_REDIS_REST_TOKEN'
  if (value === undefined || value === '') {
    throw new ConfigError(
      field,
      undefined,
      'the database REST token when RATE_LIMIT_BACKEND is upstash',
    )
  }
  if (/\s/.test(value)) throw new ConfigError(field, HIDDEN, 'a token without whitespace')
  return value
}
