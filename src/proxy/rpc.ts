/**
 * `POST /_edge/rpc`: forwards allowed JSON-RPC calls to the cluster's RPC endpoint, moving to the
 * backup endpoint while the primary fails. Requests from other sites' pages are rejected first.
 * Endpoint URLs may carry a provider key, so no URL, and no body of a failed endpoint response,
 * ever reaches the client or the log.
 */
import { Hono } from 'hono'
import { GatewayError } from '../errors'
import { chargeMore } from '../middleware/rate-limit'
import type { AppEnv } from '../types'
import { limitBody } from './body-limit'
import { CircuitBreaker, type Route } from './circuit-breaker'
import { checkRpcRequest } from './json-rpc'
import { crossSiteGuard } from '../siws/cross-site'
import { HeadersTimeoutError, timedFetch } from './timed-fetch'

/** Largest JSON-RPC body accepted: a Solana transaction is at most 1,232 bytes. */
export const RPC_MAX_BODY_BYTES = 1_048_576

interface Endpoints {
  primary: string
  backup: string | undefined
  timeoutMs: number
}

// NOTE: breaker state lives in one isolate; each isolate learns the primary's failures itself.
const breakers = new Map<string, CircuitBreaker>()

export const rpcRoutes = new Hono<AppEnv>()

// Every call spends the RPC provider key's quota, so the sign-in routes' cross-site rules apply:
// without them any page could spend it from its visitors' browsers with a text/plain POST.
rpcRoutes.use('/rpc', crossSiteGuard('RPC'))

rpcRoutes.post('/rpc', async (c) => {
  const config = c.get('config')
  const { rpc } = config.proxy
  c.get('log').origin = 'rpc'

  const { body } = limitBody(c.req.raw, RPC_MAX_BODY_BYTES)
  const text = body ? await new Response(body).text() : ''
  const check = checkRpcRequest(text, rpc.allowedMethods)
  if (!check.ok) {
    c.get('log').reason = `rpc request rejected: ${check.response.error.message}`
    return c.json(check.response, check.status, { 'cache-control': 'no-store' })
  }

  // The rate limit charged the request once; each further call of a batch costs one unit more.
  const refused = await chargeMore(c, check.methods.length - 1)
  if (refused) return refused

  const endpoints = {
    primary: rpc.url ?? config.cluster.rpcUrl,
    backup: rpc.backupUrl,
    timeoutMs: rpc.timeoutMs,
  }
  const upstream = await callRpc(endpoints, check.body)
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  })
})

/** Sends the call on the breaker's route, then once to the backup when that attempt failed. */
async function callRpc(endpoints: Endpoints, text: string): Promise<Response> {
  const breaker = breakerFor(endpoints.primary)
  const route: Route = endpoints.backup ? breaker.route(Date.now()) : 'primary'
  const firstUrl = route === 'backup' ? endpoints.backup : endpoints.primary
  const first = await attempt(firstUrl, text, endpoints.timeoutMs)
  breaker.record(route, first.healthy, Date.now())
  if (first.response) return first.response

  const failures = [`${route}: ${first.failure}`]
  if (endpoints.backup && route !== 'backup') {
    const second = await attempt(endpoints.backup, text, endpoints.timeoutMs)
    if (second.response) return second.response
    failures.push(`backup: ${second.failure}`)
  }

  throw new GatewayError(
    502,
    'rpc_unavailable',
    'The Solana RPC endpoint did not return a response.',
    {
      reason: `rpc failed (${failures.join('; ')})`,
    },
  )
}

interface Attempt {
  /** The endpoint's 200 response, or null when this attempt failed. */
  response: Response | null
  /** False when the failure counts against the endpoint: no response, 429 or 5xx. */
  healthy: boolean
  failure: string
}

/** Sends the call to one endpoint; only a 200 response is passed on to the client. */
async function attempt(url: string | undefined, text: string, timeoutMs: number): Promise<Attempt> {
  if (!url) return { response: null, healthy: false, failure: 'no endpoint' }

  let response: Response
  try {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }
    response = await timedFetch(url, init, timeoutMs)
  } catch (error) {
    const failure = error instanceof HeadersTimeoutError ? 'timeout' : 'unreachable'
    return { response: null, healthy: false, failure }
  }

  if (response.status === 200) return { response, healthy: true, failure: '' }

  await response.body?.cancel()
  const healthy = response.status !== 429 && response.status < 500
  return { response: null, healthy, failure: `status ${response.status}` }
}

function breakerFor(primary: string): CircuitBreaker {
  let breaker = breakers.get(primary)
  if (!breaker) {
    breaker = new CircuitBreaker()
    breakers.set(primary, breaker)
  }
  return breaker
}
