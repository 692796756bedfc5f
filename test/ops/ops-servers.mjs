/**
 * A local server on 127.0.0.1 for the operations tests. It plays two parts:
 *
 *   an origin whose health paths report the states readiness must tell apart:
 *     GET /ok          200 {"status":"ok"}
 *     GET /degraded    200 with a nested "status": "degraded"
 *     GET /failing     503
 *     GET /not-json    200 text/plain
 *
 *   a PagerDuty-style webhook receiver:
 *     POST /alerts              stores the JSON event; 202 like the Events API v2
 *     POST /alerts/fail?count=N makes the next N events fail with 500
 *     GET  /alerts/received     every stored event, oldest first
 */
import { createServer } from 'node:http'

const HEALTH = {
  '/ok': { status: 200, body: { status: 'ok' } },
  '/degraded': { status: 200, body: { status: 'ok', checks: { db: { status: 'degraded' } } } },
  '/failing': { status: 503, body: { status: 'down' } },
}

export function startOpsServer() {
  const state = { received: [], failures: 0 }
  const server = createServer((request, response) => route(state, request, response))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const close = () => {
        const closed = new Promise((done) => server.close(() => done()))
        server.closeAllConnections()
        return closed
      }
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close })
    })
  })
}

function route(state, request, response) {
  const url = new URL(request.url, 'http://ops.invalid')
  const health = HEALTH[url.pathname]
  if (request.method === 'GET' && health) return reply(response, health.status, health.body)
  if (request.method === 'GET' && url.pathname === '/not-json') {
    response.writeHead(200, { 'content-type': 'text/plain' })
    return response.end('OK')
  }
  if (request.method === 'GET' && url.pathname === '/alerts/received') {
    return reply(response, 200, state.received)
  }
  if (request.method === 'POST' && url.pathname === '/alerts/fail') {
    state.failures = Number(url.searchParams.get('count') ?? 1)
    return reply(response, 200, { failures: state.failures })
  }
  if (request.method === 'POST' && url.pathname === '/alerts')
    return receive(state, request, response)
  reply(response, 404, { error: 'not found' })
}

function receive(state, request, response) {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    if (state.failures > 0) {
      state.failures -= 1
      return reply(response, 500, { status: 'error' })
    }

    let event
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return reply(response, 400, { status: 'invalid event', message: 'body is not JSON' })
    }
    state.received.push(event)
    reply(response, 202, { status: 'success', dedup_key: event.dedup_key })
  })
}

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
