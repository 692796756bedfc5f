import { describe, expect, it } from 'vitest'
import {
  decideActions,
  evaluateRules,
  type RuleResult,
  type Windows,
} from '../../src/ops/alert-rules'
import {
  addRequest,
  dayOf,
  emptyBucket,
  invalidBucket,
  minuteOf,
  quantileBound,
  type MinuteBucket,
} from '../../src/ops/windows'

const NOW = Date.UTC(2030, 0, 15, 12, 0, 30)

function bucketAt(minute: number, requests: number, errors: number, durationMs = 100) {
  const bucket = emptyBucket(minute)
  for (let i = 0; i < requests; i++) addRequest(bucket, i < errors ? 502 : 200, durationMs)
  return bucket
}

function windowsOf(minutes: MinuteBucket[], days = new Map<number, number>()): Windows {
  return { minutes, days, firstDay: days.size ? Math.min(...days.keys()) : undefined }
}

function ruleOf(results: RuleResult[], rule: string): RuleResult {
  const result = results.find((item) => item.rule === rule)
  if (!result) throw new Error(`no result for ${rule}`)
  return result
}

describe('error rate rule', () => {
  it('fires above 5 % over five minutes', () => {
    const minutes = [bucketAt(minuteOf(NOW), 100, 3), bucketAt(minuteOf(NOW) - 4, 100, 8)]
    expect(ruleOf(evaluateRules(windowsOf(minutes), NOW), 'error_rate').state).toBe('firing')
  })

  it('stays clear at exactly 5 %', () => {
    const minutes = [bucketAt(minuteOf(NOW), 200, 10)]
    expect(ruleOf(evaluateRules(windowsOf(minutes), NOW), 'error_rate').state).toBe('clear')
  })

  it('ignores minutes older than the window', () => {
    const minutes = [bucketAt(minuteOf(NOW) - 5, 100, 100), bucketAt(minuteOf(NOW), 100, 0)]
    expect(ruleOf(evaluateRules(windowsOf(minutes), NOW), 'error_rate').state).toBe('clear')
  })

  it('is unknown below the minimum request count', () => {
    const minutes = [bucketAt(minuteOf(NOW), 99, 99)]
    expect(ruleOf(evaluateRules(windowsOf(minutes), NOW), 'error_rate').state).toBe('unknown')
  })
})

describe('latency rule', () => {
  it('fires when more than 5 % of requests take over 2 s', () => {
    const slow = bucketAt(minuteOf(NOW), 6, 0, 2500)
    const fast = bucketAt(minuteOf(NOW) - 1, 94, 0, 100)
    const result = ruleOf(evaluateRules(windowsOf([slow, fast]), NOW), 'latency_p95')
    expect(result.state).toBe('firing')
  })

  it('stays clear when 5 % of requests take over 2 s', () => {
    const slow = bucketAt(minuteOf(NOW), 5, 0, 2500)
    const fast = bucketAt(minuteOf(NOW), 95, 0, 2000)
    const result = ruleOf(evaluateRules(windowsOf([slow, fast]), NOW), 'latency_p95')
    expect(result.state).toBe('clear')
  })
})

describe('traffic spike rule', () => {
  const today = dayOf(NOW)

  function history(todayCount: number, dailyCount = 1000) {
    const days = new Map<number, number>()
    for (let day = today - 7; day < today; day++) days.set(day, dailyCount)
    days.set(today, todayCount)
    return days
  }

  it('fires above twice the trailing daily mean', () => {
    const result = ruleOf(evaluateRules(windowsOf([], history(2001)), NOW), 'traffic_spike')
    expect(result.state).toBe('firing')
  })

  it('stays clear at twice the trailing daily mean', () => {
    const result = ruleOf(evaluateRules(windowsOf([], history(2000)), NOW), 'traffic_spike')
    expect(result.state).toBe('clear')
  })

  it('is unknown with less than seven days of history', () => {
    const days = history(5000)
    days.delete(today - 7)
    const result = ruleOf(evaluateRules(windowsOf([], days), NOW), 'traffic_spike')
    expect(result.state).toBe('unknown')
  })

  it('counts a day without requests as zero', () => {
    const days = history(1500)
    days.set(today - 3, 0)
    days.delete(today - 2)
    const result = ruleOf(evaluateRules(windowsOf([], days), NOW), 'traffic_spike')
    expect(result.details.trailing_daily_mean).toBe(5000 / 7)
  })
})

describe('decideActions', () => {
  const results = evaluateRules(windowsOf([bucketAt(minuteOf(NOW), 100, 50)]), NOW)

  it('triggers a firing rule without an open incident', () => {
    const actions = decideActions(results, new Set())
    expect(actions.map((item) => [item.action, item.result.rule])).toEqual([
      ['trigger', 'error_rate'],
    ])
  })

  it('sends nothing for a firing rule already open', () => {
    expect(decideActions(results, new Set(['error_rate']))).toEqual([])
  })

  it('resolves an open incident whose rule is clear', () => {
    const actions = decideActions(results, new Set(['latency_p95']))
    expect(actions.map((item) => [item.action, item.result.rule])).toContainEqual([
      'resolve',
      'latency_p95',
    ])
  })

  it('keeps an incident open while its rule is unknown', () => {
    const actions = decideActions(results, new Set(['traffic_spike']))
    expect(actions.some((item) => item.result.rule === 'traffic_spike')).toBe(false)
  })
})

describe('windows', () => {
  it('places the 95th percentile in its bucket', () => {
    const bucket = bucketAt(0, 100, 0, 40)
    expect(quantileBound(bucket.histogram, 0.95)).toBe(50)
  })

  it('reports a quantile above the last bound as Infinity', () => {
    const bucket = bucketAt(0, 10, 0, 60_000)
    expect(quantileBound(bucket.histogram, 0.95)).toBe(Infinity)
  })

  it('rejects a bucket whose histogram does not match its requests', () => {
    const bucket = { ...bucketAt(0, 10, 0), requests: 11 }
    expect(invalidBucket(bucket)).toBe('histogram counts do not add up to requests')
  })

  it('rejects a bucket with more errors than requests', () => {
    expect(invalidBucket({ ...bucketAt(0, 1, 0), errors: 2 })).toBe('errors exceed requests')
  })

  it('accepts a well-formed bucket', () => {
    expect(invalidBucket(bucketAt(5, 10, 2))).toBeUndefined()
  })
})
