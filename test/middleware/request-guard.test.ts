import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'

const GATEWAY = 'http://gateway.test'

async function errorOf(response: Response) {
  const body = await response.json<{ error: { code: string } }>()
  return body.error.code
}

describe('request guard', () => {
  it.each(['//x/dashboard', '/\\x/dashboard', '//api/trading/swap', '//'])(
    'rejects the path %s',
    async (path) => {
      const response = await SELF.fetch(`${GATEWAY}${path}`)
      expect(response.status).toBe(400)
      expect(await errorOf(response)).toBe('invalid_path')
    },
  )

  it('keeps a double slash inside the path', async () => {
    const response = await SELF.fetch(`${GATEWAY}/docs//page`)
    expect(response.status).toBe(200)
    const echo = await response.json<{ path: string }>()
    expect(echo.path).toBe('/docs//page')
  })

  // The Workers fetch API refuses to build TRACK and CONNECT requests, so only TRACE can be sent.
  it('rejects TRACE with 405', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/items`, { method: 'TRACE' })
    expect(response.status).toBe(405)
    expect(await errorOf(response)).toBe('method_not_allowed')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('proxies other methods, such as PROPFIND', async () => {
    const response = await SELF.fetch(`${GATEWAY}/api/items`, { method: 'PROPFIND' })
    expect(response.status).toBe(200)
  })
})
