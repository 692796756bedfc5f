/**
 * A local stand-in for a Solana JSON-RPC endpoint. It replies to every call, single or batch, with
 * `{"node": <name>, "method": <method>}` as the result, and counts the calls each path receives.
 *
 *   POST /down/...   503 whose body repeats the path, as a failing provider may
 *   POST /echo/...   one JSON-RPC answer whose result holds the request body as it arrived
 *   GET  /hits?path=P   number of POSTs that path received
 *   POST anything else  a JSON-RPC 2.0 answer
 */
import { createServer } from 'node:http'

/** Starts one endpoint on 127.0.0.1; port 0 picks a free port. Resolves to { name, url, close }. */
export function startRpcNode(name, port = 0) {
  const hits = new Map()
  const server = createServer((request, response) => handle(name, hits, request, response))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      resolve({
        name,
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          const closed = new Promise((done) => server.close(() => done()))
          server.closeAllConnections()
          return closed
        },
      })
    })
  })
}

function handle(name, hits, request, response) {
  const url = new URL(request.url, 'http://rpc.invalid')
  if (request.method === 'GET' && url.pathname === '/hits') {
    const path = url.searchParams.get('path') ?? '/'
    return sendJson(response, 200, { node: name, path, count: hits.get(path) ?? 0 })
  }

  hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1)
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    if (url.pathname.startsWith('/down')) {
      return sendJson(response, 503, { error: `endpoint ${url.pathname} is down` })
    }
    const text = Buffer.concat(chunks).toString('utf8')
    if (url.pathname.startsWith('/echo')) {
      return sendJson(response, 200, { jsonrpc: '2.0', id: null, result: { received: text } })
    }
    sendJson(response, 200, answer(name, text))
  })
}

function answer(name, text) {
  const body = JSON.parse(text)
  const reply = (call) => ({
    jsonrpc: '2.0',
    id: call.id,
    result: { node: name, method: call.method },
  })
  return Array.isArray(body) ? body.map(reply) : reply(body)
}

function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
