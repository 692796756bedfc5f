/** `GET /_edge/health`: liveness only; it reads the Config and touches no other dependency. */
import { Hono } from 'hono'
import pkg from '../package.json'
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
