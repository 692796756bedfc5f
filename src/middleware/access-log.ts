/**
 * Writes one structured JSON line per request, the only place the gateway logs a request.
 * The line contains the path without its query string, so `?token=` and similar values never reach
 * the log, and no header value is ever copied into it. The same outcome goes to the metrics
 * dataset and, batched per isolate, to the alert monitor.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { callerTier } from '../limits/subject'
import { writeMetrics, type RequestSample } from '../ops/metrics'
import { MONITOR_NAME, RequestReporter } from '../ops/request-reporter'
import type { AppEnv } from '../types'

const reporter = new RequestReporter()

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const started = Date.now()
    try {
      await next()
    } finally {
      const sample = sampleOf(c, started, Date.now())
      console.log(JSON.stringify(logLine(c, sample, started)))
      writeMetrics(c.env.METRICS, sample)
      reportToMonitor(c, sample, started + sample.durationMs)
    }
  }
}

function sampleOf(c: Context<AppEnv>, started: number, finished: number): RequestSample {
  const fields = c.get('log') ?? {}
  const config = c.get('config')
  return {
    pathname: c.get('url')?.pathname ?? new URL(c.req.url).pathname,
    status: c.res.status,
    durationMs: finished - started,
    policy: fields.policy,
    origin: fields.origin,
    tier: fields.tier ?? callerTier(c.get('session') ?? null),
    limit: fields.limit,
    cluster: config?.cluster.name ?? '',
  }
}

function logLine(c: Context<AppEnv>, sample: RequestSample, started: number) {
  const fields = c.get('log') ?? {}
  const status = sample.status
  return {
    time: new Date(started).toISOString(),
    level: levelOf(status),
    request_id: c.get('requestId'),
    method: c.req.method,
    route: sample.pathname,
    status,
    duration_ms: sample.durationMs,
    origin: fields.origin,
    tier: fields.tier,
    limit: fields.limit,
    reason: fields.reason,
  }
}

/** Hands a due batch to the monitor after the response; a failed report is dropped. */
function reportToMonitor(c: Context<AppEnv>, sample: RequestSample, now: number): void {
  const namespace = c.env.ALERT_MONITOR
  if (!namespace) return

  const batch = reporter.record(sample.status, sample.durationMs, now)
  if (!batch) return

  const stub = namespace.get(namespace.idFromName(MONITOR_NAME))
  const sent = stub.report(batch).catch(() => undefined)
  try {
    c.executionCtx.waitUntil(sent)
  } catch {
    // Without an execution context (a bare app.fetch call) the report just runs unattended.
  }
}

/** Returns the log level for a response status: error for 5xx, warn for 4xx, else info. */
function levelOf(status: number): 'error' | 'warn' | 'info' {
  if (status >= 500) return 'error'
  if (status >= 400) return 'warn'
  return 'info'
}
