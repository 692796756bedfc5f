import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { Tier } from '../../src/limits/tiers'
import { normalizePath, sameOriginTarget } from '../../src/middleware/page-gate'
import { mintSessionToken } from '../../src/siws/session-token'
import { GATEWAY, bearer, clientIp, newWallet } from './session-helpers'

const config = loadConfig(env).siws

async function open(path: string, tier?: Tier) {
  const headers: Record<string, string> = clientIp()
  if (tier !== undefined) {
    const { token } = await mintSessionToken(config, newWallet().address, tier, Date.now())
    Object.assign(headers, bearer(token))
  }
  return SELF.fetch(`${GATEWAY}${path}`, { headers, redirect: 'manual' })
}

/** Returns the decoded `redirect` parameter of the Location header. */
function redirectTarget(response: Response): string | null {
  const location = response.headers.get('location') ?? ''
  return new URL(location, GATEWAY).searchParams.get('redirect')
}

describe('page gate', () => {
  it('sends a caller without a session to sign in with the page as target', async () => {
    const response = await open('/dashboard/overview?tab=2')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/?redirect=%2Fdashboard%2Foverview%3Ftab%3D2')
  })

  it('sends a caller below the page tier to the restricted notice', async () => {
    const response = await open('/agents', 'WAITLIST')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/?access=restricted')
  })

  it('lets a caller at the page tier through to the origin', async () => {
    const response = await open('/analytics', 'EARLY_ACCESS')
    const body = await response.json<{ origin: string; path: string }>()
    expect(response.status).toBe(200)
    expect(body.path).toBe('/analytics')
  })

  it('leaves pages outside the prefixes open', async () => {
    const response = await open('/dashboards-public')
    expect(response.status).toBe(200)
  })

  it.each([
    '/%64ashboard',
    '/DASHBOARD',
    '/x/../dashboard',
    '/x/%2e%2e/dashboard',
    '/%2fdashboard',
    '/settings/',
    '/dashboard;x',
    '/dashboard%3bx',
    '/dashboard.',
    '/dashboard%2e',
    '/Settings;jsessionid=1/',
  ])('gates the spelling %s', async (path) => {
    const response = await open(path)
    expect(response.status).toBe(302)
  })

  // Paths that start with two slashes, or a slash and a backslash, never reach the page gate:
  // the request guard rejects them first, because an origin may read them as another host.
  it.each([
    '//dashboard',
    '/\\dashboard',
    '//evil.example/../dashboard',
    '/\\evil.example/../dashboard',
  ])('rejects %s before the gate', async (path) => {
    const response = await open(path)
    expect(response.status).toBe(400)
  })

  it.each([
    '/%2f%2fevil.example/../dashboard',
    '/%5cevil.example/../dashboard',
    '/dashboard//evil.example',
    '/%2F%2Fdashboard',
  ])('keeps the redirect target on this origin for %s', async (path) => {
    const response = await open(path)
    const target = redirectTarget(response) ?? ''
    expect(response.status).toBe(302)
    expect(target.startsWith('/')).toBe(true)
    expect(target.startsWith('//')).toBe(false)
    expect(target.startsWith('/\\')).toBe(false)
    expect(new URL(target, GATEWAY).host).toBe('gateway.test')
  })
})

describe('redirect target helpers', () => {
  it.each([
    ['//evil.example', '/evil.example'],
    ['/\\evil', '/evil'],
    ['/%2F%2Fevil', '/evil'],
    ['/%5C%5Cevil', '/evil'],
    ['/a/%2e%2e/b', '/b'],
    ['/bad%escape', '/bad%escape'],
    ['/dashboard;jsessionid=1', '/dashboard'],
    ['/a;x/b.', '/a/b'],
    ['/file.html', '/file.html'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected)
  })

  it.each(['//evil.example', '/\\evil', 'https://evil.example', 'evil'])(
    'replaces the unsafe target %s with /',
    (target) => {
      expect(sameOriginTarget(target)).toBe('/')
    },
  )
})
