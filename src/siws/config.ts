/**
 * Reads and validates the sign-in, session and tier settings. Every invalid value throws a
 * ConfigError naming the binding. The JWT secrets and RPC URLs are checked, but their values never
 * appear in an error.
 */
import type { Cluster } from '../cluster'
import type { Env } from '../env'
import { ConfigError } from '../errors'
import { isTier, type Tier } from '../limits/tiers'
import { decodeBase58 } from './encoding'

export interface SiwsConfig {
  jwtSecret: string
  /** The secret before the last rotation: verifies tokens, never signs them. */
  jwtPreviousSecret: string | undefined
  issuer: string
  secure: boolean
  cluster: Cluster
  sessionTtlSeconds: number
  challengeTtlSeconds: number
  clockSkewSeconds: number
  statement: string | undefined
  /** Paths where a token may arrive as `?token=` (EventSource cannot send headers). */
  streamingPaths: readonly string[]
  /** Page path prefix to the minimum tier that may open it. */
  pageGates: ReadonlyArray<{ prefix: string; tier: Tier }>
  tiers: TierConfig
}

export interface TierConfig {
  overrides: ReadonlyMap<string, Tier>
  defaultTier: Tier
  /** SPL token whose balance sets the tier; undefined turns the balance lookup off. */
  tokenMint: string | undefined
  /** Minimum whole-token balance per tier, highest first. */
  thresholds: ReadonlyArray<{ tier: Tier; minimum: number }>
  rpcUrl: string
  cacheSeconds: number
}

export const TOKEN_ISSUER = 'solana-edge-gateway'
const MIN_SECRET_LENGTH = 32
const DEFAULT_STREAMING_PATHS = ['/api/stream', '/api/events']
const DEFAULT_PAGE_GATES: Record<string, Tier> = {
  '/dashboard': 'EARLY_ACCESS',
  '/agents': 'EARLY_ACCESS',
  '/analytics': 'EARLY_ACCESS',
  '/settings': 'EARLY_ACCESS',
}

/** Builds the SiwsConfig from the bindings, throwing ConfigError on the first invalid one. */
export function loadSiwsConfig(
  env: Env,
  context: { secure: boolean; cluster: Cluster },
): SiwsConfig {
  return {
    jwtSecret: readSecret('JWT_SECRET', env.JWT_SECRET, true) as string,
    jwtPreviousSecret: readSecret('JWT_SECRET_PREVIOUS', env.JWT_SECRET_PREVIOUS, false),
    issuer: TOKEN_ISSUER,
    secure: context.secure,
    cluster: context.cluster,
    sessionTtlSeconds: readInteger('SESSION_TTL_SECONDS', env.SESSION_TTL_SECONDS, 3600, 60, 86400),
    challengeTtlSeconds: readInteger(
      'SIWS_CHALLENGE_TTL_SECONDS',
      env.SIWS_CHALLENGE_TTL_SECONDS,
      300,
      1,
      3600,
    ),
    clockSkewSeconds: readInteger(
      'SIWS_CLOCK_SKEW_SECONDS',
      env.SIWS_CLOCK_SKEW_SECONDS,
      60,
      0,
      300,
    ),
    statement: readStatement(env.SIWS_STATEMENT),
    streamingPaths: readPaths('STREAMING_PATHS', env.STREAMING_PATHS),
    pageGates: readPageGates(env.PAGE_GATES),
    tiers: readTierConfig(env, context.cluster),
  }
}

function readSecret(field: string, value: string | undefined, required: boolean) {
  if (value === undefined || value === '') {
    if (required) throw new ConfigError(field, '(missing)', 'a secret of at least 32 characters')
    return undefined
  }

  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(field, `(${value.length} characters)`, 'at least 32 characters')
  }
  return value
}

function readInteger(
  field: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback

  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(field, value, `an integer from ${min} to ${max}`)
  }
  return parsed
}

function readStatement(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined

  if (/[\r\n]/.test(value)) {
    throw new ConfigError('SIWS_STATEMENT', value, 'one line of text without line breaks')
  }
  return value
}

function readPaths(field: string, value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return DEFAULT_STREAMING_PATHS

  const paths = value.split(',').map((path) => path.trim())
  for (const path of paths) {
    if (!isPathPrefix(path))
      throw new ConfigError(field, value, 'comma-separated paths like /api/stream')
  }
  return paths
}

