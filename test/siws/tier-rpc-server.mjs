/**
 * A local stand-in for a Solana JSON-RPC node that serves `getTokenAccountsByOwner` in the
 * jsonParsed shape a real node returns. Tests register token accounts per owner with
 * `POST /accounts {owner, accounts: [{amount, decimals}]}` or make an owner fail with
 * `{owner, fail: "http" | "rpc"}`. Listens on 127.0.0.1 only.
 */
import { createServer } from 'node:http'

export function startTierRpc() {
  const owners = new Map()
  const server = createServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
      if (request.url === '/accounts') {
        owners.set(body.owner, body)
        return send(response, 200, { ok: true })
      }
      return answer(owners, body, response)
    })
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}

function answer(owners, body, response) {
  if (body.method !== 'getTokenAccountsByOwner') {
    return send(response, 200, rpcError(body.id, -32601, 'Method not found'))
  }

  const [owner, filter, options] = body.params ?? []
  const entry = owners.get(owner) ?? { accounts: [] }
  if (entry.fail === 'http') return send(response, 503, { error: 'unavailable' })
  if (entry.fail === 'rpc') return send(response, 200, rpcError(body.id, -32005, 'Node is behind'))
  if (options?.encoding !== 'jsonParsed') {
    return send(response, 200, rpcError(body.id, -32602, 'jsonParsed expected'))
  }

  const value = entry.accounts.map((account, index) =>
    tokenAccount(owner, filter.mint, account, index),
  )
  return send(response, 200, {
    jsonrpc: '2.0',
    id: body.id,
    result: { context: { slot: 1 }, value },
  })
}

function tokenAccount(owner, mint, { amount, decimals }, index) {
  const uiAmount = Number(amount) / 10 ** decimals
  return {
    pubkey: `${owner.slice(0, 30)}${index}`,
    account: {
      data: {
        program: 'spl-token',
        parsed: {
          type: 'account',
          info: {
            mint,
            owner,
            state: 'initialized',
            isNative: false,
            tokenAmount: { amount, decimals, uiAmount, uiAmountString: String(uiAmount) },
          },
        },
        space: 165,
      },
      executable: false,
      lamports: 2039280,
      owner: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      rentEpoch: 0,
    },
  }
}

function rpcError(id, code, message) {
  return { jsonrpc: '2.0', id, error: { code, message } }
}

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
