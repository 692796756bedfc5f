/**
 * Addresses the NonceStore Durable Object. Every key carries the cluster prefix, so devnet and
 * mainnet-beta never share a challenge or a revocation. A challenge lives in its own object (the
 * nonce is random, which spreads the load); revoked session ids go to one of 16 shards.
 */
import type { Cluster } from '../cluster'
import type { Env } from '../env'
import type { NonceStore } from './nonce-store.do'

const REVOCATION_SHARDS = 16

function namespace(env: Env): DurableObjectNamespace<NonceStore> {
  return env.NONCE_STORE as unknown as DurableObjectNamespace<NonceStore>
}

/** Returns the object that stores the challenge issued with this nonce. */
export function challengeStore(env: Env, cluster: Cluster, nonce: string) {
  const ns = namespace(env)
  return ns.get(ns.idFromName(`${cluster.keyPrefix}:challenge:${nonce}`))
}

/** Returns the shard that records whether this session id is revoked. */
export function revocationStore(env: Env, cluster: Cluster, jti: string) {
  const ns = namespace(env)
  return ns.get(ns.idFromName(`${cluster.keyPrefix}:revoked:${shardOf(jti)}`))
}

function shardOf(jti: string): number {
  let hash = 0
  for (let i = 0; i < jti.length; i++) hash = (hash * 31 + jti.charCodeAt(i)) >>> 0
  return hash % REVOCATION_SHARDS
}
