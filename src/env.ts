import type { RateLimiter } from './limits/rate-limiter.do'
import type { AlertMonitor } from './ops/alert-monitor.do'
import type { NonceStore } from './siws/nonce-store.do'

/** Bindings the gateway reads: vars from wrangler.toml, secrets, Durable Object namespaces. */
export interface Env {
  ENVIRONMENT: string
  SOLANA_CLUSTER: string
  WEB_ORIGIN: string
  API_ORIGIN: string
  WEB_ORIGIN_BACKUP?: string
  API_ORIGIN_BACKUP?: string
  WEB_ORIGIN_TIMEOUT_MS?: string
  API_ORIGIN_TIMEOUT_MS?: string
  PROXY_MAX_BODY_BYTES?: string
  ORIGIN_SHARED_SECRET?: string
  CORS_ALLOWED_ORIGINS?: string
  SOLANA_RPC_BACKUP_URL?: string
  RPC_ALLOWED_METHODS?: string
  RPC_TIMEOUT_MS?: string
  JWT_SECRET?: string
  JWT_SECRET_PREVIOUS?: string
  SESSION_TTL_SECONDS?: string
  SIWS_CHALLENGE_TTL_SECONDS?: string
  SIWS_CLOCK_SKEW_SECONDS?: string
  SIWS_STATEMENT?: string
  STREAMING_PATHS?: string
  PAGE_GATES?: string
  TIER_OVERRIDES?: string
  DEFAULT_TIER?: string
  TIER_TOKEN_MINT?: string
  TIER_TOKEN_THRESHOLDS?: string
  TIER_CACHE_SECONDS?: string
  TIER_RPC_URL?: string
  SOLANA_RPC_URL?: string
  NONCE_STORE: DurableObjectNamespace<NonceStore>
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>
  /** JSON merged over the default rate-limit policies and routes; see src/limits/config.ts. */
  RATE_LIMIT_POLICIES?: string
  /** Store of the rate-limit counters: `durable-object` (default) or `upstash`. */
  RATE_LIMIT_BACKEND?: string
  /** Upstash Redis REST endpoint and token, required when RATE_LIMIT_BACKEND is `upstash`. */
  UPSTASH_REDIS_REST_URL?: string
  UPSTASH_REDIS_REST_TOKEN?: string
  /** Workers Rate Limiting binding used as a per-IP flood filter; optional in local setups. */
  FLOOD_LIMITER?: RateLimit
  /** Origin paths readiness fetches; each defaults to `/api/health/ready`. */
  WEB_HEALTH_PATH?: string
  API_HEALTH_PATH?: string
  /** Workers Analytics Engine dataset for one data point per request; skipped when absent. */
  METRICS?: AnalyticsEngineDataset
  /** Keeps rolling request windows and raises alerts; reporting is skipped when absent. */
  ALERT_MONITOR?: DurableObjectNamespace<AlertMonitor>
  /** PagerDuty Events API v2 endpoint (or a compatible receiver) alerts are posted to. */
  ALERT_WEBHOOK_URL?: string
  PAGERDUTY_ROUTING_KEY?: string
}
