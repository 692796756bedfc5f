/**
 * The demo's steps, in order. Each step returns the line to print or throws a StepFailure that
 * names what the gateway did instead. Later steps use what earlier ones stored in `state`.
 */
import bs58 from 'bs58'
import nacl from 'tweetnacl'
import { burstUntilRejected } from './demo-burst.mjs'
import {
  StepFailure,
  check,
  describe,
  forwardedHeaders,
  gatewayClient,
  rateLimitHeaders,
} from './demo-client.mjs'

async function health(request) {
  const response = await request('GET', '/_edge/health')
  check(response.status === 200, `health returned ${describe(response)}`)

  const { status, cluster, environment, version } = response.body ?? {}
  check(status === 'ok', `health status is ${status}, expected ok`)
  return `status ${status}, cluster ${cluster}, environment ${environment}, version ${version}`
}

async function keypair(_request, state) {
  state.keys = nacl.sign.keyPair()
  state.address = bs58.encode(state.keys.publicKey)
  return `fresh ed25519 wallet ${state.address}`
}

async function challenge(request, state) {
  const response = await request('POST', '/_edge/siws/challenge', {
    json: { address: state.address },
  })
  check(response.status === 200, `challenge returned ${describe(response)}`)

  const message = response.body?.message
  check(typeof message === 'string', 'challenge body has no message text')
  check(message.includes(state.address), 'challenge message does not name the wallet address')

  state.message = message
  const lines = message.split('\n')
  return `${lines.length}-line message: "${lines[0]}"`
}

async function verify(request, state) {
  const bytes = new TextEncoder().encode(state.message)
  const signature = bs58.encode(nacl.sign.detached(bytes, state.keys.secretKey))
  const response = await request('POST', '/_edge/siws/verify', {
    json: { message: state.message, signature, publicKey: state.address },
  })
  check(response.status === 200, `verify returned ${describe(response)}`)

  const { token, address, tier, expiresAt } = response.body ?? {}
  check(typeof token === 'string' && token.length > 0, 'verify body has no token')
  check(address === state.address, `verify returned address ${address}, expected ours`)
  const expiry = parseExpiry(expiresAt)
  check(expiry !== undefined, `verify returned expiresAt ${JSON.stringify(expiresAt)}, not a time`)
  check(expiry > Date.now(), `verify returned expiresAt ${expiresAt}, already past`)
  check(response.headers.getSetCookie().length > 0, 'verify set no session cookie')

  state.token = token
  return `signed in as tier ${tier}, session cookie set, expires ${new Date(expiry).toISOString()}`
}

/** Reads expiresAt as an ISO 8601 string or a number of seconds since the epoch; returns ms. */
function parseExpiry(expiresAt) {
  if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) return expiresAt * 1000
  if (typeof expiresAt !== 'string') return undefined

  const milliseconds = Date.parse(expiresAt)
  return Number.isNaN(milliseconds) ? undefined : milliseconds
}

async function session(request, state) {
  const response = await request('GET', '/_edge/session', { token: state.token })
  check(response.status === 200, `session returned ${describe(response)}`)
  check(response.body?.address === state.address, 'session names another address')
  return `Bearer token accepted: address matches, tier ${response.body.tier}`
}

/** Calls `path` through the gateway and checks which origin echoed it. */
async function proxied(request, path, origin, token) {
  const response = await request('GET', path, { token })
  check(response.status === 200, `${path} returned ${describe(response)}`)
  check(response.body?.origin === origin, `${path} reached ${response.body?.origin}, not ${origin}`)
  return response
}

function proxiedLines(response) {
  const echo = response.body
  return [
    `${echo.origin} origin received ${echo.method} ${echo.path}${echo.query}`,
    `  origin headers: ${forwardedHeaders(echo.headers)}`,
    `  rate limit: ${rateLimitHeaders(response.headers)}`,
  ].join('\n')
}

async function page(request, state) {
  const response = await proxied(request, '/demo/page?from=demo', 'web', state.token)
  return proxiedLines(response)
}

async function api(request, state) {
  const response = await proxied(request, '/api/demo/items?limit=2', 'api', state.token)
  check(response.headers.has('x-ratelimit-limit'), 'API read carries no X-RateLimit-Limit')
  return proxiedLines(response)
}

async function anonymous(request, state) {
  const response = await proxied(request, '/api/demo/public', 'api')
  const values = Object.values(response.body.headers ?? {}).map(String)
  const leaked = values.some((value) => value.includes(state.address))
  check(!leaked, 'the origin received the wallet address on an anonymous request')
  return `no identity sent; ${proxiedLines(response)}`
}

async function rateLimited(request, state) {
  const result = await burstUntilRejected(request, state.token)
  const { response, accepted, target } = result
  check(response.status === 429, `${target} returned no 429 after ${accepted} requests`)
  check(response.body?.error?.code === 'rate_limited', 'the 429 body is not rate_limited')

  const retryAfter = response.headers.get('retry-after') ?? ''
  check(/^[1-9][0-9]*$/.test(retryAfter), `Retry-After is "${retryAfter}", not whole seconds`)
  return `${target}: ${accepted} accepted, then 429 rate_limited with Retry-After ${retryAfter} s`
}

export const STEPS = [
  ['health', health],
  ['keypair', keypair],
  ['challenge', challenge],
  ['verify', verify],
  ['session', session],
  ['page', page],
  ['api', api],
  ['anonymous', anonymous],
  ['rate limit', rateLimited],
]

/**
 * Runs every step against the gateway at `gatewayUrl`, printing one line per step, and stops
 * at the first failure. Resolves to `{ ok, failedStep, reason }`.
 */
export async function runDemo(gatewayUrl, print = console.log) {
  const request = gatewayClient(gatewayUrl)
  const state = {}

  for (const [name, run] of STEPS) {
    try {
      const detail = await run(request, state)
      print(`ok    ${name.padEnd(10)} ${detail}`)
    } catch (error) {
      const reason =
        error instanceof StepFailure ? error.message : `request failed: ${error.message}`
      print(`FAIL  ${name.padEnd(10)} ${reason}`)
      return { ok: false, failedStep: name, reason }
    }
  }

  return { ok: true }
}
