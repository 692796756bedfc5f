/**
 * AlertMonitor: one Durable Object per deployment that keeps the rolling request windows in
 * SQLite and evaluates the alert rules (src/ops/alert-rules.ts) on an alarm every minute.
 * Isolates report batches of per-minute buckets with `report`. Alerts go to the PagerDuty-style
 * webhook once per incident. An incident's state changes only after its event was accepted, so a
 * failed delivery is retried on the next alarm. Without a webhook, alerts are only logged.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import {
  decideActions,
  evaluateRules,
  type AlertAction,
  type RuleResult,
  type Windows,
} from './alert-rules'
import { pagerDutyEvent, sendEvent, type Delivery } from './pagerduty'
import {
  dayOf,
  dayOfMinute,
  invalidBucket,
  mergeBuckets,
  minuteOf,
  type MinuteBucket,
} from './windows'

export const EVALUATION_INTERVAL_MS = 60_000

/** Minute buckets older than this are deleted; the rules read the last few minutes only. */
const KEEP_MINUTES = 60

/** Daily counts kept: the trailing week, the day before it and today. */
const KEEP_DAYS = 9

/** Largest batch one `report` call accepts. */
const MAX_BATCH = 100

export interface Evaluation {
  results: RuleResult[]
  actions: { rule: string; action: 'trigger' | 'resolve'; delivered: boolean }[]
}

export class AlertMonitor extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    const sql = ctx.storage.sql
    sql.exec(`CREATE TABLE IF NOT EXISTS minutes (
      minute INTEGER PRIMARY KEY, requests INTEGER, errors INTEGER, histogram TEXT)`)
    sql.exec('CREATE TABLE IF NOT EXISTS days (day INTEGER PRIMARY KEY, requests INTEGER)')
    sql.exec('CREATE TABLE IF NOT EXISTS incidents (rule TEXT PRIMARY KEY, opened_at INTEGER)')
  }

  /** Adds a batch of minute buckets and makes sure the evaluation alarm is scheduled. */
  async report(buckets: MinuteBucket[]): Promise<void> {
    if (!Array.isArray(buckets) || buckets.length > MAX_BATCH) {
      throw new TypeError(`a report is an array of at most ${MAX_BATCH} buckets`)
    }
    for (const bucket of buckets) {
      const problem = invalidBucket(bucket)
      if (problem) throw new TypeError(`invalid bucket: ${problem}`)
    }

    for (const bucket of buckets) this.#add(bucket)
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + EVALUATION_INTERVAL_MS)
    }
  }

  /** Evaluates the rules at `now`, sends what changed and returns what it did. */
  async evaluate(now: number): Promise<Evaluation> {
    const results = evaluateRules(this.#windows(), now)
    const open = new Set(this.openIncidents())
    const actions: Evaluation['actions'] = []
    for (const action of decideActions(results, open)) {
      const delivered = await this.#deliver(action, now)
      if (delivered) this.#record(action, now)
      actions.push({ rule: action.result.rule, action: action.action, delivered })
    }
    return { results, actions }
  }

  /** Returns the rules with an open incident. */
  openIncidents(): string[] {
    const rows = this.ctx.storage.sql.exec<{ rule: string }>('SELECT rule FROM incidents')
    return rows.toArray().map((row) => row.rule)
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    try {
      await this.evaluate(now)
      this.#prune(now)
    } finally {
      await this.ctx.storage.setAlarm(now + EVALUATION_INTERVAL_MS)
    }
  }

  #add(bucket: MinuteBucket): void {
    const sql = this.ctx.storage.sql
    const stored = sql
      .exec<{ requests: number; errors: number; histogram: string }>(
        'SELECT requests, errors, histogram FROM minutes WHERE minute = ?',
        bucket.minute,
      )
      .toArray()
      .map((row) => ({ ...row, minute: bucket.minute, histogram: JSON.parse(row.histogram) }))
    const merged = mergeBuckets(bucket.minute, [...stored, bucket])

    sql.exec(
      'INSERT OR REPLACE INTO minutes (minute, requests, errors, histogram) VALUES (?, ?, ?, ?)',
      merged.minute,
      merged.requests,
      merged.errors,
      JSON.stringify(merged.histogram),
    )
    sql.exec(
      `INSERT INTO days (day, requests) VALUES (?, ?)
       ON CONFLICT (day) DO UPDATE SET requests = requests + excluded.requests`,
      dayOfMinute(bucket.minute),
      bucket.requests,
    )
  }

  #windows(): Windows {
    const sql = this.ctx.storage.sql
    const minutes = sql
      .exec<{ minute: number; requests: number; errors: number; histogram: string }>(
        'SELECT minute, requests, errors, histogram FROM minutes',
      )
      .toArray()
      .map((row) => ({ ...row, histogram: JSON.parse(row.histogram) as number[] }))
    const dayRows = sql.exec<{ day: number; requests: number }>('SELECT day, requests FROM days')
    const days = new Map(dayRows.toArray().map((row) => [row.day, row.requests]))
    const firstDay = days.size === 0 ? undefined : Math.min(...days.keys())
    return { minutes, days, firstDay }
  }

  async #deliver(action: AlertAction, now: number): Promise<boolean> {
    const delivery = this.#delivery()
    const line = { event: 'alert', rule: action.result.rule, action: action.action }
    const summary = action.result.summary
    if (!delivery) {
      log('warn', { ...line, summary, delivered: false, reason: 'no webhook configured' })
      return true
    }

    const failure = await sendEvent(delivery.url, pagerDutyEvent(action, delivery, now))
    log(failure ? 'error' : 'warn', { ...line, summary, delivered: !failure, reason: failure })
    return failure === undefined
  }

  #delivery(): Delivery | undefined {
    const url = this.env.ALERT_WEBHOOK_URL
    const routingKey = this.env.PAGERDUTY_ROUTING_KEY
    if (!url || !routingKey) return undefined
    return { url, routingKey, source: `gateway/${this.env.ENVIRONMENT}/${this.env.SOLANA_CLUSTER}` }
  }

  #record(action: AlertAction, now: number): void {
    const sql = this.ctx.storage.sql
    const rule = action.result.rule
    if (action.action === 'trigger') {
      sql.exec('INSERT OR REPLACE INTO incidents (rule, opened_at) VALUES (?, ?)', rule, now)
    } else {
      sql.exec('DELETE FROM incidents WHERE rule = ?', rule)
    }
  }

  #prune(now: number): void {
    const sql = this.ctx.storage.sql
    sql.exec('DELETE FROM minutes WHERE minute <= ?', minuteOf(now) - KEEP_MINUTES)
    sql.exec('DELETE FROM days WHERE day <= ?', dayOf(now) - KEEP_DAYS)
  }
}

// Alert lines use console.warn and console.error, so they stay apart from the access log lines
// that console.log carries.
function log(level: 'warn' | 'error', fields: Record<string, unknown>): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, ...fields })
  if (level === 'error') console.error(line)
  else console.warn(line)
}
