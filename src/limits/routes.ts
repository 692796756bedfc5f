/** Finds the route, and so the policy, that limits a request. Pure: no Hono, no bindings. */
import type { Route } from './policies'

/**
 * Returns the first route matching the method and path, or undefined. The path is matched after
 * percent-decoding, collapsing repeated slashes and folding case, because origins decode paths
 * before routing and some routers ignore case (Express by default): `/api/trading/%73wap` and
 * `/api/trading/SWAP` must count against the swap policy, not a laxer one.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): Route | undefined {
  const path = normalizePath(pathname).toLowerCase()
  const upper = method.toUpperCase()
  return routes.find(
    (route) =>
      path.startsWith(route.prefix.toLowerCase()) &&
      (route.methods === undefined || route.methods.includes(upper)),
  )
}

export function normalizePath(pathname: string): string {
  let path = pathname
  try {
    path = decodeURIComponent(pathname)
  } catch {
    // A malformed escape is matched as written; the origin cannot route it to another path.
  }
  return path.replace(/\/{2,}/g, '/')
}
