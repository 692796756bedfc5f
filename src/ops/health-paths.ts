/** The paths the readiness probe requests from each origin, read from the bindings at start. */
import type { Env } from '../env'
import { ConfigError } from '../errors'

/** Path each origin serves its own readiness on, unless `WEB_HEALTH_PATH`/`API_HEALTH_PATH` set one. */
export const DEFAULT_HEALTH_PATH = '/api/health/ready'

/** Reads the per-origin health paths, each of which must be an absolute path. */
export function healthPaths(env: Env): { web: string; api: string } {
  return {
    web: healthPath('WEB_HEALTH_PATH', env.WEB_HEALTH_PATH),
    api: healthPath('API_HEALTH_PATH', env.API_HEALTH_PATH),
  }
}

function healthPath(field: string, value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_HEALTH_PATH
  if (!value.startsWith('/') || value.startsWith('//')) {
    throw new ConfigError(field, value, 'a path starting with a single /')
  }
  return value
}
