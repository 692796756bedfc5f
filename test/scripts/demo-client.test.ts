import { describe, expect, it } from 'vitest'
import { forwardedHeaders, printable, rateLimitHeaders } from '../../scripts/lib/demo-client.mjs'

describe('demo output', () => {
  it('lists the x-edge-* and x-forwarded-* headers an origin received', () => {
    const line = forwardedHeaders({
      'x-forwarded-for': '127.0.0.1',
      'x-edge-tier': 'WAITLIST',
      accept: '*/*',
    })
    expect(line).toBe('x-edge-tier=WAITLIST, x-forwarded-for=127.0.0.1')
  })

  it('hides the value of a header that carries a credential', () => {
    expect(printable('x-edge-signature', 'abcdef')).toBe('<6 chars hidden>')
  })

  it('hides a JSON Web Token whatever the header name', () => {
    expect(printable('x-edge-claims', 'eyJhbGciOi.eyJzdWIi.c2ln')).toBe('<24 chars hidden>')
  })

  it('says so when the origin received no gateway headers', () => {
    expect(forwardedHeaders({ accept: '*/*' })).toBe('no x-edge-* or x-forwarded-* headers')
  })

  it('lists the rate-limit headers of a response', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99' })
    expect(rateLimitHeaders(headers)).toBe('x-ratelimit-limit: 100; x-ratelimit-remaining: 99')
  })
})
