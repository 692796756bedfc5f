/**
 * The alert rules and the actions they lead to. Pure: the windows and the time are arguments,
 * and each result states whether its rule is firing, clear, or unknown for lack of data.
 */
import {
  LATENCY_BOUNDS_MS,
  dayOf,
  mergeBuckets,
  minuteOf,
  quantileBound,
  type MinuteBucket,
} from './windows'

export type RuleName = 'error_rate' | 'latency_p95' | 'traffic_spike'
export type Severity = 'critical' | 'error' | 'warning'

export interface RuleResult {
  rule: RuleName
  /** `unknown` means too little data, so an open incident stays open and none is opened. */
  state: 'firing' | 'clear' | 'unknown'
  severity: Severity
  summary: string
  details: Record<string, number | string>
}

// NOTE: the rules see only requests that reach the Worker. An outage in front of it, with no
// requests at all, leaves every rule `unknown`; an external uptime probe has to cover that.
export interface Thresholds {
  windowMinutes: number
  /** Fewer requests than this in the window, or today, leave a rule `unknown`. */
  minRequests: number
  maxErrorRate: number
  /** Must be one of LATENCY_BOUNDS_MS, so the histogram decides the rule exactly. */
  maxP95Ms: number
  spikeFactor: number
  trailingDays: number
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  windowMinutes: 5,
  minRequests: 100,
  maxErrorRate: 0.05,
  maxP95Ms: 2000,
  spikeFactor: 2,
  trailingDays: 7,
}

export interface Windows {
  /** Minute buckets; those outside the rule window are ignored. */
  minutes: readonly MinuteBucket[]
  /** Requests per UTC day, keyed by days since the Unix epoch. */
  days: ReadonlyMap<number, number>
  /** The first day the monitor has data for. */
  firstDay: number | undefined
}

export interface AlertAction {
  action: 'trigger' | 'resolve'
  result: RuleResult
}

/** Evaluates every rule at `now` (milliseconds since the Unix epoch). */
export function evaluateRules(
  windows: Windows,
  now: number,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): RuleResult[] {
  if (!(LATENCY_BOUNDS_MS as readonly number[]).includes(thresholds.maxP95Ms)) {
    throw new RangeError(`maxP95Ms is ${thresholds.maxP95Ms}; expected one of LATENCY_BOUNDS_MS`)
  }

  const current = minuteOf(now)
  const inWindow = windows.minutes.filter(
    (bucket) => bucket.minute > current - thresholds.windowMinutes && bucket.minute <= current,
  )
  const window = mergeBuckets(current, inWindow)
  return [
    errorRate(window, thresholds),
    latency(window, thresholds),
    trafficSpike(windows, dayOf(now), thresholds),
  ]
}

function errorRate(window: MinuteBucket, thresholds: Thresholds): RuleResult {
  const { minRequests, maxErrorRate, windowMinutes } = thresholds
  const rate = window.requests === 0 ? 0 : window.errors / window.requests
  const percent = (rate * 100).toFixed(1)
  return {
    rule: 'error_rate',
    state: ruleState(window.requests >= minRequests, rate > maxErrorRate),
    severity: 'critical',
    summary: `5xx rate ${percent} % over ${windowMinutes} min (limit ${maxErrorRate * 100} %)`,
    details: { requests: window.requests, errors: window.errors, error_rate: rate },
  }
}

function latency(window: MinuteBucket, thresholds: Thresholds): RuleResult {
  const { minRequests, maxP95Ms, windowMinutes } = thresholds
  const bound = quantileBound(window.histogram, 0.95)
  const p95Text = Number.isFinite(bound) ? `<= ${bound} ms` : `> ${LATENCY_BOUNDS_MS.at(-1)} ms`
  return {
    rule: 'latency_p95',
    state: ruleState(window.requests >= minRequests, bound > maxP95Ms),
    severity: 'error',
    summary: `p95 latency ${p95Text} over ${windowMinutes} min (limit ${maxP95Ms} ms)`,
    details: { requests: window.requests, p95_bucket_ms: p95Text },
  }
}

/** Compares today's count so far with the mean of the previous `trailingDays` full days. */
function trafficSpike(windows: Windows, today: number, thresholds: Thresholds): RuleResult {
  const { minRequests, spikeFactor, trailingDays } = thresholds
  let trailing = 0
  for (let day = today - trailingDays; day < today; day++) trailing += windows.days.get(day) ?? 0
  const average = trailing / trailingDays
  const count = windows.days.get(today) ?? 0

  const firstDay = windows.firstDay
  const enoughHistory = firstDay !== undefined && firstDay <= today - trailingDays
  return {
    rule: 'traffic_spike',
    state: ruleState(enoughHistory && count >= minRequests, count > spikeFactor * average),
    severity: 'warning',
    summary: `${count} requests today against a ${trailingDays}-day mean of ${Math.round(average)}`,
    details: { requests_today: count, trailing_daily_mean: average, factor: spikeFactor },
  }
}

function ruleState(enoughData: boolean, firing: boolean): RuleResult['state'] {
  if (!enoughData) return 'unknown'
  return firing ? 'firing' : 'clear'
}

/** Returns a trigger for each firing rule without an open incident, a resolve for each cleared one. */
export function decideActions(
  results: readonly RuleResult[],
  open: ReadonlySet<string>,
): AlertAction[] {
  const actions: AlertAction[] = []
  for (const result of results) {
    if (result.state === 'firing' && !open.has(result.rule)) {
      actions.push({ action: 'trigger', result })
    }
    if (result.state === 'clear' && open.has(result.rule)) {
      actions.push({ action: 'resolve', result })
    }
  }
  return actions
}
