import { describe, expect, it } from 'vitest'
import { RequestReporter } from '../../src/ops/request-reporter'
import { minuteOf } from '../../src/ops/windows'

const START = Date.UTC(2030, 0, 1, 0, 0, 0)

describe('RequestReporter', () => {
  it('sends the first request of an isolate at once', () => {
    const reporter = new RequestReporter({ maxRequests: 10, maxAgeMs: 5000 })
    expect(reporter.record(200, 5, START)?.[0]?.requests).toBe(1)
  })

  it('holds requests until the batch is due', () => {
    const reporter = new RequestReporter({ maxRequests: 10, maxAgeMs: 5000 })
    reporter.record(200, 5, START)
    expect(reporter.record(200, 5, START + 1000)).toBeUndefined()
  })

  it('sends a batch after the maximum request count', () => {
    const reporter = new RequestReporter({ maxRequests: 3, maxAgeMs: 60_000 })
    reporter.record(200, 5, START)
    reporter.record(200, 5, START + 1)
    reporter.record(500, 5, START + 2)
    const batch = reporter.record(200, 5, START + 3)
    expect(batch?.[0]?.requests).toBe(3)
    expect(batch?.[0]?.errors).toBe(1)
  })

  it('sends a batch once the maximum age has passed', () => {
    const reporter = new RequestReporter({ maxRequests: 100, maxAgeMs: 5000 })
    reporter.record(200, 5, START)
    reporter.record(200, 5, START + 1000)
    expect(reporter.record(200, 5, START + 5000)?.[0]?.requests).toBe(2)
  })

  it('keeps one bucket per minute', () => {
    const reporter = new RequestReporter({ maxRequests: 100, maxAgeMs: 90_000 })
    reporter.record(200, 5, START)
    reporter.record(200, 5, START + 30_000)
    const batch = reporter.record(200, 5, START + 90_000)
    expect(batch?.map((bucket) => bucket.minute)).toEqual([minuteOf(START), minuteOf(START) + 1])
  })
})
