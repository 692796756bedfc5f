/**
 * A per-isolate memory of revocation checks, so an authenticated request does not call the
 * NonceStore Durable Object every time. Pure: no bindings, the clock passed in. The object stays
 * the source of truth; this cache only decides when it may be skipped.
 *
 * - A revoked session id is remembered until its token expires. A revocation is never undone, so
 *   that result never goes stale.
 * - A "not revoked" result is trusted for a short time only (`NOT_REVOKED_TTL_MS`).
 * - A revocation made in this isolate is recorded here at once and is never overwritten by a
 *   "not revoked" result that a concurrent check fetched before the revocation.
 */
import { setNewest } from '../bounded-map'

/**
 * How long a "not revoked" result from the Durable Object is reused, in ms.
 *
 * NOTE: a logout handled by another isolate is honoured here up to 5 s late. The isolate that
 * handled it rejects the token at once. Lower this to shorten the window, at the cost of one
 * Durable Object call per session per window.
 */
export const NOT_REVOKED_TTL_MS = 5_000

/** Entries kept per isolate; the oldest entry is dropped first when the cache is full. */
export const MAX_ENTRIES = 10_000

interface Entry {
  revoked: boolean
  /** When the entry stops counting, in ms since the epoch. */
  until: number
}

export class RevocationCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number
  readonly #ttlMs: number

  constructor(maxEntries = MAX_ENTRIES, ttlMs = NOT_REVOKED_TTL_MS) {
    this.#maxEntries = maxEntries
    this.#ttlMs = ttlMs
  }

  get size(): number {
    return this.#entries.size
  }

  /** Returns the remembered result for `jti`, or undefined when the object must be asked. */
  lookup(jti: string, now: number): boolean | undefined {
    const entry = this.#entries.get(jti)
    if (entry === undefined) return undefined

    if (entry.until <= now) {
      this.#entries.delete(jti)
      return undefined
    }
    return entry.revoked
  }

  /** Records the object's result. A known revocation is kept over a later "not revoked". */
  rememberAnswer(jti: string, revoked: boolean, tokenExpiresAt: number, now: number): void {
    if (revoked) {
      this.rememberRevoked(jti, tokenExpiresAt)
      return
    }
    if (this.#entries.get(jti)?.revoked === true) return
    this.#store(jti, { revoked: false, until: Math.min(now + this.#ttlMs, tokenExpiresAt) })
  }

  /** Records a revocation until the token expires, in ms since the epoch. */
  rememberRevoked(jti: string, tokenExpiresAt: number): void {
    this.#store(jti, { revoked: true, until: tokenExpiresAt })
  }

  #store(jti: string, entry: Entry): void {
    setNewest(this.#entries, jti, entry, this.#maxEntries)
  }
}
