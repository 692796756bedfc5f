/**
 * Readiness: whether the gateway can serve traffic now. It checks the configured limiter backend
 * (the Durable Object or Upstash) with a read-only `peek` and each origin's health path, in
 * parallel, each within a time limit.
 * A probe never throws: every failure becomes `{ok: false, reason}`.
 */
import type { Config } from '../config'
import type { Env } from '../env'
import { limiterFor, type LimiterBackend } from '../limits/backend'
import type { OriginConfig } from '../proxy/config'

export interface CheckResult {
  ok: boolean
  reason?: string
}

export interface Readiness {
  status: 'ready' | 'not_ready'
  checks: { limiter: CheckResult; web: CheckResult; api: CheckResult }
}

/** Time each dependency has to respond, in milliseconds. */
export const READY_TIMEOUT_MS = 2000

/** How long one isolate reuses a result, so a flood of probes costs one round of checks. */
const CACHE_MS = 5000

// A rate the health key is peeked with; `peek` writes nothing, so the values only need to be valid.
const HEALTH_RATE = { limit: 1, windowMs: 1000, burst: 1 }

const cache = new WeakMap<Config, { at: number; result: Promise<Readiness> }>()

/** Returns the gateway's readiness, computed at most once per CACHE_MS for this Config. */
export function readiness(env: Env, config: Config, now = Date.now()): Promise<Readiness> {
  const cached = cache.get(config)
  if (cached && now - cached.at < CACHE_MS) return cached.result

  const result = checkAll(env, config)
  cache.set(config, { at: now, result })
  return result
}

async function checkAll(env: Env, config: Config): Promise<Readiness> {
  const paths = config.healthPaths
  const [limiter, web, api] = await Promise.all([
    checkLimiter(limiterFor(env, config.limits), `${config.limits.keyPrefix}:health`),
    checkOrigin(config.proxy.web, paths.web),
    checkOrigin(config.proxy.api, paths.api),
  ])

  const ready = limiter.ok && web.ok && api.ok
  return { status: ready ? 'ready' : 'not_ready', checks: { limiter, web, api } }
}

/**
 * Peeks `key` on the limiter backend; it reads state and never consumes an allowance. The
 * backend's own call timeout (shorter than READY_TIMEOUT_MS) bounds it.
 */
export async function checkLimiter(backend: LimiterBackend, key: string): Promise<CheckResult> {
  const result = await backend.peek(key, HEALTH_RATE)
  return result.ok ? { ok: true } : { ok: false, reason: result.reason }
}

/**
 * Fetches the origin's health path. Ready means a 2xx JSON body in which no `status` field, at
 * any depth, is "degraded".
 */
export async function checkOrigin(
  origin: OriginConfig,
  path: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<CheckResult> {
  let response: Response
  try {
    const url = new URL(path, origin.url)
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return { ok: false, reason: timedOut ? `timed out after ${timeoutMs} ms` : 'unreachable' }
  }

  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel()
    return { ok: false, reason: `HTTP ${response.status}` }
  }
  return judgeBody(response)
}

async function judgeBody(response: Response): Promise<CheckResult> {
  let text: string
  try {
    text = await response.text()
  } catch {
    return { ok: false, reason: 'the health body was cut off' }
  }

  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'the health body is not JSON' }
  }
  return reportsDegraded(body) ? { ok: false, reason: 'reports degraded' } : { ok: true }
}

/** True when `value` has a `status` of "degraded" at any depth. */
export function reportsDegraded(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(reportsDegraded)
  if (typeof value !== 'object' || value === null) return false
  if (Reflect.get(value, 'status') === 'degraded') return true
  return Object.values(value).some(reportsDegraded)
}
