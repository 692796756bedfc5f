/**
 * Runs a session through the gateway that carries every kind of credential, and checks that no
 * log line contains any of them and that each request wrote one well-formed JSON line.
 */
import { SELF } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import {
  GATEWAY,
  bearer,
  challengeFor,
  clientIp,
  newWallet,
  postJson,
  sign,
} from '../siws/session-helpers'

const PAYMENT_SIGNATURE = 'payment-signature-5Kd3NBUAdUnhyzenEwVLy9pBKxSRbd3pN9S2NMJ'
const X_PAYMENT = 'eyJ4NDAyVmVyc2lvbiI6MSwic2NoZW1lIjoiZXhhY3QiLCJwYXlsb2FkIjoic2VjcmV0In0'
const BASIC = 'Basic dXNlcjpwYXNzd29yZC1mb3ItbG9nLWNoZWNr'

interface Line {
  request_id?: unknown
  route?: unknown
  status?: unknown
  duration_ms?: unknown
}

function get(path: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${GATEWAY}${path}`, { headers: { ...clientIp(), ...headers } })
}

/** Signs in and uses the session every way a client can send it; returns the values sent. */
async function runSession(): Promise<{ secrets: string[]; requests: number }> {
  const wallet = newWallet()
  const challenge = await challengeFor(wallet)
  const signature = sign(wallet, challenge.message)
  const verify = await postJson('/_edge/siws/verify', { message: challenge.message, signature })
  const { token } = await verify.json<{ token: string }>()

  const responses = [
    await get('/api/items', bearer(token)),
    await get('/api/items', { cookie: `edge_session=${token}` }),
    await get(`/api/stream?token=${token}`),
    await get(`/api/items?token=${token}&signature=${signature}`),
    await get('/api/items', { authorization: BASIC }),
    await get('/api/items', bearer(`${token}x`)),
    await get('/api/pay', { 'payment-signature': PAYMENT_SIGNATURE, 'x-payment': X_PAYMENT }),
  ]
  await Promise.all(responses.map((response) => response.body?.cancel()))

  const secrets = [token, signature, challenge.input.nonce, PAYMENT_SIGNATURE, X_PAYMENT, BASIC]
  return { secrets, requests: responses.length + 2 }
}

describe('log hygiene', () => {
  let logSpy: MockInstance
  let errorSpy: MockInstance

  beforeEach(() => {
    logSpy = vi.spyOn(console, 'log')
    errorSpy = vi.spyOn(console, 'error')
  })

  afterEach(() => {
    logSpy.mockRestore()
    errorSpy.mockRestore()
  })

  function lines(): string[] {
    return [...logSpy.mock.calls, ...errorSpy.mock.calls].map((call) => call.map(String).join(' '))
  }

  it('keeps every credential out of the log', async () => {
    const { secrets } = await runSession()
    const text = lines().join('\n')
    for (const secret of secrets) expect(text).not.toContain(secret)
  })

  it('keeps the token out of the log even in part', async () => {
    const { secrets } = await runSession()
    const [, payload, mac] = (secrets[0] ?? '').split('.')
    const text = lines().join('\n')
    expect(text).not.toContain(payload)
    expect(text).not.toContain(mac)
  })

  it('writes one line per request', async () => {
    const { requests } = await runSession()
    expect(lines()).toHaveLength(requests)
  })

  it('writes each line as one JSON object with the request fields', async () => {
    await runSession()
    for (const raw of lines()) {
      const line = JSON.parse(raw) as Line
      expect(typeof line.request_id).toBe('string')
      expect(typeof line.route).toBe('string')
      expect(typeof line.status).toBe('number')
      expect(typeof line.duration_ms).toBe('number')
    }
  })

  it('logs the route without its query string', async () => {
    await runSession()
    const routes = lines().map((raw) => (JSON.parse(raw) as Line).route)
    expect(routes).toContain('/api/stream')
  })
})
