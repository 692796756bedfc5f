import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { ConfigError } from '../../src/errors'
import { DEFAULT_ORIGIN_TIMEOUT_MS, loadProxyConfig } from '../../src/proxy/config'
import { DEFAULT_RPC_METHODS } from '../../src/proxy/rpc-config'

const BASE = {
  WEB_ORIGIN: 'https://app.example.com',
  API_ORIGIN: 'https://api.example.com',
} as Env

function load(overrides: Partial<Env>, secure = true) {
  return loadProxyConfig({ ...BASE, ...overrides }, { secure })
}

describe('loadProxyConfig', () => {
  it('reads both origins with default timeouts', () => {
    const config = load({})
    expect(config.web.url).toBe('https://app.example.com')
    expect(config.api.url).toBe('https://api.example.com')
    expect(config.web.timeoutMs).toBe(DEFAULT_ORIGIN_TIMEOUT_MS)
    expect(config.api.backupUrl).toBeUndefined()
  })

  it('reads backups and per-origin timeouts', () => {
    const config = load({
      API_ORIGIN_BACKUP: 'https://api-2.example.com',
      API_ORIGIN_TIMEOUT_MS: '250',
    })
    expect(config.api.backupUrl).toBe('https://api-2.example.com')
    expect(config.api.timeoutMs).toBe(250)
  })

  it.each([
    'https://admin:hunter2secret@app.example.com',
    'http://admin:hunter2secret@app.example.com',
    'https://admin:hunter2secret@app.example.com/path',
    'ftp://admin:hunter2secret@app.example.com',
    'https//admin:hunter2secret@app',
  ])('rejects %s without the password in the error', (value) => {
    const error = (() => {
      try {
        load({ WEB_ORIGIN: value })
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(String(error)).toContain('WEB_ORIGIN')
    expect(String(error)).not.toContain('hunter2secret')
  })

  it('rejects an http origin when secure', () => {
    expect(() => load({ WEB_ORIGIN: 'http://app.example.com' })).toThrow(/WEB_ORIGIN.*https/)
  })

  it('accepts an http origin in local development', () => {
    expect(load({ WEB_ORIGIN: 'http://127.0.0.1:8788' }, false).web.url).toBe(
      'http://127.0.0.1:8788',
    )
  })

  it('names the field and value of an invalid URL', () => {
    expect(() => load({ API_ORIGIN: 'not a url' })).toThrow(ConfigError)
    expect(() => load({ API_ORIGIN: 'not a url' })).toThrow('API_ORIGIN is "not a url"')
  })

  it('rejects an origin URL with a path', () => {
    expect(() => load({ WEB_ORIGIN_BACKUP: 'https://b.example.com/app' })).toThrow(
      /WEB_ORIGIN_BACKUP/,
    )
  })

  it('rejects a timeout that is not a positive whole number', () => {
    expect(() => load({ WEB_ORIGIN_TIMEOUT_MS: '0' })).toThrow(/WEB_ORIGIN_TIMEOUT_MS is "0"/)
    expect(() => load({ WEB_ORIGIN_TIMEOUT_MS: '1.5' })).toThrow(/WEB_ORIGIN_TIMEOUT_MS/)
  })

  it('rejects a missing origin', () => {
    expect(() => load({ API_ORIGIN: '' })).toThrow(/API_ORIGIN/)
  })

  it('rejects an origin shared secret shorter than 32 bytes', () => {
    expect(() => load({ ORIGIN_SHARED_SECRET: 'short' })).toThrow(/ORIGIN_SHARED_SECRET/)
  })

  it('never prints the shared secret in its error', () => {
    expect(() => load({ ORIGIN_SHARED_SECRET: 'short-secret' })).not.toThrow(/short-secret/)
  })

  it('parses the CORS allowlist', () => {
    const config = load({ CORS_ALLOWED_ORIGINS: 'https://a.example.com, https://b.example.com' })
    expect(config.corsAllowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com'])
  })

  it('rejects a CORS entry that is not a serialized origin', () => {
    expect(() => load({ CORS_ALLOWED_ORIGINS: 'https://a.example.com/' })).toThrow(
      /CORS_ALLOWED_ORIGINS/,
    )
  })

  it('uses the default RPC methods when none are configured', () => {
    expect([...load({}).rpc.allowedMethods]).toEqual(DEFAULT_RPC_METHODS)
  })

  it('hides the path and query of an RPC URL in its error', () => {
    const url = 'http://rpc.example.com/v2/secret-key'
    expect(() => load({ SOLANA_RPC_URL: url })).toThrow(/SOLANA_RPC_URL/)
    expect(() => load({ SOLANA_RPC_URL: url })).not.toThrow(/secret-key/)
  })
})
