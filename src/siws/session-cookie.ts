/**
 * The session cookie. When the gateway is served over https it carries the `__Host-` prefix
 * (RFC 6265bis section 4.1.3.2), so the browser accepts it only with Secure, Path=/ and no
 * Domain; in local development it is plain `edge_session` without Secure.
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'
import type { SiwsConfig } from './config'

export const SESSION_COOKIE = 'edge_session'

function cookieOptions(config: SiwsConfig): CookieOptions {
  const options: CookieOptions = {
    httpOnly: true,
    secure: config.secure,
    sameSite: 'Lax',
    path: '/',
  }
  if (config.secure) options.prefix = 'host'
  return options
}

/** Sets the session cookie to expire with the token. */
export function setSessionCookie(c: Context, config: SiwsConfig, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    ...cookieOptions(config),
    maxAge: config.sessionTtlSeconds,
  })
}

/** Expires the session cookie in the browser. */
export function clearSessionCookie(c: Context, config: SiwsConfig): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(config))
}

/** Returns the token in the session cookie, or undefined when there is none. */
export function readSessionCookie(c: Context, config: SiwsConfig): string | undefined {
  const value = config.secure ? getCookie(c, SESSION_COOKIE, 'host') : getCookie(c, SESSION_COOKIE)
  return value === '' ? undefined : value
}
