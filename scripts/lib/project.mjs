/**
 * Paths and environment shared by the local-loop and operations scripts.
 */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url))

export const GATEWAY_PORT = 8787
export const WEB_PORT = 8788
export const API_PORT = 8789
export const DEFAULT_GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`

/** Path of the project's wrangler executable, unless `WRANGLER_BIN` names another one. */
export function wranglerBin(env = process.env) {
  return env.WRANGLER_BIN || join(PROJECT_DIR, 'node_modules', '.bin', 'wrangler')
}

/**
 * Returns the environment for a wrangler child: no telemetry, no download of Cloudflare's
 * request metadata, and wrangler's config and logs kept inside the project.
 */
export function wranglerEnv(env = process.env) {
  return {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: join(PROJECT_DIR, '.config'),
  }
}

/** Returns true when `url` is a loopback http(s) URL, the only place these scripts start servers. */
export function isLoopback(url) {
  const { hostname } = new URL(url)
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]'
}
