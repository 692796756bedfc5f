/** Field checks for the rate-limit configuration; each throws a ConfigError naming the field. */
import { ConfigError } from '../errors'
import type { Route, TierLimit } from './policies'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Maximum window of a policy, in seconds (one day). */
const MAX_WINDOW = 86_400

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Rejects keys outside `allowed`, so a misspelt field fails instead of being ignored. */
export function checkKeys(
  value: Record<string, unknown>,
  field: string,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${field}.${key}`,
        value[key],
        `one of the fields ${allowed.join(', ')}`,
      )
    }
  }
}

/** Merges a tier's override over its default; a new policy has no default, so all are needed. */
export function parseTierLimit(
  value: unknown,
  base: TierLimit | undefined,
  field: string,
): TierLimit {
  const entry = value ?? {}
  if (!isRecord(entry)) throw new ConfigError(field, entry, 'an object with limit, window, burst')
  checkKeys(entry, field, ['limit', 'window', 'burst'])

  const limit = positiveInteger(entry.limit ?? base?.limit, `${field}.limit`)
  const window = positiveInteger(entry.window ?? base?.window, `${field}.window`)
  if (window > MAX_WINDOW) {
    throw new ConfigError(`${field}.window`, window, `at most ${MAX_WINDOW} seconds`)
  }

  const burst = positiveInteger(entry.burst ?? base?.burst, `${field}.burst`)
  if (burst > limit) {
    throw new ConfigError(
      `${field}.burst`,
      burst,
      `a positive integer no greater than limit (${limit})`,
    )
  }
  return { limit, window, burst }
}

/**
 * Returns a policy's lease: a whole number of units, or a fraction between 0 and 1 of each
 * tier's burst. An absent value keeps `base`.
 */
export function parseLease(
  value: unknown,
  base: number | undefined,
  field: string,
): number | undefined {
  if (value === undefined) return base

  const valid = typeof value === 'number' && value > 0 && (value < 1 || Number.isSafeInteger(value))
  if (!valid) {
    throw new ConfigError(`${field}.lease`, value, 'a whole number of units or a fraction below 1')
  }
  return value
}

export function parseRoute(value: unknown, field: string): Route {
  if (!isRecord(value)) throw new ConfigError(field, value, 'an object with prefix and policy')
  checkKeys(value, field, ['methods', 'prefix', 'policy', 'cost'])

  const prefix = value.prefix
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) {
    throw new ConfigError(`${field}.prefix`, prefix, 'a path prefix starting with /')
  }

  const policy = value.policy
  if (policy !== null && typeof policy !== 'string') {
    throw new ConfigError(`${field}.policy`, policy, 'a policy name or null')
  }

  const cost = positiveInteger(value.cost ?? 1, `${field}.cost`)
  return { methods: parseMethods(value.methods, `${field}.methods`), prefix, policy, cost }
}

function parseMethods(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined

  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((method) => typeof method === 'string' && METHODS.includes(method))
  if (!valid) throw new ConfigError(field, value, `a non-empty array of ${METHODS.join(', ')}`)
  return value as string[]
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(field, value, 'a positive integer')
  }
  return value
}
