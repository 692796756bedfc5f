import type { Cluster } from '../cluster'
import type { Env } from '../env'

// Placeholder until the SIWS module lands.
export type SiwsConfig = Record<string, never>

export function loadSiwsConfig(
  _env: Env,
  _context: { secure: boolean; cluster: Cluster },
): SiwsConfig {
  return {}
}
