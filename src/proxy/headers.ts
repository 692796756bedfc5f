/**
 * Header rules between the client and an origin. Pure functions over Headers: no I/O, no clock.
 */
import { headerRecord, type HeaderList, type HeaderRecord } from '../response-headers'

/** RFC 9110 section 7.6.1 connection-specific fields, plus the obsolete Proxy-Connection. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'trailer',
]

/** Prefix of the headers only the gateway may send to an origin. */
export const EDGE_HEADER_PREFIX = 'x-edge-'

/** Client headers replaced by the gateway's own values (RFC 7239 `Forwarded` included). */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']

/**
 * Other headers that name a client address, which origins and their frameworks may read as the
 * caller's IP. Any client can send them, so they are removed, and `X-Real-IP` is set again from
 * CF-Connecting-IP. CF-Connecting-IP itself stays, because Cloudflare sets it and overwrites what a
 * client sent.
 */
const CLIENT_IP_HEADERS = [
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'client-ip',
  'x-original-forwarded-for',
  'fastly-client-ip',
  'cf-connecting-ipv6',
]

/**
 * Other client-sent headers that proxies, servers and frameworks read as routing facts: the
 * client's address, the host, port, scheme or path the request first had, or the proxies it
 * passed. An origin behind the gateway could route, build links or check access on any of them,
 * so a client never chooses them. `Via` goes too: the proxies a client names are not the ones the
 * request passed.
 */
const CLIENT_ROUTING_HEADERS = [
  'x-originating-ip',
  'x-remote-ip',
  'x-remote-addr',
  'x-host',
  'x-forwarded-server',
  'x-forwarded-port',
  'x-forwarded-scheme',
  'x-forwarded-prefix',
  'x-forwarded-ssl',
  'x-url-scheme',
  'x-original-url',
  'x-rewrite-url',
  'front-end-https',
  'via',
]

/**
 * Headers that make frameworks run another method than the request line's. The rate-limit policy
 * was chosen from the real method, so an origin must see that method alone.
 */
const METHOD_OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override']

/**
 * The gateway sends a body without waiting for an interim response, so a client's expectation
 * (RFC 9110 section 10.1.1) needs nothing from the origin. Forwarded, `Expect: 100-continue`
 * makes the origin send `100 Continue`, which fetch returns as though it were the response.
 */
const EXPECTATION_HEADERS = ['expect']

/** Every client header removed before a request goes to an origin. */
const REMOVED_HEADERS = [
  // The origin gets its own Host from the URL the gateway fetches.
  'host',
  ...FORWARDING_HEADERS,
  ...CLIENT_IP_HEADERS,
  ...CLIENT_ROUTING_HEADERS,
  ...METHOD_OVERRIDE_HEADERS,
  ...EXPECTATION_HEADERS,
]

export interface ForwardingFacts {
  /** The client address Cloudflare saw (`CF-Connecting-IP`), if any. */
  clientIp: string | null
  /** Scheme and host of the URL the client requested from the gateway. */
  proto: 'http' | 'https'
  host: string
  requestId: string
  /** Identity headers for a signed-in caller, already computed. */
  identity: HeaderList
}

/** Returns true for a WebSocket handshake (RFC 6455 section 4.1). */
export function isWebSocketUpgrade(headers: Headers): boolean {
  return headers.get('upgrade')?.toLowerCase() === 'websocket'
}

const NOT_FORWARDED = new Set([...HOP_BY_HOP, ...REMOVED_HEADERS])
const HOP_BY_HOP_NAMES = new Set(HOP_BY_HOP)

/**
 * Builds the headers sent to an origin from the client's request headers. One pass over the few
 * headers the client sent copies those to keep into a record, which fetch converts in one call.
 * Deleting each of the forty names above from a copy cost a runtime call per name instead.
 */
export function upstreamHeaders(incoming: Headers, facts: ForwardingFacts): HeaderRecord {
  const named = connectionNames(incoming)
  const fields = headerRecord()
  for (const [name, value] of incoming) {
    const dropped = NOT_FORWARDED.has(name) || named?.has(name)
    if (!dropped && !name.startsWith(EDGE_HEADER_PREFIX)) fields[name] = value
  }
  if (isWebSocketUpgrade(incoming)) fields['upgrade'] = 'websocket'

  if (facts.clientIp) {
    fields['x-forwarded-for'] = facts.clientIp
    fields['x-real-ip'] = facts.clientIp
  }
  fields['x-forwarded-proto'] = facts.proto
  fields['x-forwarded-host'] = facts.host
  fields[`${EDGE_HEADER_PREFIX}request-id`] = facts.requestId
  for (const [name, value] of facts.identity) fields[name] = value
  return fields
}

/**
 * Builds the headers sent to the client from an origin's response headers, in one pass: no
 * hop-by-hop header and none that `Connection` names. No CORS header either, because the gateway
 * alone decides which browser origins may read a response, and no rate-limit header, because a
 * client must read the gateway's limits alone, even when the gateway sends only some of its own.
 */
export function downstreamHeaders(upstream: Headers): HeaderList {
  const named = connectionNames(upstream)
  const list: HeaderList = []
  for (const [name, value] of upstream) {
    const dropped = HOP_BY_HOP_NAMES.has(name) || named?.has(name) || GATEWAY_ONLY.test(name)
    if (!dropped) list.push([name, value])
  }
  return list
}

/** Response header names only the gateway sets: CORS and rate-limit headers, old and new. */
const GATEWAY_ONLY = /^(access-control-|ratelimit|x-ratelimit)/

/**
 * Returns the lower-case field names a `Connection` header lists (RFC 9110 section 7.6.1), or
 * undefined without one, the usual case over HTTP/2 and HTTP/3.
 */
function connectionNames(headers: Headers): Set<string> | undefined {
  const value = headers.get('connection')
  if (value === null) return undefined
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()))
}
