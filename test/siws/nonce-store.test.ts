import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { NonceStore } from '../../src/siws/nonce-store.do'

const namespace = env.NONCE_STORE

function freshStore() {
  return namespace.get(namespace.newUniqueId())
}

function countRows(stub: DurableObjectStub<NonceStore>, table: string) {
  return runInDurableObject(
    stub,
    (_instance, state) => state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n,
  )
}

describe('NonceStore challenges', () => {
  it('returns the issued input on the first consume', async () => {
    const store = freshStore()
    await store.issue('n1', '{"nonce":"n1"}', Date.now() + 60_000)
    expect(await store.consume('n1', Date.now())).toBe('{"nonce":"n1"}')
  })

  it('returns null on the second consume', async () => {
    const store = freshStore()
    await store.issue('n1', '{}', Date.now() + 60_000)
    await store.consume('n1', Date.now())
    expect(await store.consume('n1', Date.now())).toBeNull()
  })

  it('returns null for a nonce never issued', async () => {
    expect(await freshStore().consume('unknown', Date.now())).toBeNull()
  })

  it('returns null once the challenge has expired', async () => {
    const store = freshStore()
    const expiresAt = Date.now() + 60_000
    await store.issue('n1', '{}', expiresAt)
    expect(await store.consume('n1', expiresAt)).toBeNull()
  })

  it('lets one of many concurrent consumes win', async () => {
    const store = freshStore()
    await store.issue('n1', '{}', Date.now() + 60_000)
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.consume('n1', Date.now())),
    )
    expect(results.filter((result) => result !== null)).toHaveLength(1)
  })

  it('schedules an alarm at the earliest expiry', async () => {
    const store = freshStore()
    const expiresAt = Date.now() + 60_000
    await store.issue('late', '{}', expiresAt + 5_000)
    await store.issue('early', '{}', expiresAt)
    const alarm = await runInDurableObject(store, (_instance, state) => state.storage.getAlarm())
    expect(alarm).toBe(expiresAt)
  })

  it('deletes expired challenges when the alarm runs', async () => {
    const store = freshStore()
    await store.issue('gone', '{}', Date.now() - 1)
    await store.issue('kept', '{}', Date.now() + 60_000)
    await runDurableObjectAlarm(store)
    expect(await countRows(store, 'challenges')).toBe(1)
    expect(await store.consume('kept', Date.now())).toBe('{}')
  })
})

describe('NonceStore revocations', () => {
  it('reports a revoked session id until its expiry', async () => {
    const store = freshStore()
    const expiresAt = Date.now() + 60_000
    await store.revoke('jti-1', expiresAt)
    expect(await store.isRevoked('jti-1', Date.now())).toBe(true)
    expect(await store.isRevoked('jti-1', expiresAt)).toBe(false)
  })

  it('reports a session id never revoked as not revoked', async () => {
    expect(await freshStore().isRevoked('jti-2', Date.now())).toBe(false)
  })

  it('keeps the later expiry when a session id is revoked twice', async () => {
    const store = freshStore()
    const later = Date.now() + 120_000
    await store.revoke('jti-3', later)
    await store.revoke('jti-3', Date.now() + 1_000)
    expect(await store.isRevoked('jti-3', later - 1)).toBe(true)
  })

  it('deletes expired revocations when the alarm runs', async () => {
    const store = freshStore()
    await store.revoke('old', Date.now() - 1)
    await runDurableObjectAlarm(store)
    expect(await countRows(store, 'revoked')).toBe(0)
  })
})
