/**
 * The one error type request handling throws. `code` is the stable public snake_case code;
 * `reason` is the precise internal cause, written to the log line and never to the client.
 */
import { gatewayResponse, type ResponseHeaders } from './response-headers'

export class GatewayError extends Error {
  readonly status: number
  readonly code: string
  readonly reason: string | undefined
  readonly headers: Record<string, string>

  constructor(
    status: number,
    code: string,
    message: string,
    options: { reason?: string; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'GatewayError'
    this.status = status
    this.code = code
    this.reason = options.reason
    this.headers = options.headers ?? {}
  }
}

/**
 * Builds the gateway's JSON error response: `{"error": {"code", "message"}}`, never cached. With
 * the request's response headers it is built complete, with every header the gateway adds.
 */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  gateway?: ResponseHeaders,
): Response {
  const body = JSON.stringify({ error: { code, message } })
  const base: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  }
  if (!gateway) return new Response(body, { status, headers: base })
  return gatewayResponse(body, { status }, Object.entries(base), gateway)
}

/** Invalid configuration, thrown at start with the field, the value and what was expected. */
export class ConfigError extends Error {
  constructor(field: string, value: unknown, expected: string) {
    super(`invalid configuration: ${field} is ${JSON.stringify(value)}; expected ${expected}`)
    this.name = 'ConfigError'
  }
}
