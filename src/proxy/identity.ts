/**
 * The verified caller's identity as headers for an origin. The origin trusts `x-edge-wallet` and
 * `x-edge-tier` only because the gateway strips every client-sent `x-edge-` header; the
 * `x-edge-identity` token lets an origin check the claims itself under the shared secret.
 *
 * A token names the caller and the origin, not the request, whose id travels in
 * `x-edge-request-id`. So one token serves a caller's requests to one origin for half its
 * lifetime, and the HMAC runs once in thirty seconds per caller and origin, not per request. An
 * origin that receives a token always has at least half of IDENTITY_TTL_SECONDS left to check it.
 */
import { sign } from 'hono/jwt'
import { setNewest } from '../bounded-map'
import type { HeaderList } from '../response-headers'
import type { Session } from '../types'
import { EDGE_HEADER_PREFIX } from './headers'

/** Lifetime of an identity token, in seconds: long enough for one request to reach the origin. */
export const IDENTITY_TTL_SECONDS = 60

/** `iss` of every identity token. */
export const IDENTITY_ISSUER = 'edge-gateway'

/** Maximum number of tokens kept per isolate. The oldest is dropped first. */
const MAX_CACHED_TOKENS = 10_000

export interface IdentityInput {
  session: Session | null
  /** The origin's name, used as the token's `aud`. */
  audience: string
  secret: string | undefined
  /** Current time, in seconds since the Unix epoch. */
  now: number
}

interface CachedToken {
  token: string
  /** Last second, since the Unix epoch, at which the token is handed out. */
  reuseUntil: number
}

const tokens = new Map<string, CachedToken>()

/** Returns the identity headers for a signed-in caller, or none for an anonymous one. */
export async function identityHeaders(input: IdentityInput): Promise<HeaderList> {
  const { session } = input
  if (!session) return []

  const headers: HeaderList = [
    [`${EDGE_HEADER_PREFIX}wallet`, session.address],
    [`${EDGE_HEADER_PREFIX}tier`, session.tier],
  ]
  if (input.secret) {
    headers.push([
      `${EDGE_HEADER_PREFIX}identity`,
      await identityToken(session, input, input.secret),
    ])
  }
  return headers
}

function identityToken(session: Session, input: IdentityInput, secret: string) {
  // The secret is part of the key so that a rotated secret never serves an old token.
  const key = `${secret}\n${input.audience}\n${session.address}\n${session.tier}`
  const cached = tokens.get(key)
  if (cached && input.now <= cached.reuseUntil) return cached.token
  return signIdentity(key, session, input, secret)
}

async function signIdentity(
  key: string,
  session: Session,
  input: IdentityInput,
  secret: string,
): Promise<string> {
  const payload = {
    iss: IDENTITY_ISSUER,
    aud: input.audience,
    sub: session.address,
    tier: session.tier,
    iat: input.now,
    exp: input.now + IDENTITY_TTL_SECONDS,
  }
  const token = await sign(payload, await signingKeyOf(secret), 'HS256')
  const reuseUntil = input.now + IDENTITY_TTL_SECONDS / 2
  setNewest(tokens, key, { token, reuseUntil }, MAX_CACHED_TOKENS)
  return token
}

const signingKeys = new Map<string, Promise<CryptoKey>>()

/** Imports the HMAC key once per secret rather than on every request. */
function signingKeyOf(secret: string): Promise<CryptoKey> {
  let key = signingKeys.get(secret)
  if (key === undefined) {
    const algorithm = { name: 'HMAC', hash: 'SHA-256' }
    const bytes = new TextEncoder().encode(secret)
    key = crypto.subtle.importKey('raw', bytes, algorithm, false, ['sign'])
    signingKeys.set(secret, key)
  }
  return key
}
