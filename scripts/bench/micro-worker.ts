/**
 * Micro-benchmark Worker, built only for `npm run bench`: runs signature verifications and
 * limiter decisions in a loop inside workerd. Time inside a Worker only advances across I/O, so
 * the benchmark times each loop from outside, as the wall time of its HTTP request.
 */
import nacl from 'tweetnacl'
import type { RateLimiter } from '../../src/limits/rate-limiter.do'
import { verifyEd25519 } from '../../src/siws/ed25519'

export { RateLimiter } from '../../src/limits/rate-limiter.do'

interface MicroEnv {
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>
}

// A fixed seed: a Worker may not generate random values at global scope.
const keyPair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7))
const message = new TextEncoder().encode('bench wants you to sign in with your Solana account')
const signature = nacl.sign.detached(message, keyPair.secretKey)

async function verifyLoop(implementation: string, count: number): Promise<number> {
  let valid = 0
  for (let index = 0; index < count; index++) {
    if (implementation === 'tweetnacl') {
      if (nacl.sign.detached.verify(message, signature, keyPair.publicKey)) valid++
    } else if ((await verifyEd25519(keyPair.publicKey, message, signature)).ok) {
      valid++
    }
  }
  return valid
}

async function limiterLoop(env: MicroEnv, count: number, concurrency: number): Promise<number> {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('bench:hot-key'))
  const rate = { limit: 1_000_000_000, windowMs: 60_000, burst: 1_000_000_000 }
  let allowed = 0
  let next = 0

  const worker = async () => {
    while (next < count) {
      next++
      if ((await stub.take({ rate, cost: 1 })).success) allowed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return allowed
}

export default {
  async fetch(request: Request, env: MicroEnv): Promise<Response> {
    const url = new URL(request.url)
    const count = Number(url.searchParams.get('count') ?? '0')

    if (url.pathname === '/verify') {
      const implementation = url.searchParams.get('impl') ?? 'webcrypto'
      return Response.json({ valid: await verifyLoop(implementation, count) })
    }
    if (url.pathname === '/limiter') {
      const concurrency = Number(url.searchParams.get('concurrency') ?? '1')
      return Response.json({ allowed: await limiterLoop(env, count, concurrency) })
    }
    return new Response('not found', { status: 404 })
  },
}
