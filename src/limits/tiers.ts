/** The access tiers, lowest first. A caller without a session is ANONYMOUS. */
export const TIERS = ['ANONYMOUS', 'WAITLIST', 'EARLY_ACCESS', 'BETA', 'ALPHA', 'ADMIN'] as const
export type Tier = (typeof TIERS)[number]

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value)
}

/** Returns true when `tier` is at least `required` in the order above. */
export function tierAtLeast(tier: Tier, required: Tier): boolean {
  return TIERS.indexOf(tier) >= TIERS.indexOf(required)
}
