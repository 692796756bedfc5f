import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Rate } from '../../src/limits/gcra'
import { stubFor } from './helpers'

const RATE: Rate = { limit: 10, windowMs: 60_000, burst: 10 }

let sequence = 0
function freshStub() {
  sequence += 1
  return stubFor(`test:object:${sequence}:${crypto.randomUUID()}`)
}

describe('RateLimiter object', () => {
  it('consumes the cost of an allowed request', async () => {
    const stub = freshStub()
    const decision = await stub.take({ rate: RATE, cost: 3 })
    expect(decision.success).toBe(true)
    expect(decision.remaining).toBe(7)
  })

  it('reads the allowance with peek without consuming it', async () => {
    const stub = freshStub()
    await stub.take({ rate: RATE, cost: 2 })
    const first = await stub.peek({ rate: RATE })
    const second = await stub.peek({ rate: RATE })
    expect(first.remaining).toBe(8)
    expect(second.remaining).toBe(8)
  })

  it('writes nothing when peek reads a new key', async () => {
    const stub = freshStub()
    await stub.peek({ rate: RATE })
    const stored = await runInDurableObject(stub, (_, state) => state.storage.kv.get('tat'))
    expect(stored).toBeUndefined()
  })

  it('keeps its state after the object is reset', async () => {
    const stub = freshStub()
    const now = Date.now()
    await stub.take({ rate: RATE, cost: 4, now })

    const reset = runInDurableObject(stub, (_, state) => state.abort('reset in test'))
    await expect(reset).rejects.toThrow('reset in test')

    const fresh = stubFor(idName(stub))
    const decision = await fresh.peek({ rate: RATE, now })
    expect(decision.remaining).toBe(6)
  })

  it('decides parallel calls exactly', async () => {
    const stub = freshStub()
    const now = Date.now()
    const decisions = await Promise.all(
      Array.from({ length: 60 }, () => stub.take({ rate: RATE, cost: 1, now })),
    )
    expect(decisions.filter((decision) => decision.success).length).toBe(10)
  })

  it('schedules an alarm that deletes the state of an idle key', async () => {
    const stub = freshStub()
    await stub.take({ rate: RATE, cost: 1, now: Date.now() - 120_000 })

    // The TAT is already past, so the alarm may have run on its own before this call.
    await runDurableObjectAlarm(stub)
    const stored = await runInDurableObject(stub, (_, state) => state.storage.kv.get('tat'))
    expect(stored).toBeUndefined()
  })

  it('keeps the state of a key that is not idle yet', async () => {
    const stub = freshStub()
    await stub.take({ rate: RATE, cost: 5 })

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const decision = await stub.peek({ rate: RATE })
    expect(decision.remaining).toBe(5)
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
  })
})

/** Returns the name the stub's id was created from. */
function idName(stub: ReturnType<typeof freshStub>): string {
  const name = stub.id.name
  if (name === undefined) throw new Error('stub has no name')
  return name
}
