import { runInDurableObject } from 'cloudflare:test'
import { describeLimiterContract } from './limiter-contract'
import { stubFor } from './helpers'

describeLimiterContract({
  name: 'Durable Object',
  bindings: {},

  async clear(key) {
    await runInDurableObject(stubFor(key), (_, state) => state.storage.deleteAll())
  },

  // A stored TAT that is not a number makes every call on the object throw.
  async fail(key) {
    await runInDurableObject(stubFor(key), (_, state) => state.storage.kv.put('tat', 'corrupt'))
    return {}
  },

  // The object handles no other call while blocked, for longer than the 1 s client timeout.
  async stall(key) {
    const stub = stubFor(key)
    await stub.peek({ rate: { limit: 7, windowMs: 60_000, burst: 7 } })
    const done = runInDurableObject(stub, (_, state) =>
      state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 1_500))),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    return { bindings: {}, done }
  },
})
