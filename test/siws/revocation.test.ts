import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { clusterFor } from '../../src/cluster'
import { NOT_REVOKED_TTL_MS } from '../../src/siws/revocation-cache'
import { isRevoked, revocationStore, revoke } from '../../src/siws/session-store'
import { GATEWAY, bearer, clientIp, newWallet, postJson, signIn, withLogs } from './session-helpers'

const devnet = clusterFor('devnet')
const NOW = Date.now()
const TOKEN_EXPIRES_AT = NOW + 3_600_000

function getSession(token: string) {
  return SELF.fetch(`${GATEWAY}/_edge/session`, { headers: { ...clientIp(), ...bearer(token) } })
}

/** Revokes through the Durable Object alone, as a logout handled by another isolate does. */
function revokeElsewhere(jti: string) {
  return revocationStore(env, devnet, jti).revoke(jti, TOKEN_EXPIRES_AT)
}

describe('revocation checks', () => {
  it('reject a cached token right after logout', async () => {
    const { body } = await signIn(newWallet())
    const before = await getSession(body.token)
    await postJson('/_edge/siws/logout', '', bearer(body.token))
    const { response, lines } = await withLogs(() => getSession(body.token))
    expect(before.status).toBe(200)
    expect(response.status).toBe(401)
    expect(lines.at(-1)?.reason).toBe('token_revoked')
  })

  it('reuse a "not revoked" result within the window', async () => {
    const jti = crypto.randomUUID()
    await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW)
    await revokeElsewhere(jti)
    const cached = await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW + 1_000)
    expect(cached).toBe(false)
  })

  it("honour another isolate's revocation after the window", async () => {
    const jti = crypto.randomUUID()
    await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW)
    await revokeElsewhere(jti)
    const later = await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW + NOT_REVOKED_TTL_MS)
    expect(later).toBe(true)
  })

  it('honour a revocation in this isolate at once', async () => {
    const jti = crypto.randomUUID()
    await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW)
    await revoke(env, devnet, jti, TOKEN_EXPIRES_AT)
    expect(await isRevoked(env, devnet, jti, TOKEN_EXPIRES_AT, NOW + 1)).toBe(true)
  })

  it('record the revocation in the Durable Object', async () => {
    const jti = crypto.randomUUID()
    await revoke(env, devnet, jti, TOKEN_EXPIRES_AT)
    expect(await revocationStore(env, devnet, jti).isRevoked(jti, NOW)).toBe(true)
  })
})
