/**
 * Per-isolate batching of request outcomes for the AlertMonitor. `record` is synchronous and
 * cheap. It returns a batch once one is due, which the caller sends with `ctx.waitUntil`, so
 * the request never waits for the monitor.
 */
import { addRequest, emptyBucket, minuteOf, type MinuteBucket } from './windows'

export interface FlushPolicy {
  /** A batch is due after this many requests... */
  maxRequests: number
  /** ...or when this many milliseconds passed since the last batch. */
  maxAgeMs: number
}

export const DEFAULT_FLUSH: FlushPolicy = { maxRequests: 100, maxAgeMs: 5000 }

/** Name of the one AlertMonitor object each deployment reports to. */
export const MONITOR_NAME = 'gateway'

// NOTE: requests recorded since the last batch are lost when the runtime evicts an idle isolate,
// so the monitor can miss up to `maxRequests - 1` requests or `maxAgeMs` of traffic per isolate.
export class RequestReporter {
  readonly #policy: FlushPolicy
  #buckets = new Map<number, MinuteBucket>()
  #pending = 0
  #lastFlush = -Infinity

  constructor(policy: FlushPolicy = DEFAULT_FLUSH) {
    this.#policy = policy
  }

  /**
   * Adds one request at `now` (milliseconds since the Unix epoch) and returns the batch when
   * one is due. The first request of an isolate is sent at once.
   */
  record(status: number, durationMs: number, now: number): MinuteBucket[] | undefined {
    const minute = minuteOf(now)
    const bucket = this.#buckets.get(minute) ?? emptyBucket(minute)
    addRequest(bucket, status, durationMs)
    this.#buckets.set(minute, bucket)
    this.#pending += 1

    const due =
      this.#pending >= this.#policy.maxRequests || now - this.#lastFlush >= this.#policy.maxAgeMs
    return due ? this.#take(now) : undefined
  }

  #take(now: number): MinuteBucket[] {
    const batch = [...this.#buckets.values()]
    this.#buckets = new Map()
    this.#pending = 0
    this.#lastFlush = now
    return batch
  }
}
