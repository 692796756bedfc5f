/**
 * Fixed paths of the local origins that exercise the proxy's streaming, failure and header
 * handling. Each handler takes (name, request, response, url). Only the local loop and the tests
 * use these; no real origin has them.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'

const hits = new Map()

/** Gzip-compressed JSON with its compressed Content-Length, as a CDN-fronted origin sends it. */
export function sendGzip(name, _request, response) {
  const body = gzipSync(
    JSON.stringify({ origin: name, compressed: true, filler: 'x'.repeat(2000) }),
  )
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
    'content-length': String(body.length),
    'x-origin': name,
  })
  response.end(body)
}

/** `?bytes=N`: streams N bytes of a repeating pattern in 64 KiB chunks. */
export function sendDownload(name, _request, response, url) {
  const total = Number(url.searchParams.get('bytes') ?? 1024)
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(total),
    'x-origin': name,
  })
  const chunk = Buffer.alloc(64 * 1024, 'gateway-')
  let sent = 0
  const writeMore = () => {
    while (sent < total) {
      const piece = chunk.subarray(0, Math.min(chunk.length, total - sent))
      sent += piece.length
      if (!response.write(piece)) return response.once('drain', writeMore)
    }
    response.end()
  }
  writeMore()
}

/** Consumes the request body and returns its length and SHA-256, not the body itself. */
export function receiveUpload(name, request, response) {
  const hash = createHash('sha256')
  let bytes = 0
  request.on('data', (chunk) => {
    bytes += chunk.length
    hash.update(chunk)
  })
  request.on('end', () => {
    const headers = request.headers
    response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
    response.end(JSON.stringify({ origin: name, bytes, sha256: hash.digest('hex'), headers }))
  })
}

/** `?ms=N`: waits N milliseconds before sending the response headers. */
export function sendSlow(name, _request, response, url) {
  const delay = Number(url.searchParams.get('ms') ?? 1000)
  const timer = setTimeout(() => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
    response.end(JSON.stringify({ origin: name, delayedMs: delay }))
  }, delay)
  response.on('close', () => clearTimeout(timer))
}

/** Sends the headers and a first chunk, then destroys the socket without ending the body. */
export function sendReset(name, _request, response) {
  response.writeHead(200, { 'content-type': 'text/plain', 'x-origin': name })
  response.write('first chunk\n')
  setTimeout(() => response.socket?.destroy(), 50)
}

/** 512 bytes of JSON, the same for every request. */
const FIXED_BODY = JSON.stringify({ items: 'x'.repeat(500) })

/**
 * Sends the same small JSON response to every request, whatever it carried. The benchmark uses
 * it so that the bare Worker and the gateway get identical responses. The echo grows with the
 * headers the gateway adds, which would charge the gateway for a larger response body.
 */
export function sendFixed(name, _request, response) {
  response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
  response.end(FIXED_BODY)
}

/** A 402 with the payment headers an x402-style API sends. */
export function sendPaymentRequired(name, _request, response) {
  response.writeHead(402, {
    'content-type': 'application/json',
    'payment-required': 'eyJhY2NlcHRzIjpbXX0=',
    'x-payment-response': 'eyJzdWNjZXNzIjpmYWxzZX0=',
    'x-origin': name,
  })
  response.end(JSON.stringify({ x402Version: 1, error: 'payment required', accepts: [] }))
}

/**
 * Response headers a Next.js app sets itself, plus hop-by-hop ones the proxy must drop and
 * rate-limit headers of the origin's own, which the client must never take for the gateway's.
 */
export function sendOwnHeaders(name, _request, response) {
  response.writeHead(200, {
    'content-type': 'text/html',
    'content-security-policy': "default-src 'self'",
    'x-frame-options': 'DENY',
    'access-control-allow-origin': '*',
    'keep-alive': 'timeout=5',
    'ratelimit-limit': '997',
    'ratelimit-remaining': '998',
    'x-ratelimit-remaining': '999',
    'x-ratelimit-used': '5',
    'x-powered-by': 'Next.js',
    'x-origin': name,
  })
  response.end('<!doctype html><title>page</title>')
}

/**
 * `?key=K`: counts each complete request per origin and key, then returns the count. A request
 * whose body is cut off never ends, so it is not counted.
 */
export function countRequest(name, request, response, url) {
  const key = url.searchParams.get('key') ?? ''
  request.resume()
  request.on('end', () => {
    const count = (hits.get(`${name}:${key}`) ?? 0) + 1
    hits.set(`${name}:${key}`, count)
    response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
    response.end(JSON.stringify({ origin: name, key, count }))
  })
}

/** `?key=K`: returns how many requests the counted path has seen for K, without counting. */
export function sendHits(name, _request, response, url) {
  const key = url.searchParams.get('key') ?? ''
  response.writeHead(200, { 'content-type': 'application/json', 'x-origin': name })
  response.end(JSON.stringify({ origin: name, key, count: hits.get(`${name}:${key}`) ?? 0 }))
}
