/**
 * A failure-rate circuit breaker for the primary RPC endpoint. Pure: it holds its own samples, and
 * the caller passes the clock into every call.
 *
 * Closed, it routes to the primary and keeps the outcomes of a sliding window. Once the window
 * holds enough samples and the failure rate passes the threshold it opens and routes to the
 * backup. After the cool-down one request probes the primary (half-open): success closes the
 * breaker, failure opens it for another cool-down.
 */

export interface BreakerOptions {
  windowMs: number
  /** Fewest samples in the window before the failure rate counts. */
  minSamples: number
  /** Failure rate, from 0 to 1, above which the breaker opens. */
  maxFailureRate: number
  /** Time the breaker stays open before it lets one probe through. */
  coolDownMs: number
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  windowMs: 30_000,
  minSamples: 10,
  maxFailureRate: 0.1,
  coolDownMs: 15_000,
}

/** The destination of one request: the primary, the primary as a half-open probe, or the backup. */
export type Route = 'primary' | 'probe' | 'backup'

interface Sample {
  at: number
  ok: boolean
}

export class CircuitBreaker {
  private samples: Sample[] = []
  private openedAt: number | null = null
  private probing = false

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS) {}

  /** Picks the route for the next request; at most one probe is out at a time. */
  route(now: number): Route {
    if (this.openedAt === null) return 'primary'
    if (this.probing || now - this.openedAt < this.options.coolDownMs) return 'backup'

    this.probing = true
    return 'probe'
  }

  /** Records the outcome of a request sent on `route`; a backup outcome changes nothing. */
  record(route: Route, ok: boolean, now: number): void {
    if (route === 'backup') return
    if (route === 'probe') return this.recordProbe(ok, now)
    if (this.openedAt !== null) return

    this.samples.push({ at: now, ok })
    this.samples = this.samples.filter((sample) => now - sample.at < this.options.windowMs)
    if (this.failureRate() > this.options.maxFailureRate) this.open(now)
  }

  /** True while traffic goes to the backup. */
  isOpen(): boolean {
    return this.openedAt !== null
  }

  private recordProbe(ok: boolean, now: number): void {
    this.probing = false
    if (ok) {
      this.openedAt = null
      this.samples = []
      return
    }
    this.open(now)
  }

  private failureRate(): number {
    if (this.samples.length < this.options.minSamples) return 0
    const failures = this.samples.filter((sample) => !sample.ok).length
    return failures / this.samples.length
  }

  private open(now: number): void {
    this.openedAt = now
    this.samples = []
  }
}
