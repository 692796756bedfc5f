/**
 * The gateway's sign-in routes under `/_edge`: challenge, verify, refresh, logout and session.
 * Every authentication failure is the one public 401 `unauthorized`; the precise reason goes to
 * the log line only. Malformed bodies are 400 `invalid_request`, bodies over 8 KiB are 413. Every
 * POST passes the cross-site guard first: a JSON content type, and an accepted origin.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import bs58 from 'bs58'
import { GatewayError } from '../errors'
import { currentLimits } from '../limits/summary'
import type { AppEnv, Session } from '../types'
import { crossSiteGuard } from './cross-site'
import { decodeBase58 } from './encoding'
import { buildSiwsMessage, type SiwsFields } from './message'
import { clearSessionCookie, setSessionCookie } from './session-cookie'
import { parseVerifyBody, verifySignIn } from './session-signin'
import { challengeStore, revoke } from './session-store'
import { mintSessionToken } from './session-token'
import { resolveTier } from './tier-resolver'
import { formatEpochSeconds } from './timestamp'

export const MAX_BODY_BYTES = 8 * 1024
const NONCE_BYTES = 16

export const siwsRoutes = new Hono<AppEnv>()

siwsRoutes.use('/siws/*', crossSiteGuard('sign-in'))

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new GatewayError(413, 'payload_too_large', 'The request body is larger than 8 KiB.')
  },
})

/** Builds the one public 401 that every authentication failure shares. */
export function unauthorized(reason: string): GatewayError {
  return new GatewayError(401, 'unauthorized', 'Authentication failed.', { reason })
}

siwsRoutes.post('/siws/challenge', limitBody, async (c) => {
  const body = await readJsonObject(c, true)
  const address = body.address
  if (address !== undefined && !decodeBase58(address, 32).ok) {
    throw invalidRequest('address is not a base58 address of 32 bytes')
  }

  const input = await issueChallenge(c, address as string | undefined)
  const message = input.address === undefined ? undefined : buildSiwsMessage(input as SiwsFields)
  c.header('cache-control', 'no-store')
  return c.json({ input, message })
})

siwsRoutes.post('/siws/verify', limitBody, async (c) => {
  const parsed = parseVerifyBody(await readJsonObject(c, false))
  if (!parsed.ok) throw invalidRequest(parsed.reason)

  const { config, env } = { config: c.get('config'), env: c.env }
  const now = Date.now()
  const url = c.get('url')
  const expect = {
    domain: url.host,
    uri: url.origin,
    acceptedChainIds: config.cluster.acceptedChainIds,
    now,
    skewMs: config.siws.clockSkewSeconds * 1000,
  }
  const consume = async (nonce: string) => {
    const input = await challengeStore(env, config.cluster, nonce).consume(nonce, now)
    return input === null ? null : (JSON.parse(input) as SiwsFields)
  }

  const verified = await verifySignIn(parsed.value, expect, consume)
  if (!verified.ok) throw unauthorized(verified.reason)

  const resolution = await resolveTier(config.siws.tiers, verified.value, now)
  if (resolution.reason !== undefined) c.get('log').reason = resolution.reason
  return startSession(c, verified.value, resolution.tier, now)
})

// A token without a `jti` cannot be revoked, so refreshing it would leave two live tokens.
siwsRoutes.post('/siws/refresh', async (c) => {
  const session = requireSession(c)
  if (!(await revokeSession(c, session))) throw unauthorized('token_not_revocable')
  return startSession(c, session.address, session.tier, Date.now())
})

siwsRoutes.post('/siws/logout', async (c) => {
  const session = c.get('session')
  const revoked = session !== null && (await revokeSession(c, session))
  clearSessionCookie(c, c.get('config').siws)
  c.header('cache-control', 'no-store')
  return c.json({ revoked })
})

siwsRoutes.get('/session', async (c) => {
  const session = requireSession(c)
  const limits = await currentLimits(c)
  c.header('cache-control', 'no-store')
  return c.json({
    address: session.address,
    tier: session.tier,
    expiresAt: formatEpochSeconds(session.expiresAt),
    issuer: session.issuer,
    limits,
  })
})

async function issueChallenge(c: Context<AppEnv>, address: string | undefined) {
  const config = c.get('config')
  const url = c.get('url')
  const now = Date.now()
  const expiresAt = now + config.siws.challengeTtlSeconds * 1000
  const nonce = bs58.encode(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)))

  const input: Omit<SiwsFields, 'address'> & { address?: string } = {
    domain: url.host,
    ...(address === undefined ? {} : { address }),
    ...(config.siws.statement === undefined ? {} : { statement: config.siws.statement }),
    uri: url.origin,
    version: '1',
    chainId: config.cluster.chainId,
    nonce,
    issuedAt: new Date(now).toISOString(),
    expirationTime: new Date(expiresAt).toISOString(),
  }

  const store = challengeStore(c.env, config.cluster, nonce)
  await store.issue(nonce, JSON.stringify(input), expiresAt)
  return input
}

async function startSession(
  c: Context<AppEnv>,
  address: string,
  tier: Session['tier'],
  now: number,
) {
  const config = c.get('config').siws
  const { token, session } = await mintSessionToken(config, address, tier, now)
  setSessionCookie(c, config, token)
  c.get('log').tier = tier
  c.header('cache-control', 'no-store')
  return c.json({
    token,
    address,
    tier,
    expiresAt: formatEpochSeconds(session.expiresAt),
  })
}

function requireSession(c: Context<AppEnv>): Session {
  const session = c.get('session')
  // Keeps the reason the auth middleware logged for a rejected token.
  if (session === null) throw unauthorized(c.get('log').reason ?? 'session_missing')
  return session
}

/** Revokes the session's `jti` until its expiry; origin tokens without a `jti` cannot be. */
async function revokeSession(c: Context<AppEnv>, session: Session): Promise<boolean> {
  if (session.jti === undefined) return false

  const cluster = c.get('config').cluster
  await revoke(c.env, cluster, session.jti, session.expiresAt * 1000)
  return true
}

async function readJsonObject(c: Context<AppEnv>, allowEmpty: boolean) {
  const text = await c.req.text()
  if (text.trim() === '' && allowEmpty) return {}

  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw invalidRequest('body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('body is not a JSON object')
  }
  return body as Record<string, unknown>
}

function invalidRequest(reason: string): GatewayError {
  return new GatewayError(400, 'invalid_request', `The request is invalid: ${reason}.`, { reason })
}