function readPageGates(value: string | undefined): Array<{ prefix: string; tier: Tier }> {
  const table =
    value === undefined || value.trim() === '' ? DEFAULT_PAGE_GATES : parseJson('PAGE_GATES', value)
  const expected = 'a JSON object mapping page path prefixes to tiers'
  if (!isPlainObject(table)) throw new ConfigError('PAGE_GATES', value, expected)

  return Object.entries(table).map(([prefix, tier]) => {
    if (!isPathPrefix(prefix) || !isTier(tier)) throw new ConfigError('PAGE_GATES', value, expected)
    return { prefix: prefix.toLowerCase(), tier }
  })
}

function readTierConfig(env: Env, cluster: Cluster): TierConfig {
  const tokenMint = env.TIER_TOKEN_MINT || undefined
  if (tokenMint !== undefined && !decodeBase58(tokenMint, 32).ok) {
    throw new ConfigError('TIER_TOKEN_MINT', tokenMint, 'a base58 mint address of 32 bytes')
  }

  return {
    overrides: readOverrides(env.TIER_OVERRIDES),
    defaultTier: readDefaultTier(env.DEFAULT_TIER),
    tokenMint,
    thresholds: readThresholds(env.TIER_TOKEN_THRESHOLDS, tokenMint),
    rpcUrl: readRpcUrl(env, cluster),
    cacheSeconds: readInteger('TIER_CACHE_SECONDS', env.TIER_CACHE_SECONDS, 300, 0, 86400),
  }
}

function readOverrides(value: string | undefined): Map<string, Tier> {
  const overrides = new Map<string, Tier>()
  if (value === undefined || value.trim() === '') return overrides

  const table = parseJson('TIER_OVERRIDES', value)
  const expected = 'a JSON object mapping base58 wallet addresses to tiers'
  if (!isPlainObject(table)) throw new ConfigError('TIER_OVERRIDES', value, expected)

  for (const [address, tier] of Object.entries(table)) {
    if (!decodeBase58(address, 32).ok || !isTier(tier)) {
      throw new ConfigError('TIER_OVERRIDES', value, expected)
    }
    overrides.set(address, tier)
  }
  return overrides
}

function readDefaultTier(value: string | undefined): Tier {
  if (value === undefined || value === '') return 'WAITLIST'

  if (!isTier(value) || value === 'ANONYMOUS') {
    throw new ConfigError('DEFAULT_TIER', value, 'a signed-in tier such as WAITLIST')
  }
  return value
}

function readThresholds(value: string | undefined, tokenMint: string | undefined) {
  if (value === undefined || value.trim() === '') {
    if (tokenMint !== undefined) {
      throw new ConfigError(
        'TIER_TOKEN_THRESHOLDS',
        '(missing)',
        'thresholds when TIER_TOKEN_MINT is set',
      )
    }
    return []
  }

  const table = parseJson('TIER_TOKEN_THRESHOLDS', value)
  const expected = 'a JSON object mapping tiers to minimum token balances'
  if (!isPlainObject(table)) throw new ConfigError('TIER_TOKEN_THRESHOLDS', value, expected)

  const thresholds = Object.entries(table).map(([tier, minimum]) => {
    if (!isTier(tier) || typeof minimum !== 'number' || !(minimum >= 0)) {
      throw new ConfigError('TIER_TOKEN_THRESHOLDS', value, expected)
    }
    return { tier, minimum }
  })
  return thresholds.sort((a, b) => b.minimum - a.minimum)
}

/** TIER_RPC_URL, else SOLANA_RPC_URL, else the cluster's public endpoint. */
function readRpcUrl(env: Env, cluster: Cluster): string {
  const field = env.TIER_RPC_URL ? 'TIER_RPC_URL' : 'SOLANA_RPC_URL'
  const value = env.TIER_RPC_URL || env.SOLANA_RPC_URL
  if (value === undefined || value === '') return cluster.rpcUrl

  try {
    const url = new URL(value)
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString()
  } catch {
    // Falls through to the ConfigError below.
  }
  // The URL may carry a provider's API key, so the error leaves the value out.
  throw new ConfigError(field, '(not shown)', 'an http or https URL')
}

function parseJson(field: string, value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    throw new ConfigError(field, value, 'valid JSON')
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPathPrefix(path: string): boolean {
  return /^\/[A-Za-z0-9._~\-/]*$/.test(path) && !path.startsWith('//')
}
