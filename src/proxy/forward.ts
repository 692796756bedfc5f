import type { Handler } from 'hono'
import type { AppEnv } from '../types'

// Placeholder until the proxy module lands.
export const proxy: Handler<AppEnv> = async (c) => {
  const config = c.get('config')
  const url = new URL(c.req.url)
  const base = url.pathname.startsWith('/api/') ? config.proxy.apiOrigin : config.proxy.webOrigin
  const upstream = await fetch(new URL(url.pathname + url.search, base), c.req.raw)
  return new Response(upstream.body, upstream)
}
