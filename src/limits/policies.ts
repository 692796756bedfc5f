/**
 * The default rate-limit policies and route table, as data. `loadLimitsConfig` merges the
 * optional `RATE_LIMIT_POLICIES` override over them and validates the result at start.
 */
import type { Rate } from './gcra'
import { TIERS, type Tier } from './tiers'

/** Behaviour when the limiter is unreachable: `open` allows the request, `closed` returns 503. */
export type FailureMode = 'open' | 'closed'

/** Whom a policy counts: the signed-in wallet (else the client IP), or always the client IP. */
export type SubjectKind = 'caller' | 'ip'

/** One tier's allowance: `limit` units per `window` seconds, at most `burst` of them at once. */
export interface TierLimit {
  limit: number
  window: number
  burst: number
}

export interface Policy {
  failureMode: FailureMode
  subject: SubjectKind
  tiers: Record<Tier, TierLimit>
  /**
   * Units an isolate takes per limiter call and serves locally (src/limits/lease.ts): a whole
   * number of units, or a fraction of each tier's burst. Only for policies that fail open.
   */
  lease?: number
}

/** A route: requests whose method and path prefix match cost `cost` units of `policy`. */
export interface Route {
  /** Upper-case methods, or undefined for every method. */
  methods: readonly string[] | undefined
  prefix: string
  /** Policy name, or null for routes no policy limits. */
  policy: string | null
  cost: number
}

/*
 * Default limits per tier. The middle tiers (EARLY_ACCESS, BETA) get the first user's existing
 * numbers. ANONYMOUS gets a quarter, WAITLIST half, ALPHA double and ADMIN ten times, rounded
 * down. Sign-in is counted per IP and mostly used before a session exists, so every tier shares
 * one number. Pages are mostly loaded by visitors without a session, so ANONYMOUS keeps the full
 * number. Burst equals the limit, except for the hourly policies, where it is a quarter of the
 * limit (rounded up) so that a client cannot spend an hour's allowance in one second.
 *
 * | policy         | window | failure | ANON | WAIT | EARLY | BETA | ALPHA | ADMIN |
 * | swap           | 60 s   | closed  |    2 |    5 |    10 |   10 |    20 |   100 |
 * | quote          | 60 s   | open    |   15 |   30 |    60 |   60 |   120 |   600 |
 * | api-read       | 60 s   | open    |   25 |   50 |   100 |  100 |   200 |  1000 |
 * | api-write      | 60 s   | closed  |    7 |   15 |    30 |   30 |    60 |   300 |
 * | social-publish | 3600 s | closed  |    5 |   10 |    20 |   20 |    40 |   200 |
 * | ai-generation  | 3600 s | closed  |    7 |   15 |    30 |   30 |    60 |   300 |
 * | siws (per IP)  | 60 s   | closed  |   20 |   20 |    20 |   20 |    20 |    20 |
 * | rpc            | 60 s   | closed  |   30 |   60 |   120 |  120 |   240 |  1200 |
 * | pages          | 60 s   | open    |  300 |  300 |   300 |  300 |   600 |  3000 |
 *
 * RPC fails closed because it can submit transactions and each call costs upstream credits.
 *
 * `api-read` and `pages` fail open and lease a tenth of the burst to each isolate, which spares
 * most of their limiter calls. Every other default policy is decided exactly on every request.
 */
const DEFAULT_LEASE = 0.1

const SCALE = [0.25, 0.5, 1, 1, 2, 10]

function scaled(base: number): number[] {
  return SCALE.map((factor) => Math.max(1, Math.floor(base * factor)))
}

function tiers(limits: number[], window: number, burstRatio = 1): Record<Tier, TierLimit> {
  const entries = TIERS.map((tier, index) => {
    const limit = limits[index] ?? 1
    return [tier, { limit, window, burst: Math.ceil(limit * burstRatio) }] as const
  })
  return Object.fromEntries(entries) as Record<Tier, TierLimit>
}

export const DEFAULT_POLICIES: Record<string, Policy> = {
  swap: { failureMode: 'closed', subject: 'caller', tiers: tiers(scaled(10), 60) },
  quote: { failureMode: 'open', subject: 'caller', tiers: tiers(scaled(60), 60) },
  'api-read': {
    failureMode: 'open',
    subject: 'caller',
    tiers: tiers(scaled(100), 60),
    lease: DEFAULT_LEASE,
  },
  'api-write': { failureMode: 'closed', subject: 'caller', tiers: tiers(scaled(30), 60) },
  'social-publish': {
    failureMode: 'closed',
    subject: 'caller',
    tiers: tiers(scaled(20), 3600, 0.25),
  },
  'ai-generation': {
    failureMode: 'closed',
    subject: 'caller',
    tiers: tiers(scaled(30), 3600, 0.25),
  },
  siws: { failureMode: 'closed', subject: 'ip', tiers: tiers([20, 20, 20, 20, 20, 20], 60) },
  rpc: { failureMode: 'closed', subject: 'caller', tiers: tiers(scaled(120), 60) },
  pages: {
    failureMode: 'open',
    subject: 'caller',
    tiers: tiers([300, 300, 300, 300, 600, 3000], 60),
    lease: DEFAULT_LEASE,
  },
}

/** Converts a tier's allowance to the GCRA rate, whose window is in milliseconds. */
export function rateOf(tierLimit: TierLimit): Rate {
  return { limit: tierLimit.limit, windowMs: tierLimit.window * 1000, burst: tierLimit.burst }
}

const READS = ['GET', 'HEAD', 'OPTIONS']

/** Checked in order; the first route whose method and prefix match decides. */
export const DEFAULT_ROUTES: readonly Route[] = [
  { methods: undefined, prefix: '/_edge/health', policy: null, cost: 1 },
  { methods: ['POST'], prefix: '/api/trading/swap', policy: 'swap', cost: 1 },
  { methods: undefined, prefix: '/api/trading/quote', policy: 'quote', cost: 1 },
  { methods: ['POST'], prefix: '/api/social/publish', policy: 'social-publish', cost: 1 },
  { methods: ['POST'], prefix: '/api/ai/', policy: 'ai-generation', cost: 1 },
  { methods: undefined, prefix: '/_edge/siws/', policy: 'siws', cost: 1 },
  { methods: ['POST'], prefix: '/_edge/rpc', policy: 'rpc', cost: 1 },
  { methods: READS, prefix: '/api/', policy: 'api-read', cost: 1 },
  { methods: undefined, prefix: '/api/', policy: 'api-write', cost: 1 },
  { methods: undefined, prefix: '/', policy: 'pages', cost: 1 },
]
