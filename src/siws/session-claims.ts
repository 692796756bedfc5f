/**
 * Checks the claims of an HS256 token whose signature has verified, and maps them to a session:
 * times, lifetime, cluster and address for every token, and the gateway's own claims for its
 * tokens. Pure: no I/O, and the clock is a parameter.
 */
import type { JWTPayload } from 'hono/utils/jwt/types'
import { isTier, type Tier } from '../limits/tiers'
import type { Session } from '../types'
import type { SiwsConfig } from './config'
import { decodeBase58 } from './encoding'
import type { TokenResult } from './session-token'

/**
 * Maximum lifetime of a token the origin app issues, in seconds: 30 days. An origin token
 * without a `jti` cannot be revoked, so its expiry is the only bound on its use. The gateway's
 * own tokens are bounded by SESSION_TTL_SECONDS instead.
 */
export const MAX_ORIGIN_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60

/** Checks the claims of a token whose signature has verified. `now` is in ms since the epoch. */
export function sessionFromClaims(
  claims: JWTPayload,
  config: SiwsConfig,
  now: number,
): TokenResult {
  const issuedByGateway = claims.iss === config.issuer
  const timeFailure = checkTimes(claims, config, issuedByGateway, Math.floor(now / 1000))
  if (timeFailure !== undefined) return { ok: false, reason: timeFailure }

  if (claims.cluster !== undefined && claims.cluster !== config.cluster.name) {
    return { ok: false, reason: 'token_cluster_mismatch' }
  }

  const address = claims.wallet_address
  if (typeof address !== 'string' || !decodeBase58(address, 32).ok) {
    return { ok: false, reason: 'token_address_invalid' }
  }
  return issuedByGateway
    ? gatewaySession(claims, address)
    : { ok: true, session: originSession(claims, address) }
}

/**
 * Checks `exp`, `iat` and `nbf`, and returns the reason for a rejection or undefined. `exp` must
 * be a whole number of seconds in the future, at most the issuer's maximum lifetime plus the
 * clock skew ahead. Expiry gets no skew, but `iat` and `nbf` do.
 */
function checkTimes(
  claims: JWTPayload,
  config: SiwsConfig,
  issuedByGateway: boolean,
  seconds: number,
): string | undefined {
  const skew = config.clockSkewSeconds
  const exp = claims.exp
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'token_exp_missing'
  if (!Number.isInteger(exp)) return 'token_exp_not_integer'
  if (exp <= seconds) return 'token_expired'
  if (typeof claims.iat === 'number' && claims.iat > seconds + skew) return 'token_issued_in_future'
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + skew) return 'token_not_yet_valid'

  const lifetime = issuedByGateway ? config.sessionTtlSeconds : MAX_ORIGIN_TOKEN_LIFETIME_SECONDS
  if (exp > seconds + lifetime + skew) return 'token_lifetime_too_long'
  return undefined
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
