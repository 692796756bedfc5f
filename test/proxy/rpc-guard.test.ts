/**
 * The cross-site rules on `POST /_edge/rpc`: a JSON content type, and an accepted origin, so that
 * no other site's page can spend the RPC provider's quota from its visitors' browsers.
 */
import { describe, expect, inject, it } from 'vitest'
import { uniqueIp } from '../limits/helpers'
import { callGateway } from './gateway'

const GATEWAY = 'https://gateway.test'
const LISTED = 'https://app.example'
const FOREIGN = 'https://attacker.example'
const primary = inject('rpcPrimaryUrl')

const CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSlot' })
const json = { 'content-type': 'application/json' }

/** Posts a getSlot call from a fresh client address, so no test spends another's rate limit. */
async function postRpc(headers: Record<string, string>, path = '/ok') {
  const init = {
    method: 'POST',
    body: CALL,
    headers: { 'cf-connecting-ip': uniqueIp(), ...headers },
  }
  const overrides = { SOLANA_RPC_URL: `${primary}${path}`, CORS_ALLOWED_ORIGINS: LISTED }
  return callGateway('/_edge/rpc', init, overrides)
}

async function hits(path: string): Promise<number> {
  const response = await fetch(`${primary}/hits?path=${encodeURIComponent(path)}`)
  return (await response.json<{ count: number }>()).count
}

async function errorCode(response: Response): Promise<string> {
  return (await response.json<{ error: { code: string } }>()).error.code
}

describe('POST /_edge/rpc from a cross-site page', () => {
  it('rejects a text/plain body with 415', async () => {
    const response = await postRpc({ 'content-type': 'text/plain', origin: FOREIGN })
    expect(response.status).toBe(415)
  })

  it('answers a text/plain body with unsupported_media_type', async () => {
    const response = await postRpc({ 'content-type': 'text/plain' })
    expect(await errorCode(response)).toBe('unsupported_media_type')
  })

  it('sends nothing to the endpoint for a text/plain body', async () => {
    const response = await postRpc({ 'content-type': 'text/plain' }, '/ok/plain')
    await response.arrayBuffer()
    expect(await hits('/ok/plain')).toBe(0)
  })

  it('rejects a JSON body from a foreign origin with 403', async () => {
    const response = await postRpc({ ...json, origin: FOREIGN })
    expect(response.status).toBe(403)
  })

  it('answers a foreign origin with forbidden_origin', async () => {
    const response = await postRpc({ ...json, origin: FOREIGN })
    expect(await errorCode(response)).toBe('forbidden_origin')
  })

  it('sends nothing to the endpoint for a foreign origin', async () => {
    const response = await postRpc({ ...json, origin: FOREIGN }, '/ok/foreign')
    await response.arrayBuffer()
    expect(await hits('/ok/foreign')).toBe(0)
  })

  it('rejects Sec-Fetch-Site cross-site with 403', async () => {
    const response = await postRpc({ ...json, 'sec-fetch-site': 'cross-site' })
    expect(response.status).toBe(403)
  })

  it('rejects Sec-Fetch-Site cross-site with its own origin', async () => {
    const response = await postRpc({ ...json, origin: GATEWAY, 'sec-fetch-site': 'cross-site' })
    expect(response.status).toBe(403)
  })
})

describe('POST /_edge/rpc from an accepted caller', () => {
  it('accepts a JSON body without Origin', async () => {
    const response = await postRpc(json)
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })

  it('accepts a JSON body from its own origin', async () => {
    const response = await postRpc({ ...json, origin: GATEWAY, 'sec-fetch-site': 'same-origin' })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })

  it('accepts a JSON body with parameters on the media type', async () => {
    const response = await postRpc({ 'content-type': 'Application/JSON; charset=utf-8' })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })

  it('accepts Sec-Fetch-Site cross-site from a listed origin', async () => {
    const response = await postRpc({ ...json, origin: LISTED, 'sec-fetch-site': 'cross-site' })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  })
})
