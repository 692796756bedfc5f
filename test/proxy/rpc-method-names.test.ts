/** A rejected JSON-RPC method name is cut to a maximum length in the error response and the log. */
import { describe, expect, inject, it } from 'vitest'
import { MAX_QUOTED_METHOD_LENGTH, quoteMethod } from '../../src/proxy/json-rpc'
import { uniqueIp } from '../limits/helpers'
import { withLogs } from '../siws/session-helpers'
import { callGateway, callRpc } from './gateway'

const primary = inject('rpcPrimaryUrl')
const HUGE = 'a'.repeat(500_000)

type Reply = { error?: { code: number; message: string } }

function callOf(method: string) {
  return { jsonrpc: '2.0', id: 1, method }
}

async function rejectionMessage(body: unknown): Promise<string> {
  const response = await callRpc(body, { SOLANA_RPC_URL: `${primary}/ok` })
  return (await response.json<Reply>()).error!.message
}

describe('quoteMethod', () => {
  it('keeps a name at the limit whole', () => {
    const name = 'm'.repeat(MAX_QUOTED_METHOD_LENGTH)
    expect(quoteMethod(name)).toBe(name)
  })

  it('cuts a longer name at the limit and marks the cut', () => {
    const name = 'm'.repeat(MAX_QUOTED_METHOD_LENGTH + 1)
    expect(quoteMethod(name)).toBe(`${'m'.repeat(MAX_QUOTED_METHOD_LENGTH)}…`)
  })

  it('drops a high surrogate the cut would leave alone', () => {
    const name = `${'m'.repeat(MAX_QUOTED_METHOD_LENGTH - 1)}😀😀`
    expect(quoteMethod(name)).toBe(`${'m'.repeat(MAX_QUOTED_METHOD_LENGTH - 1)}…`)
  })
})

describe('a refused method name of 500,000 characters', () => {
  it('is cut short in the JSON-RPC error message', async () => {
    const message = await rejectionMessage(callOf(HUGE))
    expect(message.length).toBeLessThan(200)
  })

  it('still names the start of the method in the message', async () => {
    const message = await rejectionMessage(callOf(HUGE))
    expect(message).toContain(`${'a'.repeat(MAX_QUOTED_METHOD_LENGTH)}…`)
  })

  it('is cut short for every call of a batch', async () => {
    const batch = [callOf(HUGE), callOf(`b${HUGE}`)]
    const message = await rejectionMessage(batch)
    expect(message.length).toBeLessThan(300)
  })

  it('is cut short in the access log line', async () => {
    const init = {
      method: 'POST',
      body: JSON.stringify(callOf(HUGE)),
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
    }
    const overrides = { SOLANA_RPC_URL: `${primary}/ok` }
    const { lines } = await withLogs(async () => callGateway('/_edge/rpc', init, overrides))
    expect(lines.map((line) => line.reason?.length ?? 0).every((n) => n < 200)).toBe(true)
  })
})
