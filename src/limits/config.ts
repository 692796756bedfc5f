import type { Cluster } from '../cluster'
import type { Env } from '../env'

// Placeholder until the limits module lands.
export type LimitsConfig = Record<string, never>

export function loadLimitsConfig(_env: Env, _context: { cluster: Cluster }): LimitsConfig {
  return {}
}
