/**
 * Starts redis-server on 127.0.0.1 and two Upstash REST stand-ins in front of it (one responds at
 * once, one after 1.5 s, longer than the limiter timeout), and hands their URLs and the token to
 * the Upstash backend tests. Without a redis-server binary it starts nothing and provides empty
 * URLs, and those tests are skipped.
 */
import type { TestProject } from 'vitest/node'
import { findRedisServer, startRedisServer } from '../../scripts/lib/redis-server.mjs'
import { startUpstashRest } from '../../scripts/upstash-rest.mjs'

const SLOW_DELAY_MS = 1_500

export default async function setup(project: TestProject) {
  const binary = findRedisServer()
  if (!binary) {
    console.warn('redis-server is not installed: the Upstash backend tests are skipped')
    project.provide('upstash', { url: '', slowUrl: '', token: '' })
    return
  }

  const token = `test-${crypto.randomUUID()}`
  const redis = await startRedisServer(binary)
  const rest = await startUpstashRest({ redisPort: redis.port, token })
  const slow = await startUpstashRest({ redisPort: redis.port, token, delayMs: SLOW_DELAY_MS })
  project.provide('upstash', { url: rest.url, slowUrl: slow.url, token })

  return async () => {
    await Promise.all([rest.close(), slow.close()])
    await redis.close()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Upstash REST stand-ins; empty strings when redis-server is missing. */
    upstash: { url: string; slowUrl: string; token: string }
  }
}
