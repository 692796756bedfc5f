/**
 * Picks the tier a wallet signs in with: an address override from configuration first, then,
 * when a token mint is configured, the highest tier whose balance threshold the wallet meets,
 * then the default tier. A failed balance lookup falls back to the default tier with a reason.
 * Balances are cached per isolate for `cacheSeconds`, so the cache is per Worker instance.
 */
import type { Tier } from '../limits/tiers'
import type { TierConfig } from './config'
import { fetchTokenBalance } from './tier-rpc'

export interface TierResolution {
  tier: Tier
  source: 'override' | 'balance' | 'default'
  /** Cause of a failed balance lookup, for the log line. */
  reason?: string
}

const MAX_CACHE_ENTRIES = 10_000
const balances = new Map<string, { balance: number; expiresAt: number }>()

/** Resolves the tier for `address`; `now` is in ms since the epoch. */
export async function resolveTier(
  config: TierConfig,
  address: string,
  now: number,
): Promise<TierResolution> {
  const override = config.overrides.get(address)
  if (override !== undefined) return { tier: override, source: 'override' }

  if (config.tokenMint === undefined) return { tier: config.defaultTier, source: 'default' }

  const balance = await cachedBalance(config, config.tokenMint, address, now)
  if (!balance.ok) {
    return {
      tier: config.defaultTier,
      source: 'default',
      reason: `tier_lookup_failed: ${balance.reason}`,
    }
  }

  const reached = config.thresholds.find((threshold) => balance.balance >= threshold.minimum)
  if (reached === undefined) return { tier: config.defaultTier, source: 'default' }
  return { tier: reached.tier, source: 'balance' }
}

async function cachedBalance(config: TierConfig, mint: string, owner: string, now: number) {
  const key = `${config.rpcUrl} ${mint} ${owner}`
  const cached = balances.get(key)
  if (cached !== undefined && cached.expiresAt > now)
    return { ok: true as const, balance: cached.balance }

  const result = await fetchTokenBalance(config.rpcUrl, owner, mint)
  if (result.ok && config.cacheSeconds > 0) {
    if (balances.size >= MAX_CACHE_ENTRIES) balances.clear()
    balances.set(key, { balance: result.balance, expiresAt: now + config.cacheSeconds * 1000 })
  }
  return result
}
