/**
 * `GET /_edge/health`: liveness only; it reads the Config and touches no other dependency.
 * `GET /_edge/health/ready`: readiness of the limiter and both origins (see src/ops/readiness.ts).
 */
import { Hono } from 'hono'
import pkg from '../package.json'
import { readiness } from './ops/readiness'
import type { AppEnv } from './types'

export const health = new Hono<AppEnv>()

health.get('/', (c) => {
  const config = c.get('config')
  c.header('cache-control', 'no-store')
  return c.json({
    status: 'ok',
    cluster: config.cluster.name,
    environment: config.environment,
    version: pkg.version,
  })
})

health.get('/ready', async (c) => {
  const result = await readiness(c.env, c.get('config'))
  if (result.status !== 'ready') {
    const failed = Object.entries(result.checks).filter(([, check]) => !check.ok)
    c.get('log').reason = `not ready: ${failed.map(([name]) => name).join(', ')}`
  }

  c.header('cache-control', 'no-store')
  return c.json(result, result.status === 'ready' ? 200 : 503)
})
