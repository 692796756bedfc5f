import type { Config } from './config'
import type { Env } from './env'
import type { Tier } from './limits/tiers'
import type { ResponseHeaders } from './response-headers'

/** A verified caller, from a gateway session token or an origin-issued token. */
export interface Session {
  address: string
  tier: Tier
  /** Expiry of the token, in seconds since the Unix epoch. */
  expiresAt: number
  jti: string | undefined
  issuer: 'gateway' | 'origin'
}

/** Fields the access log line carries beyond method, path, status and duration. */
export interface LogFields {
  /** Rate-limit policy of the request's route, set by the rate-limit middleware. */
  policy?: string
  origin?: string
  tier?: Tier
  limit?: string
  reason?: string
}

export type AppEnv = {
  Bindings: Env
  Variables: {
    requestId: string
    /** The request URL, parsed once for every middleware and handler. */
    url: URL
    config: Config
    session: Session | null
    log: LogFields
    /** Headers for the response, which middleware adds to as the request passes. */
    responseHeaders: ResponseHeaders
  }
}
