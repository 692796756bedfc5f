/** Worker entry: the Hono app's fetch handler and the Durable Object classes. */
import { createApp } from './app'
import type { Env } from './env'

export { RateLimiter } from './limits/rate-limiter.do'
export { AlertMonitor } from './ops/alert-monitor.do'
export { NonceStore } from './siws/nonce-store.do'

const app = createApp()

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>
