/**
 * Alert delivery in the PagerDuty Events API v2 format
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). One dedup key per rule
 * and deployment ties a trigger to its resolve, so one incident stays one page.
 */
import type { AlertAction } from './alert-rules'

export interface PagerDutyEvent {
  routing_key: string
  event_action: 'trigger' | 'resolve'
  dedup_key: string
  payload: {
    summary: string
    source: string
    severity: string
    timestamp: string
    component: string
    custom_details: Record<string, number | string>
  }
}

export interface Delivery {
  url: string
  routingKey: string
  /** Names the deployment in the alert, for example `solana-edge-gateway production devnet`. */
  source: string
}

/** Time the webhook has to accept an event, in milliseconds. */
export const DELIVERY_TIMEOUT_MS = 5000

/** PagerDuty caps `summary` at 1024 characters. */
const MAX_SUMMARY = 1024

/** Builds the event for one action at `now` (milliseconds since the Unix epoch). */
export function pagerDutyEvent(
  action: AlertAction,
  delivery: Omit<Delivery, 'url'>,
  now: number,
): PagerDutyEvent {
  const { result } = action
  const prefix = action.action === 'resolve' ? 'Resolved: ' : ''
  return {
    routing_key: delivery.routingKey,
    event_action: action.action,
    dedup_key: `${delivery.source}/${result.rule}`,
    payload: {
      summary: `${prefix}${delivery.source}: ${result.summary}`.slice(0, MAX_SUMMARY),
      source: delivery.source,
      severity: result.severity,
      timestamp: new Date(now).toISOString(),
      component: result.rule,
      custom_details: result.details,
    },
  }
}

/** Posts one event; resolves to undefined when accepted, else to the reason it was not. */
export async function sendEvent(url: string, event: PagerDutyEvent): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    })
    await response.body?.cancel()
    return response.ok ? undefined : `webhook returned HTTP ${response.status}`
  } catch (error) {
    return `webhook request failed (${error instanceof Error ? error.name : typeof error})`
  }
}
