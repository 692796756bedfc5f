/**
 * The verified caller's identity as headers for an origin. The origin trusts `x-edge-wallet` and
 * `x-edge-tier` only because the gateway strips every client-sent `x-edge-` header; the
 * `x-edge-identity` token lets an origin check the claims itself under the shared secret.
 */
import { sign } from 'hono/jwt'
import type { Session } from '../types'
import { EDGE_HEADER_PREFIX } from './headers'

/** Lifetime of an identity token, in seconds: long enough for one request to reach the origin. */
export const IDENTITY_TTL_SECONDS = 60

/** `iss` of every identity token. */
export const IDENTITY_ISSUER = 'edge-gateway'

export interface IdentityInput {
  session: Session | null
  requestId: string
  /** The origin's name, used as the token's `aud`. */
  audience: string
  secret: string | undefined
  /** Current time, in seconds since the Unix epoch. */
  now: number
}

/** Returns the identity headers for a signed-in caller, or none for an anonymous one. */
export async function identityHeaders(input: IdentityInput): Promise<Record<string, string>> {
  const { session } = input
  if (!session) return {}

  const headers: Record<string, string> = {
    [`${EDGE_HEADER_PREFIX}wallet`]: session.address,
    [`${EDGE_HEADER_PREFIX}tier`]: session.tier,
  }
  if (input.secret) {
    headers[`${EDGE_HEADER_PREFIX}identity`] = await signIdentity(session, input, input.secret)
  }
  return headers
}

async function signIdentity(
  session: Session,
  input: IdentityInput,
  secret: string,
): Promise<string> {
  const payload = {
    iss: IDENTITY_ISSUER,
    aud: input.audience,
    sub: session.address,
    tier: session.tier,
    request_id: input.requestId,
    iat: input.now,
    exp: input.now + IDENTITY_TTL_SECONDS,
  }
  return sign(payload, await signingKeyOf(secret), 'HS256')
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
