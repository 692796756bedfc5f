/**
 * Addresses the NonceStore Durable Object. Every key carries the cluster prefix, so devnet and
 * mainnet-beta never share a challenge or a revocation. Challenges go to one of 32 shards by
 * nonce and revoked session ids to one of 16 by `jti`. A fixed set of shards rather than an object
 * per nonce keeps sign-in from creating a new object, with its own SQLite database, every time.
 * Checks of a session id go through this isolate's RevocationCache first.
 */
import type { Cluster } from '../cluster'
import type { Env } from '../env'
import { RevocationCache } from './revocation-cache'

const CHALLENGE_SHARDS = 32
const REVOCATION_SHARDS = 16

/** This isolate's recent revocation results. See revocation-cache.ts for how long each is trusted. */
export const revocationCache = new RevocationCache()

/** Returns the object that stores the challenge issued with this nonce. */
export function challengeStore(env: Env, cluster: Cluster, nonce: string) {
  const name = `${cluster.keyPrefix}:challenge:${shardOf(nonce, CHALLENGE_SHARDS)}`
  return env.NONCE_STORE.get(env.NONCE_STORE.idFromName(name))
}

/** Returns the shard that records whether this session id is revoked. */
export function revocationStore(env: Env, cluster: Cluster, jti: string) {
  const name = `${cluster.keyPrefix}:revoked:${shardOf(jti, REVOCATION_SHARDS)}`
  return env.NONCE_STORE.get(env.NONCE_STORE.idFromName(name))
}

/**
 * True when the session id is revoked. Calls the Durable Object only when this isolate has no
 * result it may reuse. `tokenExpiresAt` and `now` are in ms since the epoch.
 */
export async function isRevoked(
  env: Env,
  cluster: Cluster,
  jti: string,
  tokenExpiresAt: number,
  now: number,
): Promise<boolean> {
  const cached = revocationCache.lookup(jti, now)
  if (cached !== undefined) return cached

  const revoked = await revocationStore(env, cluster, jti).isRevoked(jti, now)
  revocationCache.rememberAnswer(jti, revoked, tokenExpiresAt, now)
  return revoked
}

/** Revokes the session id until its token expires, in this isolate at once and in the object. */
export async function revoke(
  env: Env,
  cluster: Cluster,
  jti: string,
  tokenExpiresAt: number,
): Promise<void> {
  revocationCache.rememberRevoked(jti, tokenExpiresAt)
  await revocationStore(env, cluster, jti).revoke(jti, tokenExpiresAt)
}

function shardOf(key: string, shards: number): number {
  let hash = 0
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0
  return hash % shards
}
