import { describe, expect, inject, it } from 'vitest'
import { MAX_DEPTH } from '../../src/proxy/json-rpc'
import { callRpc } from './gateway'

const primary = inject('rpcPrimaryUrl')

type Received = { result?: { received: string }; error?: { code: number }; id?: unknown }

async function hits(path: string): Promise<number> {
  const response = await fetch(`${primary}/hits?path=${encodeURIComponent(path)}`)
  return (await response.json<{ count: number }>()).count
}

/** Sends `text` to the endpoint stand-in that answers with the body it received. */
async function send(text: string, path = '/echo') {
  const response = await callRpc(text, { SOLANA_RPC_URL: `${primary}${path}` })
  return { status: response.status, reply: await response.json<Received>() }
}

const DUPLICATE =
  '{"jsonrpc":"2.0","id":1,"method":"requestAirdrop","method":"getBalance","params":["x",5]}'

describe('the body the RPC proxy forwards', () => {
  it('forwards a duplicate-key call as the checked method only', async () => {
    const { reply } = await send(DUPLICATE)
    const received = reply.result!.received
    expect(JSON.parse(received).method).toBe('getBalance')
    expect(received).not.toContain('requestAirdrop')
  })

  it('forwards a batch with a duplicate-key call as the checked methods only', async () => {
    const { reply } = await send(`[{"jsonrpc":"2.0","id":0,"method":"getSlot"},${DUPLICATE}]`)
    const received = reply.result!.received
    expect(JSON.parse(received)[1].method).toBe('getBalance')
    expect(received).not.toContain('requestAirdrop')
  })

  it('refuses a duplicate-key call whose last method is outside the allowlist', async () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"getBalance","method":"requestAirdrop"}'
    expect((await send(text, '/echo/refused-duplicate')).status).toBe(403)
    expect(await hits('/echo/refused-duplicate')).toBe(0)
  })

  it('forwards the largest safe integer unchanged', async () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[9007199254740991]}'
    const { reply } = await send(text)
    expect(reply.result!.received).toContain('[9007199254740991]')
  })

  it('refuses an integer beyond 2^53 - 1 in the params', async () => {
    const params = '["x",{"minContextSlot":9007199254740993}]'
    const text = `{"jsonrpc":"2.0","id":4,"method":"getBalance","params":${params}}`
    const { status, reply } = await send(text, '/echo/unsafe-params')
    expect(status).toBe(400)
    expect(reply.error?.code).toBe(-32600)
    expect(reply.id).toBe(4)
    expect(await hits('/echo/unsafe-params')).toBe(0)
  })

  it('refuses a negative integer beyond -(2^53 - 1)', async () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[-9007199254740993]}'
    expect((await send(text)).status).toBe(400)
  })

  it('refuses an unsafe integer id and answers with a null id', async () => {
    const text = '{"jsonrpc":"2.0","id":18446744073709551615,"method":"getSlot"}'
    const { status, reply } = await send(text)
    expect(status).toBe(400)
    expect(reply.id).toBeNull()
  })

  it('refuses an unsafe integer inside one call of a batch', async () => {
    const text = '[{"jsonrpc":"2.0","id":1,"method":"getSlot","params":[{"x":[1e300]}]}]'
    expect((await send(text)).status).toBe(400)
  })

  it('rejects a number past the double range', async () => {
    const params = '["x",{"minContextSlot":1e400}]'
    const text = `{"jsonrpc":"2.0","id":5,"method":"getBalance","params":${params}}`
    const { status, reply } = await send(text, '/echo/non-finite')
    expect(status).toBe(400)
    expect(reply.error?.code).toBe(-32600)
    expect(reply.id).toBe(5)
    expect(await hits('/echo/non-finite')).toBe(0)
  })

  it('rejects a negative number past the double range', async () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[-1e400]}'
    expect((await send(text)).status).toBe(400)
  })

  it('rejects an id past the double range with a null id', async () => {
    const text = '{"jsonrpc":"2.0","id":1e400,"method":"getSlot"}'
    const { status, reply } = await send(text)
    expect(status).toBe(400)
    expect(reply.id).toBeNull()
  })

  it('forwards a fractional number unchanged', async () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[0.5]}'
    const { reply } = await send(text)
    expect(reply.result!.received).toContain('[0.5]')
  })

  it('accepts nesting at the depth limit', async () => {
    const params = `${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}`
    const text = `{"jsonrpc":"2.0","id":1,"method":"getSlot","params":${params}}`
    expect((await send(text)).status).toBe(200)
  })

  it('answers nesting past the depth limit with a JSON-RPC error, not a 500', async () => {
    const params = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const text = `{"jsonrpc":"2.0","id":1,"method":"getSlot","params":${params}}`
    const { status, reply } = await send(text)
    expect(status).toBe(400)
    expect(reply.error?.code).toBe(-32600)
  })
})
