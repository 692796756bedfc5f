/**
 * Remembers, per isolate, keys the limiter refused and until when, so a client that keeps
 * sending refused requests costs no Durable Object call until it may succeed again. A refusal
 * changes no state and other isolates can only consume more, so a cached refusal is never
 * wrong: the key stays refused at least until the cached time.
 */
import { setNewest } from '../bounded-map'
import type { Decision } from './gcra'

interface Refusal {
  /** Smallest cost refused; any cost at least this large is refused too. */
  cost: number
  limit: number
  /** Remaining units when refused; a lower bound afterwards, since allowance only refills. */
  remaining: number
  retryAt: number
  resetAt: number
}

/** Oldest entries are dropped past this size, which bounds the isolate's memory. */
export const MAX_CACHED_REFUSALS = 10_000

export class RefusalCache {
  readonly #entries = new Map<string, Refusal>()
  readonly #maxSize: number

  constructor(maxSize = MAX_CACHED_REFUSALS) {
    this.#maxSize = maxSize
  }

  /** Returns a refusal for `key` and `cost` at `now` when one is cached, else undefined. */
  lookup(key: string, cost: number, now: number): Decision | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.retryAt <= now) {
      this.#entries.delete(key)
      return undefined
    }
    if (cost < entry.cost) return undefined

    return {
      success: false,
      limit: entry.limit,
      remaining: entry.remaining,
      resetMs: Math.max(0, entry.resetAt - now),
      retryAfterMs: entry.retryAt - now,
    }
  }

  /** Records a refused decision for `key` made at `now`. */
  remember(key: string, cost: number, decision: Decision, now: number): void {
    if (decision.success || decision.retryAfterMs <= 0) return

    const refusal = {
      cost,
      limit: decision.limit,
      remaining: decision.remaining,
      retryAt: now + decision.retryAfterMs,
      resetAt: now + decision.resetMs,
    }
    setNewest(this.#entries, key, refusal, this.#maxSize)
  }

  get size(): number {
    return this.#entries.size
  }
}
