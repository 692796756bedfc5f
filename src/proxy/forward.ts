/**
 * The proxy handler: every path outside `/_edge/` goes to the origin the route table picks, with
 * method, path, query and body unchanged and both bodies streamed. The one change is a session
 * token in the query of a streaming path, which is removed.
 */
import type { Context, Handler } from 'hono'
import type { AppEnv } from '../types'
import { isStreamingPath } from '../middleware/auth'
import { limitBody } from './body-limit'
import { gatewayResponse, type ResponseHeaders } from '../response-headers'
import type { OriginConfig } from './config'
import { downstreamHeaders, upstreamHeaders } from './headers'
import { identityHeaders } from './identity'
import { fetchOrigin } from './origin-fetch'
import { withoutTokenParam } from './query'
import { selectOrigin } from './routes'

export const proxy: Handler<AppEnv> = async (c) => {
  const config = c.get('config').proxy
  const request = c.req.raw
  const url = c.get('url')
  const origin = selectOrigin(url.pathname, config)
  c.get('log').origin = origin.name

  const body = limitBody(request, config.maxBodyBytes)
  const headers = upstreamHeaders(request.headers, {
    clientIp: request.headers.get('cf-connecting-ip'),
    proto: url.protocol === 'https:' ? 'https' : 'http',
    host: url.host,
    requestId: c.get('requestId'),
    identity: await identityFor(c, origin),
  })

  const upstream = await fetchOrigin(origin, {
    method: request.method,
    pathAndQuery: forwardedPathAndQuery(c),
    headers,
    body,
    noStore: origin.name === 'api',
  })
  // CDN-Cache-Control (RFC 9213) keeps every CDN from storing an API response, while the
  // origin's own Cache-Control still reaches the browser.
  if (origin.name === 'api') c.get('responseHeaders').own.set('cdn-cache-control', 'no-store')
  return clientResponse(upstream, c.get('responseHeaders'))
}

/**
 * The path and query as the client sent them, less any `token` parameter on the streaming paths,
 * where the auth middleware reads a session token from the query: the origin never needs it, and
 * its own logs would keep it.
 */
function forwardedPathAndQuery(c: Context<AppEnv>): string {
  const url = c.get('url')
  const pathAndQuery = c.req.raw.url.slice(url.origin.length)
  const { streamingPaths } = c.get('config').siws
  if (!isStreamingPath(url.pathname, streamingPaths)) return pathAndQuery
  return withoutTokenParam(pathAndQuery)
}

function identityFor(c: Context<AppEnv>, origin: OriginConfig) {
  return identityHeaders({
    session: c.get('session'),
    audience: origin.name,
    secret: c.get('config').proxy.identitySecret,
    now: Math.floor(Date.now() / 1000),
  })
}

/**
 * Builds the client's response around the origin's body stream, left untouched so that workerd
 * passes a gzip body through as the origin sent it, Content-Length included, and decodes it only
 * for a client that does not accept gzip. Measured with workerd 1.20260426 over HTTP:
 * `encodeBody: 'manual'` breaks this, sending the decoded bytes under `Content-Encoding: gzip`.
 * The response is built with every header the gateway adds, in one call.
 */
function clientResponse(upstream: Response, gateway: ResponseHeaders): Response {
  const init = {
    status: upstream.status,
    statusText: upstream.statusText,
    webSocket: upstream.webSocket,
  }
  return gatewayResponse(upstream.body, init, downstreamHeaders(upstream.headers), gateway)
}
