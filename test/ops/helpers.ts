/** Helpers for the operations tests: the gateway with bindings overridden per test. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { createApp } from '../../src/app'
import type { Env } from '../../src/env'

export const bindings = env as unknown as Env

const gateway = createApp()

/** Sends a request to the whole gateway with some bindings replaced, and waits for waitUntil work. */
export async function callGateway(
  path: string,
  init: RequestInit = {},
  overrides: Partial<Env> = {},
): Promise<Response> {
  const context = createExecutionContext()
  const request = new Request(`https://gateway.test${path}`, init)
  const response = await gateway.fetch(request, { ...bindings, ...overrides }, context)
  await waitOnExecutionContext(context)
  return response
}
