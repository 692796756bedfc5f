/** Finds the route, and so the policy, that limits a request. Pure: no Hono, no bindings. */
import type { Route } from './policies'

/**
 * Returns the first route matching the method and path, or undefined. The path is matched after
 * percent-decoding and collapsing repeated slashes, because the origins decode paths before
 * routing: `/api/trading/%73wap` must count against the swap policy, not a laxer one.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): Route | undefined {
  const path = normalizePath(pathname)
  const upper = method.toUpperCase()
  return routes.find(
    (route) =>
      path.startsWith(route.prefix) &&
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
