/**
 * RateLimiter: one Durable Object per limiter key (`<cluster>:<policy>:<subject>`). Its whole
 * state is the GCRA theoretical arrival time, kept in the object's SQLite-backed storage through
 * the synchronous KV API, so a limit survives eviction, restarts and deploys.
 *
 * `take`, `takeLease` and `peek` are synchronous: they never await, so the runtime runs each
 * call to completion before the next one starts, and decisions are exact under any concurrency.
 * An alarm deletes the state once the key is idle, that is once its allowance is full again.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { inspectAllowance, takeAllowance, type Decision, type Rate, type Step } from './gcra'
import { takeLeaseAllowance } from './lease'

export interface TakeRequest {
  rate: Rate
  cost: number
  /** Milliseconds since the Unix epoch, passed by tests. Without it the object reads its clock. */
  now?: number
}

export interface LeaseRequest extends TakeRequest {
  /** Units to charge at once when the allowance contains them, else only `cost` is charged. */
  lease: number
}

/** A decision and the units charged for it: the lease, the cost, or 0 when refused. */
export interface LeaseDecision {
  decision: Decision
  granted: number
}

export interface PeekRequest {
  rate: Rate
  now?: number
}

const TAT_KEY = 'tat'

export class RateLimiter extends DurableObject<Env> {
  #cleanupScheduled = false

  /** Decides a request and consumes its cost if allowed. A rejected request writes nothing. */
  take(request: TakeRequest): Decision {
    const now = request.now ?? Date.now()
    const step = takeAllowance(this.#storedTat(), request.rate, request.cost, now)
    this.#store(step)
    return step.decision
  }

  /** Charges a whole lease when the allowance holds it, else decides the request exactly. */
  takeLease(request: LeaseRequest): LeaseDecision {
    const now = request.now ?? Date.now()
    const { rate, cost, lease } = request
    const step = takeLeaseAllowance(this.#storedTat(), rate, cost, lease, now)
    this.#store(step)
    return { decision: step.decision, granted: step.granted }
  }

  /** Reports the current allowance without consuming any of it or writing anything. */
  peek(request: PeekRequest): Decision {
    return inspectAllowance(this.#storedTat(), request.rate, request.now ?? Date.now())
  }

  /** Deletes the state once the allowance is full, else moves the alarm to when it will be. */
  override async alarm(): Promise<void> {
    const tat = this.#storedTat()
    if (tat !== undefined && tat > Date.now()) {
      await this.ctx.storage.setAlarm(Math.ceil(tat))
      return
    }

    this.#cleanupScheduled = false
    await this.ctx.storage.deleteAll()
  }

  #store(step: Step): void {
    if (!step.decision.success) return
    this.ctx.storage.kv.put(TAT_KEY, step.tat)
    this.#scheduleCleanup(step.tat)
  }

  #storedTat(): number | undefined {
    const value = this.ctx.storage.kv.get<unknown>(TAT_KEY)
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`stored TAT is ${JSON.stringify(value)}; expected a finite number`)
    }
    return value
  }

  // One pending alarm is enough: when it fires early, alarm() moves it to the current TAT.
  #scheduleCleanup(tat: number): void {
    if (this.#cleanupScheduled) return
    this.#cleanupScheduled = true
    void this.ctx.storage.setAlarm(Math.ceil(tat))
  }
}
