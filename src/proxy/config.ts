/**
 * Reads the proxy's bindings: the two origins with their backups and timeouts, the request body
 * limit, the origin identity secret, the CORS allowlist and the Solana RPC endpoints. Every
 * invalid value throws a ConfigError naming the field and the value.
 */
import type { Env } from '../env'
import { ConfigError } from '../errors'
import { loadRpcConfig, type RpcConfig } from './rpc-config'
import { parseOriginList, parsePositiveInteger, parseUrl } from './parse'

export type OriginName = 'web' | 'api'

export interface OriginConfig {
  name: OriginName
  /** Base URL; the request's path and query are appended to it unchanged. */
  url: string
  /** Tried when `url` fails, for idempotent requests without a body only. */
  backupUrl: string | undefined
  /** Time allowed for the origin to send its response headers, in milliseconds. */
  timeoutMs: number
}

export interface ProxyConfig {
  web: OriginConfig
  api: OriginConfig
  /** Largest request body forwarded to an origin, in bytes. */
  maxBodyBytes: number
  /** HS256 key for the `x-edge-identity` token; without it no identity token is sent. */
  identitySecret: string | undefined
  /** Browser origins that get CORS headers, each `scheme://host[:port]`. */
  corsAllowedOrigins: readonly string[]
  rpc: RpcConfig
}

/** Default time an origin has to send its response headers. */
export const DEFAULT_ORIGIN_TIMEOUT_MS = 30_000

/** Default request body limit: 100 MB, the body size Cloudflare's Free and Pro plans accept. */
export const DEFAULT_MAX_BODY_BYTES = 100_000_000

/** Validates the proxy's bindings; `secure` requires https for every origin URL. */
export function loadProxyConfig(env: Env, context: { secure: boolean }): ProxyConfig {
  const { secure } = context
  return {
    web: loadOrigin(
      'web',
      env.WEB_ORIGIN,
      env.WEB_ORIGIN_BACKUP,
      env.WEB_ORIGIN_TIMEOUT_MS,
      secure,
    ),
    api: loadOrigin(
      'api',
      env.API_ORIGIN,
      env.API_ORIGIN_BACKUP,
      env.API_ORIGIN_TIMEOUT_MS,
      secure,
    ),
    maxBodyBytes: parsePositiveInteger(
      'PROXY_MAX_BODY_BYTES',
      env.PROXY_MAX_BODY_BYTES,
      DEFAULT_MAX_BODY_BYTES,
    ),
    identitySecret: loadIdentitySecret(env.ORIGIN_SHARED_SECRET),
    corsAllowedOrigins: parseOriginList('CORS_ALLOWED_ORIGINS', env.CORS_ALLOWED_ORIGINS, secure),
    rpc: loadRpcConfig(env, { secure }),
  }
}

function loadOrigin(
  name: OriginName,
  url: string | undefined,
  backupUrl: string | undefined,
  timeout: string | undefined,
  secure: boolean,
): OriginConfig {
  const prefix = name.toUpperCase()
  const field = `${prefix}_ORIGIN`
  if (!url) throw new ConfigError(field, url, 'an http(s) URL')

  return {
    name,
    url: parseUrl(field, url, secure),
    backupUrl: backupUrl ? parseUrl(`${field}_BACKUP`, backupUrl, secure) : undefined,
    timeoutMs: parsePositiveInteger(`${field}_TIMEOUT_MS`, timeout, DEFAULT_ORIGIN_TIMEOUT_MS),
  }
}

function loadIdentitySecret(secret: string | undefined): string | undefined {
  if (!secret) return undefined

  // RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output (32 bytes).
  if (new TextEncoder().encode(secret).length < 32) {
    throw new ConfigError('ORIGIN_SHARED_SECRET', '(hidden)', 'at least 32 bytes')
  }
  return secret
}
