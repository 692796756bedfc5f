/**
 * Gates the configured page prefixes by tier. A caller without a session is redirected to
 * `/?redirect=<path>` to sign in, and a caller below the page's tier to `/?access=restricted`.
 * Prefixes are matched on a normalized path (percent-decoded, backslashes as slashes, dot
 * segments resolved, repeated slashes collapsed, case folded), so an encoded spelling of a gated
 * page cannot slip past. The redirect target is that normalized path, which always starts with
 * exactly one slash and therefore stays on this origin.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { tierAtLeast } from '../limits/tiers'
import type { AppEnv } from '../types'
import { matchesPrefix } from './auth'

export function pageGate(): MiddlewareHandler<AppEnv> {
  return async function pageGate(c, next) {
    const url = c.get('url')
    const path = normalizePath(url.pathname)
    const lower = path.toLowerCase()
    const gate = c.get('config').siws.pageGates.find((g) => matchesPrefix(lower, g.prefix))
    if (gate === undefined) return next()

    const session = c.get('session')
    if (session === null) {
      c.get('log').reason = 'page_gate_session_missing'
      return redirectTo(c, `/?redirect=${encodeURIComponent(sameOriginTarget(path + url.search))}`)
    }
    if (!tierAtLeast(session.tier, gate.tier)) {
      c.get('log').reason = `page_gate_tier_below_${gate.tier}`
      return redirectTo(c, '/?access=restricted')
    }
    return next()
  }
}

/**
 * A path without escapes, backslashes, semicolons, slash runs, dot segments or trailing dots is
 * already normal, which is every path a parsed URL gives for ordinary links; only the rest pays
 * for normalizing.
 */
const NEEDS_NORMALIZING = /[%\\;]|\/\/|\/\.|\.(\/|$)/

/**
 * Returns the path a browser or router would resolve, with every slash run made single. Segment
 * parameters (`;x`, which Tomcat, Jetty and Spring strip) and trailing dots (which IIS strips)
 * are removed too, so that every spelling an origin may serve as a gated page is gated.
 */
export function normalizePath(pathname: string): string {
  if (!NEEDS_NORMALIZING.test(pathname)) return pathname

  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // A malformed escape stays as sent; the URL parser below still resolves the rest.
  }

  const slashes = decoded.replace(/[\\/]+/g, '/')
  const resolved = new URL(slashes.replace(/[?#]/g, encodeURIComponent), 'http://path.invalid')
  const segments = resolved.pathname.replace(/\/+/g, '/').split('/')
  return segments.map((segment) => segment.replace(/;.*$/, '').replace(/\.+$/, '')).join('/')
}

/** Falls back to `/` for anything that a browser could read as another origin. */
export function sameOriginTarget(target: string): string {
  const safe = target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\')
  return safe ? target : '/'
}

function redirectTo(c: Context<AppEnv>, location: string): Response {
  c.header('cache-control', 'no-store')
  return c.redirect(location, 302)
}
