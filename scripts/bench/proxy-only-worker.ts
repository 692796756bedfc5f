/**
 * The gateway's proxy path and nothing else, built only for the benchmark: the request context
 * and the proxy handler under Hono, without the access log, browser rules, authentication, page
 * gate or rate limit. Its CPU per request, between the bare Worker's and the gateway's, shows
 * what proxying alone costs: header rules both ways, the identity step, the origin timeout and
 * the response built with the gateway's headers.
 */
import { Hono } from 'hono'
import { handleError } from '../../src/middleware/error-handler'
import { requestContext } from '../../src/middleware/request-context'
import { proxy } from '../../src/proxy/forward'
import type { AppEnv } from '../../src/types'

const app = new Hono<AppEnv>()
app.use(requestContext())
app.all('*', proxy)
app.onError(handleError)

export default app
