/**
 * Session tokens: HS256 JWTs (RFC 7519) under `JWT_SECRET`. The gateway signs with the current
 * secret and names it in the `kid` header (the first 8 hex digits of its SHA-256). Verification
 * also accepts the previous secret, and accepts tokens the origin app issues under the same
 * secret. This module does no I/O and takes the clock as a parameter; revocation is checked by
 * the caller.
 */
import { Jwt } from 'hono/utils/jwt'
import type { JWTPayload } from 'hono/utils/jwt/types'
import { isTier, tierAtLeast, type Tier } from '../limits/tiers'
import type { Session } from '../types'
import type { SiwsConfig } from './config'
import { decodeBase58 } from './encoding'

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
  if (result.ok) remember(verified, token, { session: Object.freeze(result.session), at: now })
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

function remember(verified: Map<string, VerifiedToken>, token: string, entry: VerifiedToken) {
  if (verified.size >= MAX_VERIFIED_TOKENS) {
    const oldest = verified.keys().next()
    if (!oldest.done) verified.delete(oldest.value)
  }
  verified.set(token, entry)
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

function sessionFromClaims(claims: JWTPayload, config: SiwsConfig, now: number): TokenResult {
  const seconds = Math.floor(now / 1000)
  const skew = config.clockSkewSeconds
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    return { ok: false, reason: 'token_exp_missing' }
  }
  if (claims.exp <= seconds) return { ok: false, reason: 'token_expired' }
  if (typeof claims.iat === 'number' && claims.iat > seconds + skew) {
    return { ok: false, reason: 'token_issued_in_future' }
  }
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + skew) {
    return { ok: false, reason: 'token_not_yet_valid' }
  }
  if (claims.cluster !== undefined && claims.cluster !== config.cluster.name) {
    return { ok: false, reason: 'token_cluster_mismatch' }
  }

  const address = claims.wallet_address
  if (typeof address !== 'string' || !decodeBase58(address, 32).ok) {
    return { ok: false, reason: 'token_address_invalid' }
  }
  return claims.iss === config.issuer
    ? gatewaySession(claims, address)
    : { ok: true, session: originSession(claims, address) }
}

function gatewaySession(claims: JWTPayload, address: string): TokenResult {
  if (claims.sub !== address) return { ok: false, reason: 'token_subject_mismatch' }
  if (claims.cluster === undefined) return { ok: false, reason: 'token_cluster_missing' }
  if (!isTier(claims.tier) || claims.tier === 'ANONYMOUS') {
    return { ok: false, reason: 'token_tier_invalid' }
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    return { ok: false, reason: 'token_jti_missing' }
  }

  const session: Session = {
    address,
    tier: claims.tier,
    expiresAt: claims.exp as number,
    jti: claims.jti,
    issuer: 'gateway',
  }
  return { ok: true, session }
}

/** Maps the origin app's flags to a tier: is_admin to ADMIN, is_whitelisted to EARLY_ACCESS. */
function originSession(claims: JWTPayload, address: string): Session {
  let tier: Tier = 'WAITLIST'
  if (claims.is_whitelisted === true) tier = 'EARLY_ACCESS'
  if (claims.is_admin === true) tier = 'ADMIN'

  const jti = typeof claims.jti === 'string' && claims.jti !== '' ? claims.jti : undefined
  return { address, tier, expiresAt: claims.exp as number, jti, issuer: 'origin' }
}

function base64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function toHex(byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
