import { describe, expect, it } from 'vitest'
import { DEFAULT_ROUTES } from '../../src/limits/policies'
import { matchRoute } from '../../src/limits/routes'
import { ipSubject, limiterKey, subjectFor } from '../../src/limits/subject'
import type { Session } from '../../src/types'

const SESSION: Session = {
  address: 'So1anaWa11etAddre55',
  tier: 'BETA',
  expiresAt: 0,
  jti: undefined,
  issuer: 'gateway',
}

describe('subjectFor', () => {
  it('keys a signed-in caller by wallet', () => {
    expect(subjectFor('caller', SESSION, '203.0.113.9')).toBe('wallet:So1anaWa11etAddre55')
  })

  it('keys a per-IP policy by IP even with a session', () => {
    expect(subjectFor('ip', SESSION, '203.0.113.9')).toBe('ip:203.0.113.9')
  })

  it('keys an anonymous caller without CF-Connecting-IP as unknown', () => {
    expect(subjectFor('caller', null, undefined)).toBe('ip:unknown')
  })
})

describe('ipSubject', () => {
  const cases: Array<[string, string]> = [
    ['203.0.113.9', 'ip:203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', 'ip:2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::9', 'ip:2001:db8:1:2::/64'],
    ['2001:db8::1', 'ip:2001:db8:0:0::/64'],
    ['::1', 'ip:0:0:0:0::/64'],
    ['::ffff:203.0.113.9', 'ip:203.0.113.9'],
    ['64:ff9b::203.0.113.9', 'ip:64:ff9b:0:0::/64'],
    ['999.1.1.1', 'ip:unknown'],
    ['2001:db8::1::2', 'ip:unknown'],
    ['not an address', 'ip:unknown'],
  ]

  for (const [input, expected] of cases) {
    it(`maps ${input} to ${expected}`, () => {
      expect(ipSubject(input)).toBe(expected)
    })
  }

  it('gives every address of one IPv6 /64 the same key', () => {
    expect(ipSubject('2001:db8:a:b::1')).toBe(ipSubject('2001:db8:a:b:ffff:ffff:ffff:ffff'))
  })
})

describe('limiterKey', () => {
  it('joins cluster, policy and subject', () => {
    expect(limiterKey('devnet', 'swap', 'ip:203.0.113.9')).toBe('devnet:swap:ip:203.0.113.9')
  })
})

describe('matchRoute', () => {
  const cases: Array<[string, string, string | null | undefined]> = [
    ['POST', '/api/trading/swap', 'swap'],
    ['GET', '/api/trading/quote?mint=x', 'quote'],
    ['GET', '/api/users/me', 'api-read'],
    ['HEAD', '/api/users/me', 'api-read'],
    ['DELETE', '/api/users/me', 'api-write'],
    ['POST', '/api/social/publish', 'social-publish'],
    ['POST', '/api/ai/image', 'ai-generation'],
    ['GET', '/api/ai/models', 'api-read'],
    ['POST', '/_edge/siws/verify', 'siws'],
    ['POST', '/_edge/rpc', 'rpc'],
    ['GET', '/_edge/health', null],
    ['GET', '/_edge/health/ready', null],
    ['GET', '/', 'pages'],
    ['POST', '/api/trading/%73wap', 'swap'],
    ['POST', '/api/trading/SWAP', 'swap'],
    ['POST', '/API/Trading/Swap', 'swap'],
    ['POST', '//api//trading/swap', 'swap'],
    ['GET', '/%E0%A4%A', 'pages'],
  ]

  for (const [method, path, policy] of cases) {
    it(`routes ${method} ${path} to ${policy}`, () => {
      const pathname = path.split('?')[0] ?? path
      expect(matchRoute(DEFAULT_ROUTES, method, pathname)?.policy).toBe(policy)
    })
  }
})
