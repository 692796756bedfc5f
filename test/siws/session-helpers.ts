/** Test helpers: wallets, requests against the gateway, and a full sign-in. */
import { SELF } from 'cloudflare:test'
import bs58 from 'bs58'
import nacl from 'tweetnacl'
import { vi } from 'vitest'

export const GATEWAY = 'http://gateway.test'

export interface Wallet {
  keyPair: nacl.SignKeyPair
  address: string
}

export interface Challenge {
  input: Record<string, unknown> & { nonce: string }
  message: string
}

export function newWallet(): Wallet {
  const keyPair = nacl.sign.keyPair()
  return { keyPair, address: bs58.encode(keyPair.publicKey) }
}

export function sign(wallet: Wallet, message: string | Uint8Array): string {
  const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : message
  return bs58.encode(nacl.sign.detached(bytes, wallet.keyPair.secretKey))
}

/**
 * Returns a random client IP header, so the per-IP sign-in rate limit never rejects a test's
 * requests because other tests ran before it.
 */
export function clientIp(): Record<string, string> {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3))
  return { 'cf-connecting-ip': `10.${a}.${b}.${c}` }
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...clientIp(), ...headers },
    body: typeof body === 'string' || body instanceof ReadableStream ? body : JSON.stringify(body),
  })
}

export async function challengeFor(wallet: Wallet): Promise<Challenge> {
  const response = await postJson('/_edge/siws/challenge', { address: wallet.address })
  if (response.status !== 200) throw new Error(`challenge failed: ${response.status}`)
  return response.json<Challenge>()
}

/** Signs in through challenge and verify and returns the verify response and its body. */
export async function signIn(wallet: Wallet) {
  const challenge = await challengeFor(wallet)
  const response = await postJson('/_edge/siws/verify', {
    message: challenge.message,
    signature: sign(wallet, challenge.message),
  })
  const body = await response.json<{
    token: string
    address: string
    tier: string
    expiresAt: string
  }>()
  return { response, body }
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

export async function errorCode(response: Response): Promise<string> {
  const body = await response.json<{ error: { code: string } }>()
  return body.error.code
}

export interface LogLine {
  route: string
  status: number
  reason?: string
  tier?: string
}

/** Runs a request while capturing the access log lines it writes. */
export async function withLogs(run: () => Promise<Response>) {
  const spy = vi.spyOn(console, 'log')
  try {
    const response = await run()
    const raw = spy.mock.calls.map((call) => String(call[0]))
    const lines = raw
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
    return { response, lines, raw: raw.join('\n') }
  } finally {
    spy.mockRestore()
  }
}

/** Returns the reason on the one access log line the request wrote. */
export async function reasonOf(run: () => Promise<Response>): Promise<string | undefined> {
  const { lines } = await withLogs(run)
  return lines.at(-1)?.reason
}
