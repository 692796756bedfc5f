/**
 * The one error type request handling throws. `code` is the stable public snake_case code;
 * `reason` is the precise internal cause, written to the log line and never to the client.
 */
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

/** Builds the gateway's JSON error body: `{"error": {"code", "message"}}`, never cached. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body = JSON.stringify({ error: { code, message } })
  return new Response(body, {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
  })
}

/** Invalid configuration, thrown at start with the field, the value and what was expected. */
export class ConfigError extends Error {
  constructor(field: string, value: unknown, expected: string) {
    super(`invalid configuration: ${field} is ${JSON.stringify(value)}; expected ${expected}`)
    this.name = 'ConfigError'
  }
}
