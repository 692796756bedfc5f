/**
 * The access log covers every request, including one the gateway fails before it has its
 * configuration: a misconfigured deploy must show in the log and the error-rate alert.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { callGateway } from '../proxy/gateway'

describe('access log', () => {
  let logSpy: MockInstance

  beforeEach(() => {
    logSpy = vi.spyOn(console, 'log')
  })

  afterEach(() => {
    logSpy.mockRestore()
  })

  function logLines(): Record<string, unknown>[] {
    return logSpy.mock.calls
      .map((call) => String(call[0]))
      .filter((line) => line.startsWith('{"time":'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  }

  it('logs a request failing on invalid configuration', async () => {
    const response = await callGateway('/page', {}, { PAGE_GATES: 'notjson' })
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ error: { code: 'config_invalid' } })

    const [line] = logLines()
    expect(line).toMatchObject({ level: 'error', status: 500, route: '/page' })
    expect(line?.['reason']).toMatch(/^invalid configuration: PAGE_GATES/)
    expect(line?.['request_id']).toBe(response.headers.get('x-request-id'))
  })

  it('rejects every request on invalid health path', async () => {
    const response = await callGateway('/page', {}, { WEB_HEALTH_PATH: 'nope' })
    expect(response.status).toBe(500)
    expect(logLines()[0]?.['reason']).toMatch(/^invalid configuration: WEB_HEALTH_PATH/)
  })

  it('writes one line for an ordinary request', async () => {
    const response = await callGateway('/page')
    await response.body?.cancel()
    expect(logLines()).toHaveLength(1)
    expect(logLines()[0]).toMatchObject({ status: 200, route: '/page', origin: 'web' })
  })
})
