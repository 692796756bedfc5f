/**
 * Runs the same sign-in and request through the gateway's fetch handler under a devnet and a
 * mainnet-beta configuration, with the same Durable Objects. The chain id, the RPC endpoint, the
 * limiter key and the token's cluster claim must each follow `SOLANA_CLUSTER`.
 */
import { createExecutionContext, env, runInDurableObject } from 'cloudflare:test'
import bs58 from 'bs58'
import { decode } from 'hono/jwt'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import type { Env } from '../src/env'

const app = createApp()
const CLIENT_IP = '203.0.113.77'

function envFor(cluster: string): Env {
  return { ...env, SOLANA_CLUSTER: cluster }
}

function call(bindings: Env, path: string, init: RequestInit = {}) {
  const headers = { 'cf-connecting-ip': CLIENT_IP, ...init.headers }
  const request = new Request(`http://gateway.test${path}`, { ...init, headers })
  return app.fetch(request, bindings, createExecutionContext())
}

async function signIn(bindings: Env) {
  const keyPair = nacl.sign.keyPair()
  const address = bs58.encode(keyPair.publicKey)
  const json = { 'content-type': 'application/json' }

  const challengeResponse = await call(bindings, '/_edge/siws/challenge', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ address }),
  })
  const challenge = await challengeResponse.json<{ input: { chainId: string }; message: string }>()

  const signature = nacl.sign.detached(
    new TextEncoder().encode(challenge.message),
    keyPair.secretKey,
  )
  const verifyResponse = await call(bindings, '/_edge/siws/verify', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ message: challenge.message, signature: bs58.encode(signature) }),
  })
  const session = await verifyResponse.json<{ token: string }>()
  return { address, chainId: challenge.input.chainId, status: verifyResponse.status, ...session }
}

async function storedState(name: string) {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name))
  return runInDurableObject(stub, (_instance, state) => state.storage.kv.get('tat'))
}

describe.each([
  ['devnet', 'solana:devnet', 'https://api.devnet.solana.com', 'mainnet-beta'],
  ['mainnet-beta', 'solana:mainnet', 'https://api.mainnet-beta.solana.com', 'devnet'],
])('SOLANA_CLUSTER=%s', (cluster, chainId, rpcUrl, otherCluster) => {
  it('signs in with the cluster chain id', async () => {
    const result = await signIn(envFor(cluster))
    expect(result.status).toBe(200)
    expect(result.chainId).toBe(chainId)
  })

  it('mints a token whose cluster claim names the cluster', async () => {
    const { token } = await signIn(envFor(cluster))
    expect(decode(token).payload.cluster).toBe(cluster)
  })

  it('uses the cluster RPC endpoint when none is configured', () => {
    expect(loadConfig(envFor(cluster)).cluster.rpcUrl).toBe(rpcUrl)
  })

  it('keys the limiter by the cluster', async () => {
    const { address, token } = await signIn(envFor(cluster))
    const response = await call(envFor(cluster), '/api/trading/swap', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    expect(await storedState(`${cluster}:swap:wallet:${address}`)).toBeTypeOf('number')
    expect(await storedState(`${otherCluster}:swap:wallet:${address}`)).toBeUndefined()
  })

  it('rejects a token minted for the other cluster', async () => {
    const { token } = await signIn(envFor(otherCluster))
    const response = await call(envFor(cluster), '/api/items', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(401)
  })
})
