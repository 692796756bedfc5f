/** Calls the gateway app in this isolate with bindings overridden per test. */
import { createExecutionContext, env } from 'cloudflare:test'
import { Hono } from 'hono'
import { createApp } from '../../src/app'
import type { Env } from '../../src/env'
import { handleError } from '../../src/middleware/error-handler'
import { requestContext } from '../../src/middleware/request-context'
import { proxy } from '../../src/proxy/forward'
import { rpcRoutes } from '../../src/proxy/rpc'
import type { AppEnv, Session } from '../../src/types'

export const bindings = env as unknown as Env

const gateway = createApp()

/** Sends a request to the whole gateway with some bindings replaced. */
export function callGateway(path: string, init: RequestInit = {}, overrides: Partial<Env> = {}) {
  const request = new Request(`https://gateway.test${path}`, init)
  return gateway.fetch(request, { ...bindings, ...overrides }, createExecutionContext())
}

/** Sends a JSON request to the RPC route alone, as the gateway mounts it under `/_edge`. */
export function callRpc(body: unknown, overrides: Partial<Env> = {}) {
  const app = new Hono<AppEnv>().use(requestContext()).route('/_edge', rpcRoutes)
  app.onError(handleError)
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
  const request = new Request('https://gateway.test/_edge/rpc', init)
  return app.fetch(request, { ...bindings, ...overrides }, createExecutionContext())
}

/** Sends a request straight to the proxy handler as a caller with this session. */
export function callAsSession(session: Session, path: string, overrides: Partial<Env> = {}) {
  const app = new Hono<AppEnv>().use(requestContext())
  app.use(async (c, next) => {
    c.set('session', session)
    await next()
  })
  app.all('*', proxy)
  app.onError(handleError)
  const request = new Request(`https://gateway.test${path}`)
  return app.fetch(request, { ...bindings, ...overrides }, createExecutionContext())
}

export interface Echo {
  origin: string
  method: string
  path: string
  query: string
  headers: Record<string, string | undefined>
  body: string
  bodyLength: number
}
