import { describe, expect, inject, it } from 'vitest'
import { callRpc } from './gateway'

const primary = inject('rpcPrimaryUrl')
const backup = inject('rpcBackupUrl')

type RpcReply = { id: number; result?: { node: string; method: string }; error?: { code: number } }

async function hits(node: string, path: string): Promise<number> {
  const response = await fetch(`${node}/hits?path=${encodeURIComponent(path)}`)
  return (await response.json<{ count: number }>()).count
}

const call = (method: string, id = 1) => ({ jsonrpc: '2.0', id, method, params: [] })

describe('POST /_edge/rpc', () => {
  it('forwards an allowed call to the primary', async () => {
    const response = await callRpc(call('getSlot'), { SOLANA_RPC_URL: `${primary}/ok` })
    const reply = await response.json<RpcReply>()
    expect(response.status).toBe(200)
    expect(reply.result).toEqual({ node: 'primary', method: 'getSlot' })
  })

  it('forwards a batch', async () => {
    const body = [call('getSlot', 1), call('getBalance', 2)]
    const response = await callRpc(body, { SOLANA_RPC_URL: `${primary}/ok` })
    const replies = await response.json<RpcReply[]>()
    expect(replies.map((reply) => reply.result?.method)).toEqual(['getSlot', 'getBalance'])
  })

  it('rejects a method outside the allowlist with a JSON-RPC error', async () => {
    const overrides = { SOLANA_RPC_URL: `${primary}/refused`, RPC_ALLOWED_METHODS: 'getSlot' }
    const response = await callRpc(call('requestAirdrop', 7), overrides)
    const reply = await response.json<RpcReply>()
    expect(response.status).toBe(403)
    expect(reply.error?.code).toBe(-32601)
    expect(reply.id).toBe(7)
    expect(await hits(primary, '/refused')).toBe(0)
  })

  it('rejects a batch with one method outside the allowlist', async () => {
    const overrides = { SOLANA_RPC_URL: `${primary}/ok`, RPC_ALLOWED_METHODS: 'getSlot' }
    const response = await callRpc([call('getSlot'), call('requestAirdrop')], overrides)
    expect(response.status).toBe(403)
  })

  it('answers invalid JSON with a parse error', async () => {
    const response = await callRpc('{not json', { SOLANA_RPC_URL: `${primary}/ok` })
    expect(response.status).toBe(400)
    expect((await response.json<RpcReply>()).error?.code).toBe(-32700)
  })

  it('answers a call without a method as an invalid request', async () => {
    const response = await callRpc({ jsonrpc: '2.0', id: 1 }, { SOLANA_RPC_URL: `${primary}/ok` })
    expect(response.status).toBe(400)
    expect((await response.json<RpcReply>()).error?.code).toBe(-32600)
  })

  it('answers an empty batch as an invalid request', async () => {
    const response = await callRpc([], { SOLANA_RPC_URL: `${primary}/ok` })
    expect(response.status).toBe(400)
  })

  it('retries a failed call on the backup', async () => {
    const overrides = { SOLANA_RPC_URL: `${primary}/down/retry`, SOLANA_RPC_BACKUP_URL: backup }
    const reply = await (await callRpc(call('getSlot'), overrides)).json<RpcReply>()
    expect(reply.result?.node).toBe('backup')
  })

  it('moves traffic to the backup once the primary fails too often', async () => {
    const overrides = { SOLANA_RPC_URL: `${primary}/down/breaker`, SOLANA_RPC_BACKUP_URL: backup }
    for (let i = 0; i < 15; i += 1) await (await callRpc(call('getSlot'), overrides)).text()
    // The breaker needs 10 samples; every later call skips the failing primary.
    expect(await hits(primary, '/down/breaker')).toBe(10)
  })

  it('answers 502 without the provider key when every endpoint fails', async () => {
    const key = 'provider-key-1234'
    const overrides = {
      SOLANA_RPC_URL: `${primary}/down/${key}`,
      SOLANA_RPC_BACKUP_URL: `${backup}/down/${key}`,
    }
    const response = await callRpc(call('getSlot'), overrides)
    const text = await response.text()
    expect(response.status).toBe(502)
    expect(text).not.toContain(key)
    expect(JSON.parse(text).error.code).toBe('rpc_unavailable')
  })

  it('keeps RPC answers out of caches', async () => {
    const response = await callRpc(call('getSlot'), { SOLANA_RPC_URL: `${primary}/ok` })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})
