import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import type { PagerDutyEvent } from '../../src/ops/pagerduty'
import { addRequest, emptyBucket, minuteOf, type MinuteBucket } from '../../src/ops/windows'
import { bindings, callGateway } from './helpers'

const ops = inject('opsServer')

/** A fresh monitor object, so no test sees another one's windows or incidents. */
function freshMonitor() {
  const namespace = bindings.ALERT_MONITOR!
  return namespace.get(namespace.idFromName(`test-${crypto.randomUUID()}`))
}

/** A distinct evaluation time per test, so its webhook events can be told apart. */
function testTime(): number {
  return Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1e9) * 1000
}

function bucket(now: number, requests: number, errors: number): MinuteBucket {
  const result = emptyBucket(minuteOf(now))
  for (let i = 0; i < requests; i++) addRequest(result, i < errors ? 503 : 200, 20)
  return result
}

async function eventsAt(now: number): Promise<PagerDutyEvent[]> {
  const response = await fetch(`${ops}/alerts/received`)
  const events = await response.json<PagerDutyEvent[]>()
  return events.filter((event) => event.payload.timestamp === new Date(now).toISOString())
}

describe('AlertMonitor', () => {
  it('triggers an error-rate alert in the PagerDuty format', async () => {
    const monitor = freshMonitor()
    const now = testTime()
    await monitor.report([bucket(now, 200, 40)])
    await monitor.evaluate(now)

    const [event] = await eventsAt(now)
    expect(event?.event_action).toBe('trigger')
    expect(event?.routing_key).toBe(bindings.PAGERDUTY_ROUTING_KEY)
    expect(event?.dedup_key).toBe('gateway/development/devnet/error_rate')
    expect(event?.payload.severity).toBe('critical')
    expect(event?.payload.source).toBe('gateway/development/devnet')
    expect(event?.payload.custom_details.errors).toBe(40)
  })

  it('alerts once per incident', async () => {
    const monitor = freshMonitor()
    const now = testTime()
    await monitor.report([bucket(now, 200, 40)])
    await monitor.evaluate(now)
    const second = await monitor.evaluate(now)
    expect(second.actions).toEqual([])
  })

  it('resolves the incident when the error rate clears', async () => {
    const monitor = freshMonitor()
    const start = testTime()
    await monitor.report([bucket(start, 200, 40)])
    await monitor.evaluate(start)

    const later = start + 10 * 60_000
    await monitor.report([bucket(later, 200, 0)])
    await monitor.evaluate(later)
    const [event] = await eventsAt(later)
    expect(event?.event_action).toBe('resolve')
    expect(event?.dedup_key).toBe('gateway/development/devnet/error_rate')
  })

  it('retries a delivery the webhook rejected', async () => {
    const monitor = freshMonitor()
    const now = testTime()
    await monitor.report([bucket(now, 200, 40)])
    await fetch(`${ops}/alerts/fail?count=1`, { method: 'POST' })

    const first = await monitor.evaluate(now)
    expect(first.actions).toEqual([{ rule: 'error_rate', action: 'trigger', delivered: false }])
    const second = await monitor.evaluate(now)
    expect(second.actions).toEqual([{ rule: 'error_rate', action: 'trigger', delivered: true }])
  })

  it('rejects a malformed report', async () => {
    const monitor = freshMonitor()
    const bad = { ...bucket(Date.now(), 3, 0), requests: 4 }
    const report = runInDurableObject(monitor, (instance) => instance.report([bad]))
    await expect(report).rejects.toThrow('histogram counts do not add up')
  })

  it('schedules its alarm on the first report', async () => {
    const monitor = freshMonitor()
    await monitor.report([bucket(Date.now(), 1, 0)])
    const alarm = await runInDurableObject(monitor, (_, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
  })

  it('opens an incident when its alarm runs', async () => {
    const monitor = freshMonitor()
    await monitor.report([bucket(Date.now(), 150, 150)])
    expect(await runDurableObjectAlarm(monitor)).toBe(true)
    expect(await monitor.openIncidents()).toEqual(['error_rate'])
  })

  it('schedules the next evaluation after an alarm', async () => {
    const monitor = freshMonitor()
    await monitor.report([bucket(Date.now(), 1, 0)])
    await runDurableObjectAlarm(monitor)
    const alarm = await runInDurableObject(monitor, (_, state) => state.storage.getAlarm())
    expect(alarm).toBeGreaterThan(Date.now())
  })
})

describe('request reporting', () => {
  it('reports gateway requests to the deployment monitor', async () => {
    const namespace = bindings.ALERT_MONITOR!
    const monitor = namespace.get(namespace.idFromName('gateway'))
    const count = () =>
      runInDurableObject(monitor, (_, state) => {
        const rows = state.storage.sql.exec<{ n: number }>('SELECT SUM(requests) AS n FROM days')
        return rows.one().n ?? 0
      })

    const before = await count()
    // The per-isolate batch is due after at most 100 requests.
    for (let i = 0; i < 100; i++) await callGateway('/_edge/health')
    expect(await count()).toBeGreaterThan(before)
  })
})
