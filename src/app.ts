/**
 * Builds the Hono app: middleware order and routes, nothing else. The order matters: the log
 * comes first, so that every request is logged, even one that fails to load the configuration in
 * the request context. Browser rules come next, then authentication, then the rate limit, which
 * needs the caller's tier, and last the gateway's own routes and the proxy.
 */
import { Hono } from 'hono'
import { health } from './health'
import { accessLog } from './middleware/access-log'
import { authenticate } from './middleware/auth'
import { browserRules } from './middleware/browser-rules'
import { handleError, handleNotFound, handleUnmatchedEdge } from './middleware/error-handler'
import { pageGate } from './middleware/page-gate'
import { rateLimit } from './middleware/rate-limit'
import { requestContext } from './middleware/request-context'
import { requestGuard } from './middleware/request-guard'
import { proxy } from './proxy/forward'
import { rpcRoutes } from './proxy/rpc'
import { siwsRoutes } from './siws/routes'
import type { AppEnv } from './types'

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.use(accessLog())
  app.use(requestContext())
  app.use(requestGuard())
  app.use(browserRules())
  app.use(authenticate())
  app.use(pageGate())
  app.use(rateLimit())

  app.route('/_edge/health', health)
  app.route('/_edge', siwsRoutes)
  app.route('/_edge', rpcRoutes)
  app.all('/_edge/*', handleUnmatchedEdge)
  app.all('*', proxy)

  app.onError(handleError)
  app.notFound(handleNotFound)
  return app
}
