import { describe, expect, it } from 'vitest'
import { NOT_REVOKED_TTL_MS, RevocationCache } from '../../src/siws/revocation-cache'

const NOW = 1_700_000_000_000
const TOKEN_EXPIRES_AT = NOW + 3_600_000

describe('RevocationCache', () => {
  it('has no result for an unknown session id', () => {
    expect(new RevocationCache().lookup('jti-1', NOW)).toBeUndefined()
  })

  it('reuses a "not revoked" result within the window', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', false, TOKEN_EXPIRES_AT, NOW)
    expect(cache.lookup('jti-1', NOW + NOT_REVOKED_TTL_MS - 1)).toBe(false)
  })

  it('drops a "not revoked" result after the window', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', false, TOKEN_EXPIRES_AT, NOW)
    expect(cache.lookup('jti-1', NOW + NOT_REVOKED_TTL_MS)).toBeUndefined()
  })

  it('keeps a "not revoked" result no longer than the token', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', false, NOW + 1_000, NOW)
    expect(cache.lookup('jti-1', NOW + 1_000)).toBeUndefined()
  })

  it('keeps a revocation until the token expires', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', true, TOKEN_EXPIRES_AT, NOW)
    expect(cache.lookup('jti-1', TOKEN_EXPIRES_AT - 1)).toBe(true)
  })

  it('keeps a local revocation over a later "not revoked"', () => {
    const cache = new RevocationCache()
    cache.rememberRevoked('jti-1', TOKEN_EXPIRES_AT)
    cache.rememberAnswer('jti-1', false, TOKEN_EXPIRES_AT, NOW)
    expect(cache.lookup('jti-1', NOW)).toBe(true)
  })

  it('replaces a "not revoked" result with a local revocation', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', false, TOKEN_EXPIRES_AT, NOW)
    cache.rememberRevoked('jti-1', TOKEN_EXPIRES_AT)
    expect(cache.lookup('jti-1', NOW)).toBe(true)
  })

  it('holds no more than its maximum number of entries', () => {
    const cache = new RevocationCache(100)
    for (let index = 0; index < 250; index++) {
      cache.rememberAnswer(`jti-${index}`, false, TOKEN_EXPIRES_AT, NOW)
    }
    expect(cache.size).toBe(100)
  })

  it('drops the oldest entry first when full', () => {
    const cache = new RevocationCache(3)
    for (const jti of ['a', 'b', 'c', 'd']) cache.rememberRevoked(jti, TOKEN_EXPIRES_AT)
    expect(cache.lookup('a', NOW)).toBeUndefined()
    expect(cache.lookup('d', NOW)).toBe(true)
  })

  it('frees an expired entry on lookup', () => {
    const cache = new RevocationCache()
    cache.rememberAnswer('jti-1', false, TOKEN_EXPIRES_AT, NOW)
    cache.lookup('jti-1', NOW + NOT_REVOKED_TTL_MS)
    expect(cache.size).toBe(0)
  })
})
