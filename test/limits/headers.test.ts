import { describe, expect, it } from 'vitest'
import { limitHeaders } from '../../src/limits/headers'

const TIER = { limit: 10, window: 60, burst: 10 }

describe('limitHeaders', () => {
  it('rounds the reset of an allowed request up to whole seconds', () => {
    const decision = { success: true, limit: 10, remaining: 9, resetMs: 6_000.5, retryAfterMs: 0 }
    const headers = limitHeaders('swap', TIER, decision)
    expect(headers['ratelimit']).toBe('"swap";r=9;t=7')
    expect(headers['x-ratelimit-reset']).toBe('7')
  })

  it('uses the retry time as the window of a refusal', () => {
    const decision = { success: false, limit: 10, remaining: 0, resetMs: 60_000, retryAfterMs: 1 }
    const headers = limitHeaders('swap', TIER, decision)
    expect(headers['ratelimit']).toBe('"swap";r=0;t=1')
  })

  it('sends only the policy and limit without a decision', () => {
    const headers = limitHeaders('swap', TIER, undefined)
    expect(Object.keys(headers).sort()).toEqual(['ratelimit-policy', 'x-ratelimit-limit'])
  })
})
