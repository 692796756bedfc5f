/** The route table: the first path prefix that matches picks the origin. */
import type { OriginConfig, OriginName, ProxyConfig } from './config'

interface Route {
  /** Matches the path equal to the prefix without its trailing slash, or starting with it. */
  prefix: string
  origin: OriginName
}

const ROUTES: readonly Route[] = [
  { prefix: '/api/', origin: 'api' },
  { prefix: '/', origin: 'web' },
]

/** Returns the origin that serves `pathname`. */
export function selectOrigin(pathname: string, config: ProxyConfig): OriginConfig {
  const route = ROUTES.find(({ prefix }) => matches(pathname, prefix))
  return config[route?.origin ?? 'web']
}

function matches(pathname: string, prefix: string): boolean {
  return pathname.startsWith(prefix) || pathname === prefix.replace(/\/$/, '')
}
