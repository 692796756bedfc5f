import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOrigin } from '../../scripts/origins.mjs'

describe('local origins', () => {
  let origin: { url: string; close: () => Promise<void> }

  beforeAll(async () => {
    origin = await startOrigin('api')
  })

  afterAll(async () => {
    await origin.close()
  })

  it('echoes the method, path and body it received', async () => {
    const response = await fetch(`${origin.url}/api/items?x=1`, { method: 'POST', body: 'hello' })
    const echo = (await response.json()) as Record<string, unknown>
    expect(echo.method).toBe('POST')
    expect(echo.path).toBe('/api/items')
    expect(echo.query).toBe('?x=1')
    expect(echo.body).toBe('hello')
  })

  it('sets two cookies on the cookies path', async () => {
    const response = await fetch(`${origin.url}/api/cookies`)
    expect(response.headers.getSetCookie()).toHaveLength(2)
  })
})
