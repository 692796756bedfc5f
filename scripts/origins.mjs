#!/usr/bin/env node
/**
 * Local stand-ins for the gateway's two origins: the web app and the API. Each answers every
 * request with a JSON echo of what it received (method, path, query, headers, body), plus a few
 * fixed paths that exercise the proxy:
 *
 *   .../stream     server-sent events, one every 100 ms, three in all
 *   .../cookies    sets two cookies
 *   .../redirect   302 to /landing
 *   .../health     {"status":"ok"}
 *   .../gzip       gzip-encoded JSON          .../download?bytes=N   N bytes, streamed
 *   .../upload     length and SHA-256 of the request body
 *   .../slow?ms=N  headers after N ms         .../reset   socket destroyed mid-body
 *   .../payment    402 with payment headers   .../own-headers   CSP, X-Frame-Options, CORS
 *   .../counted?key=K   counts requests       .../hits?key=K    returns that count
 *   .../fixed      the same 512 bytes of JSON for every request
 *   .../ws         WebSocket echo
 *
 * Run alone it serves the web origin on 127.0.0.1:8788 and the API on 127.0.0.1:8789.
 */
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'
import { WebSocketServer } from 'ws'
import {
  countRequest,
  receiveUpload,
  sendDownload,
  sendFixed,
  sendGzip,
  sendHits,
  sendOwnHeaders,
  sendPaymentRequired,
  sendReset,
  sendSlow,
} from './origin-paths.mjs'

const SPECIAL_ROUTES = {
  stream: sendEvents,
  cookies: sendCookies,
  redirect: sendRedirect,
  health: sendHealth,
  gzip: sendGzip,
  download: sendDownload,
  upload: receiveUpload,
  slow: sendSlow,
  reset: sendReset,
  payment: sendPaymentRequired,
  'own-headers': sendOwnHeaders,
  counted: countRequest,
  hits: sendHits,
  fixed: sendFixed,
}

/** Starts one origin on 127.0.0.1; port 0 picks a free port. Resolves to { name, url, close }. */
export function startOrigin(name, port = 0) {
  const server = createServer((request, response) => handle(name, request, response))
  const sockets = acceptWebSockets(name, server)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      resolve({
        name,
        url: `http://127.0.0.1:${address.port}`,
        close: () => closeServer(server, sockets),
        server,
      })
    })
  })
}

function handle(name, request, response) {
  const url = new URL(request.url, 'http://origin.invalid')
  const last = url.pathname.split('/').pop()
  const special = SPECIAL_ROUTES[last]
  if (special) return special(name, request, response, url)

  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    const body = Buffer.concat(chunks)
    const echo = {
      origin: name,
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers: request.headers,
      body: body.toString('utf8'),
      bodyLength: body.length,
    }
    response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
    response.end(JSON.stringify(echo))
  })
}

/** Echoes every WebSocket message on `.../ws`, prefixed with the origin's name. */
function acceptWebSockets(name, server) {
  const sockets = new WebSocketServer({ noServer: true })
  server.on('upgrade', (request, socket, head) => {
    if (!request.url?.split('?')[0]?.endsWith('/ws')) return socket.destroy()
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `${name}: ${data}`))
    })
  })
  return sockets
}

function closeServer(server, sockets) {
  for (const ws of sockets.clients) ws.terminate()
  const closed = new Promise((done) => server.close(() => done()))
  server.closeAllConnections()
  return closed
}

function sendEvents(name, _request, response) {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-origin': name,
  })
  let sent = 0
  const timer = setInterval(() => {
    sent += 1
    response.write(`id: ${sent}\ndata: {"origin":"${name}","event":${sent}}\n\n`)
    if (sent === 3) {
      clearInterval(timer)
      response.end()
    }
  }, 100)
  response.on('close', () => clearInterval(timer))
}

function sendCookies(name, _request, response) {
  response.writeHead(200, {
    'content-type': 'application/json',
    'set-cookie': ['first=1; Path=/; HttpOnly', 'second=2; Path=/; SameSite=Lax'],
    'x-origin': name,
  })
  response.end(JSON.stringify({ origin: name, cookies: 2 }))
}

function sendRedirect(name, _request, response) {
  response.writeHead(302, { location: '/landing', 'x-origin': name })
  response.end()
}

function sendHealth(name, _request, response) {
  response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
  response.end(JSON.stringify({ status: 'ok', origin: name }))
}

async function main() {
  const web = await startOrigin('web', Number(process.env.WEB_PORT ?? 8788))
  const api = await startOrigin('api', Number(process.env.API_PORT ?? 8789))
  console.log(`web origin listening on ${web.url}`)
  console.log(`api origin listening on ${api.url}`)

  const stop = async () => {
    await Promise.all([web.close(), api.close()])
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main()
}
