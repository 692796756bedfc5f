/**
 * Sign-In With Solana from Node.js for the benchmark: a fresh ed25519 key per wallet, the
 * gateway's challenge, a signature over its exact text and the verify call.
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import bs58 from 'bs58'

/** Creates a wallet: its base58 address and a function that signs bytes. */
export function createWallet() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url')
  return {
    address: bs58.encode(raw),
    sign: (bytes) => bs58.encode(sign(null, bytes, privateKey)),
  }
}

async function postJson(url, body, headers) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${url} returned ${response.status}: ${await response.text()}`)
  return response.json()
}

/** Signs `wallet` in at the gateway; resolves to the session token. */
export async function signIn(gatewayUrl, wallet, headers = {}) {
  const challenge = await postJson(
    `${gatewayUrl}/_edge/siws/challenge`,
    { address: wallet.address },
    headers,
  )
  const signature = wallet.sign(Buffer.from(challenge.message, 'utf8'))
  const session = await postJson(
    `${gatewayUrl}/_edge/siws/verify`,
    { message: challenge.message, signature, publicKey: wallet.address },
    headers,
  )
  return session.token
}

/** Runs complete sign-ins with `concurrency` clients for `seconds`; resolves to sign-ins/s. */
export async function measureSignIns(gatewayUrl, { seconds, concurrency }) {
  const deadline = Date.now() + seconds * 1000
  const started = Date.now()
  let completed = 0

  const client = async (index) => {
    const headers = { 'cf-connecting-ip': `198.51.100.${100 + index}` }
    while (Date.now() < deadline) {
      await signIn(gatewayUrl, createWallet(), headers)
      completed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, index) => client(index)))
  return completed / ((Date.now() - started) / 1000)
}
