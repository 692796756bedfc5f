/**
 * Authenticates the caller from a session token: `Authorization: Bearer`, else the session
 * cookie, else `?token=` on the configured streaming paths only. No token leaves the session
 * null (anonymous). An invalid token on a proxied path is a 401. Under `/_edge/` it leaves the
 * caller anonymous instead, so a stale cookie never blocks signing in again. A token never
 * reaches the log: only the reason it was rejected does.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { SiwsConfig } from '../siws/config'
import { unauthorized } from '../siws/routes'
import { readSessionCookie } from '../siws/session-cookie'
import { isRevoked } from '../siws/session-store'
import { normalizePath } from './page-gate'
import { verifySessionToken, type TokenResult } from '../siws/session-token'
import type { AppEnv } from '../types'

const BEARER = /^Bearer[ ]+(\S*)[ ]*$/i

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const config = c.get('config').siws
    const token = readToken(c, config)
    if (token === undefined) return next()

    const result = await checkToken(c, token)
    if (result.ok) {
      c.set('session', result.session)
      c.get('log').tier = result.session.tier
      return next()
    }

    if (!c.get('url').pathname.startsWith('/_edge/')) throw unauthorized(result.reason)
    c.get('log').reason = result.reason
    return next()
  }
}

/** Returns the token from the first source present, or undefined when none carries one. */
function readToken(c: Context<AppEnv>, config: SiwsConfig): string | undefined {
  const header = c.req.header('authorization')
  if (header !== undefined && /^Bearer\b/i.test(header)) {
    return BEARER.exec(header)?.[1] ?? ''
  }

  const cookie = readSessionCookie(c, config)
  if (cookie !== undefined) return cookie

  if (!isStreamingPath(c.get('url').pathname, config.streamingPaths)) return undefined
  return c.req.query('token')
}

/**
 * True when the path, as sent or normalized as the page gate normalizes it and case folded, lies
 * under a streaming path. An origin may route `/api//stream` or `/api/%73tream` to the stream, so
 * those spellings take a `?token=` too, and the proxy removes it from each of them.
 */
export function isStreamingPath(pathname: string, streamingPaths: readonly string[]): boolean {
  const folded = normalizePath(pathname).toLowerCase()
  return streamingPaths.some(
    (path) => matchesPrefix(pathname, path) || matchesPrefix(folded, path.toLowerCase()),
  )
}

/**
 * Verifies the token, then checks its `jti` against revocations. That check reuses this
 * isolate's recent results, so a logout elsewhere takes up to `NOT_REVOKED_TTL_MS` to apply here.
 */
async function checkToken(c: Context<AppEnv>, token: string): Promise<TokenResult> {
  const config = c.get('config')
  const now = Date.now()
  const result = await verifySessionToken(token, config.siws, now)
  if (!result.ok || result.session.jti === undefined) return result

  const { jti, expiresAt } = result.session
  const revoked = await isRevoked(c.env, config.cluster, jti, expiresAt * 1000, now)
  return revoked ? { ok: false, reason: 'token_revoked' } : result
}

/** True when `pathname` is `prefix` itself or lies below it. */
export function matchesPrefix(pathname: string, prefix: string): boolean {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  return pathname === base || pathname.startsWith(`${base}/`)
}
