import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { clusterFor } from '../../src/cluster'
import type { Env } from '../../src/env'
import { ConfigError } from '../../src/errors'
import { loadBackendConfig } from '../../src/limits/backend-config'
import { loadLimitsConfig } from '../../src/limits/config'

const TOKEN = 'AXfake-token-0123456789'
const URL_VALUE = 'https://example-db.upstash.io'

function backend(overrides: Partial<Env>, secure = true) {
  return loadBackendConfig({ ...(env as unknown as Env), ...overrides }, secure)
}

function upstash(overrides: Partial<Env> = {}, secure = true) {
  const base = {
    RATE_LIMIT_BACKEND: 'upstash',
    UPSTASH_REDIS_REST_URL: URL_VALUE,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
  }
  return backend({ ...base, ...overrides }, secure)
}

/** Returns the message of the ConfigError `load` throws. */
function failure(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadBackendConfig', () => {
  it('defaults to the Durable Object backend', () => {
    expect(backend({ RATE_LIMIT_BACKEND: undefined })).toEqual({ kind: 'durable-object' })
  })

  it('rejects an unknown backend naming RATE_LIMIT_BACKEND', () => {
    const message = failure(() => backend({ RATE_LIMIT_BACKEND: 'memcached' }))
    expect(message).toContain('RATE_LIMIT_BACKEND is "memcached"')
  })

  it('reads the Upstash URL, token and key prefix', () => {
    expect(upstash()).toEqual({
      kind: 'upstash',
      url: URL_VALUE,
      token: TOKEN,
      prefix: 'edge-gateway',
    })
  })

  it('drops a trailing slash from the URL', () => {
    const config = upstash({ UPSTASH_REDIS_REST_URL: `${URL_VALUE}/` })
    expect(config).toMatchObject({ url: URL_VALUE })
  })

  it('names UPSTASH_REDIS_REST_URL when it is missing', () => {
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_URL: undefined }))
    expect(message).toContain('UPSTASH_REDIS_REST_URL is undefined')
  })

  it('names UPSTASH_REDIS_REST_TOKEN when it is missing', () => {
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_TOKEN: undefined }))
    expect(message).toContain('UPSTASH_REDIS_REST_TOKEN is undefined')
  })

  it('rejects an empty token', () => {
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_TOKEN: '' }))
    expect(message).toContain('UPSTASH_REDIS_REST_TOKEN')
  })

  it('never prints a rejected token', () => {
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_TOKEN: `${TOKEN}\n` }))
    expect(message).toContain('UPSTASH_REDIS_REST_TOKEN is "<hidden>"')
    expect(message).not.toContain(TOKEN)
  })

  it('rejects a plain http URL outside local development', () => {
    const message = failure(() =>
      upstash({ UPSTASH_REDIS_REST_URL: 'http://example-db.upstash.io' }),
    )
    expect(message).toContain('expected an https URL')
  })

  it('accepts a loopback http URL in local development', () => {
    const config = upstash({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:8079' }, false)
    expect(config).toMatchObject({ url: 'http://127.0.0.1:8079' })
  })

  it('rejects a URL with credentials without printing it', () => {
    const withPassword = 'https://user:hunter2@example-db.upstash.io'
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_URL: withPassword }))
    expect(message).toContain('UPSTASH_REDIS_REST_URL is "<hidden>"')
    expect(message).not.toContain('hunter2')
  })

  it('rejects a value that is not a URL', () => {
    const message = failure(() => upstash({ UPSTASH_REDIS_REST_URL: 'example-db.upstash.io' }))
    expect(message).toContain('UPSTASH_REDIS_REST_URL')
  })
})

describe('loadLimitsConfig backend', () => {
  it('requires https for Upstash outside development', () => {
    const production = {
      ...(env as unknown as Env),
      ENVIRONMENT: 'production',
      RATE_LIMIT_BACKEND: 'upstash',
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:8079',
      UPSTASH_REDIS_REST_TOKEN: TOKEN,
    }
    const message = failure(() => loadLimitsConfig(production, { cluster: clusterFor('devnet') }))
    expect(message).toContain('UPSTASH_REDIS_REST_URL')
  })

  it('selects the Durable Object backend by default', () => {
    const config = loadLimitsConfig(env as unknown as Env, { cluster: clusterFor('devnet') })
    expect(config.backend.kind).toBe('durable-object')
  })
})
