import type { Env } from '../env'

// Placeholder until the proxy module lands.
export interface ProxyConfig {
  webOrigin: string
  apiOrigin: string
}

export function loadProxyConfig(env: Env, _context: { secure: boolean }): ProxyConfig {
  return { webOrigin: env.WEB_ORIGIN, apiOrigin: env.API_ORIGIN }
}
