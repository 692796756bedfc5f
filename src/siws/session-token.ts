/**
 * Session tokens: HS256 JWTs (RFC 7519) under `JWT_SECRET`. The gateway signs with the current
 * secret and names it in the `kid` header (the first 8 hex digits of its SHA-256). Verification
 * also accepts the previous secret, and accepts tokens the origin app issues under the same
 * secret. This module does no I/O and takes the clock as a parameter; revocation is checked by
 * the caller.
 */
import { setNewest } from '../bounded-map'
import { Jwt } from 'hono/utils/jwt'
import type { JWTPayload } from 'hono/utils/jwt/types'
import { tierAtLeast, type Tier } from '../limits/tiers'
import type { Session } from '../types'
import type { SiwsConfig } from './config'
import { sessionFromClaims } from './session-claims'

export type TokenResult = { ok: true; session: Session } | { ok: false; reason: string }

const ALGORITHM = 'HS256'
const keyIds = new Map<string, Promise<string>>()
const verifyKeys = new Map<string, Promise<CryptoKey>>()

/** Derives the `kid` that names a secret without revealing it. */
export function keyIdOf(secret: string): Promise<string> {
  let kid = keyIds.get(secret)
  if (kid === undefined) {
    kid = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(secret))
      .then((digest) => [...new Uint8Array(digest).slice(0, 4)].map(toHex).join(''))
    keyIds.set(secret, kid)
  }
  return kid
}

// A CryptoKey, because Hono reads a string key that contains PRIVATE or PUBLIC as PEM.
function verifyKeyOf(secret: string): Promise<CryptoKey> {
  let key = verifyKeys.get(secret)
  if (key === undefined) {
    const algorithm = { name: 'HMAC', hash: 'SHA-256' }
    const bytes = new TextEncoder().encode(secret)
    key = crypto.subtle.importKey('raw', bytes, algorithm, false, ['verify'])
    verifyKeys.set(secret, key)
  }
  return key
}

/** Signs a new gateway session token for `address`; `now` is in ms since the epoch. */
export async function mintSessionToken(
  config: SiwsConfig,
  address: string,
  tier: Tier,
  now: number,
): Promise<{ token: string; session: Session }> {
  const iat = Math.floor(now / 1000)
  const exp = iat + config.sessionTtlSeconds
  const jti = crypto.randomUUID()
  const claims: JWTPayload = {
    iss: config.issuer,
    sub: address,
    wallet_address: address,
    tier,
    cluster: config.cluster.name,
    is_whitelisted: tierAtLeast(tier, 'EARLY_ACCESS'),
    is_admin: tier === 'ADMIN',
    iat,
    exp,
    jti,
  }

  const key = {
    kty: 'oct',
    k: base64Url(config.jwtSecret),
    alg: ALGORITHM,
    kid: await keyIdOf(config.jwtSecret),
  }
  const token = await Jwt.sign(claims, key)
  return { token, session: { address, tier, expiresAt: exp, jti, issuer: 'gateway' } }
}

/**
 * Tokens this isolate has verified, by config, so that a session's later requests skip the
 * decode, the HMAC and the address check. A hit is rechecked against `exp` only: every other
 * check gave the same answer then as now, since the token, the secrets and the config are the
 * same and a token valid once stays valid until it expires. Oldest entries go first.
 */
const verifiedTokens = new WeakMap<SiwsConfig, Map<string, VerifiedToken>>()
export const MAX_VERIFIED_TOKENS = 5000

/** Verifies a token's header, signature and claims and returns the session it carries. */
export async function verifySessionToken(
  token: string,
  config: SiwsConfig,
  now: number,
): Promise<TokenResult> {
  const verified = verifiedTokens.get(config) ?? new Map<string, VerifiedToken>()
  verifiedTokens.set(config, verified)

  const known = verified.get(token)
  if (known !== undefined && isStillValid(known, now)) return { ok: true, session: known.session }
  verified.delete(token)

  const result = await verifyUncached(token, config, now)
  if (result.ok) {
    const entry = { session: Object.freeze(result.session), at: now }
    setNewest(verified, token, entry, MAX_VERIFIED_TOKENS)
  }
  return result
}

interface VerifiedToken {
  session: Session
  /** When the token was verified, in ms since the epoch. */
  at: number
}

/** A clock that went back past the verification could reach a time the checks rejected. */
function isStillValid(known: VerifiedToken, now: number): boolean {
  return now >= known.at && known.session.expiresAt > Math.floor(now / 1000)
}

async function verifyUncached(
  token: string,
  config: SiwsConfig,
  now: number,
): Promise<TokenResult> {
  const secrets = await secretsFor(token, config)
  if (!secrets.ok) return secrets

  for (const secret of secrets.candidates) {
    const verified = await checkSignature(token, secret)
    if (verified.ok) return sessionFromClaims(verified.payload, config, now)
    if (verified.reason !== 'token_signature_invalid') return verified
  }
  return { ok: false, reason: 'token_signature_invalid' }
}

type Secrets = { ok: true; candidates: string[] } | { ok: false; reason: string }

async function secretsFor(token: string, config: SiwsConfig): Promise<Secrets> {
  let header: { alg?: unknown; kid?: unknown }
  try {
    header = Jwt.decode(token).header
  } catch {
    return { ok: false, reason: 'token_malformed' }
  }
  if (header.alg !== ALGORITHM) return { ok: false, reason: 'token_algorithm_rejected' }

  const all = [config.jwtSecret, config.jwtPreviousSecret].filter((s) => s !== undefined)
  if (header.kid === undefined) return { ok: true, candidates: all }

  for (const secret of all) {
    if (header.kid === (await keyIdOf(secret))) return { ok: true, candidates: [secret] }
  }
  return { ok: false, reason: 'token_kid_unknown' }
}

type Signature = { ok: true; payload: JWTPayload } | { ok: false; reason: string }

async function checkSignature(token: string, secret: string): Promise<Signature> {
  // Times are checked in sessionFromClaims with the caller's clock and skew.
  const options = { alg: ALGORITHM, exp: false, nbf: false, iat: false } as const
  try {
    return { ok: true, payload: await Jwt.verify(token, await verifyKeyOf(secret), options) }
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    if (name === 'JwtTokenSignatureMismatched')
      return { ok: false, reason: 'token_signature_invalid' }
    return { ok: false, reason: 'token_malformed' }
  }
}

function base64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function toHex(byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
