/**
 * Types `env` from `cloudflare:test` as the gateway's bindings. The pool types it as
 * `Cloudflare.Env`, which every project extends by declaration merging.
 */
import type { Env as GatewayEnv } from '../src/env'

declare global {
  namespace Cloudflare {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the gateway's bindings into the pool's Env
    interface Env extends GatewayEnv {}
  }
}
