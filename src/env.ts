/** Bindings the gateway reads: vars from wrangler.toml, secrets, Durable Object namespaces. */
export interface Env {
  ENVIRONMENT: string
  SOLANA_CLUSTER: string
  WEB_ORIGIN: string
  API_ORIGIN: string
  JWT_SECRET?: string
  NONCE_STORE: DurableObjectNamespace
  RATE_LIMITER: DurableObjectNamespace
}
