import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from '../../src/proxy/circuit-breaker'

const OPTIONS = { windowMs: 30_000, minSamples: 10, maxFailureRate: 0.1, coolDownMs: 15_000 }

function breakerWith(failures: number, successes: number, now = 0): CircuitBreaker {
  const breaker = new CircuitBreaker(OPTIONS)
  for (let i = 0; i < successes; i += 1) breaker.record('primary', true, now)
  for (let i = 0; i < failures; i += 1) breaker.record('primary', false, now)
  return breaker
}

describe('CircuitBreaker', () => {
  it('stays closed below the minimum sample count', () => {
    expect(breakerWith(9, 0).isOpen()).toBe(false)
  })

  it('stays closed at exactly the threshold rate', () => {
    expect(breakerWith(1, 9).isOpen()).toBe(false)
  })

  it('opens above the threshold rate', () => {
    expect(breakerWith(2, 9).isOpen()).toBe(true)
  })

  it('forgets samples older than the window', () => {
    const breaker = breakerWith(0, 9, 0)
    breaker.record('primary', false, 31_000)
    breaker.record('primary', false, 31_000)
    expect(breaker.isOpen()).toBe(false)
  })

  it('routes to the backup while open', () => {
    expect(breakerWith(10, 0, 0).route(1_000)).toBe('backup')
  })

  it('lets one probe through after the cool-down', () => {
    const breaker = breakerWith(10, 0, 0)
    expect(breaker.route(15_000)).toBe('probe')
    expect(breaker.route(15_001)).toBe('backup')
  })

  it('closes when the probe succeeds', () => {
    const breaker = breakerWith(10, 0, 0)
    breaker.record(breaker.route(15_000), true, 15_100)
    expect(breaker.route(15_200)).toBe('primary')
  })

  it('opens for another cool-down when the probe fails', () => {
    const breaker = breakerWith(10, 0, 0)
    breaker.record(breaker.route(15_000), false, 15_100)
    expect(breaker.route(29_000)).toBe('backup')
    expect(breaker.route(30_100)).toBe('probe')
  })
})
