/**
 * Sends one request to an origin with its timeout, and to the backup when the origin fails and
 * the request can safely be sent twice. Failures become GatewayErrors with the origin's name in
 * the reason; the client sees only the public code.
 */
import { GatewayError } from '../errors'
import type { HeaderRecord } from '../response-headers'
import { bodyTooLarge, type LimitedBody } from './body-limit'
import type { OriginConfig } from './config'
import { HeadersTimeoutError, timedFetch } from './timed-fetch'

/** RFC 9110 section 9.2.2 idempotent methods (TRACE aside): repeating them changes nothing. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])

export interface OutgoingRequest {
  method: string
  /** Path and query exactly as the client sent them. */
  pathAndQuery: string
  headers: HeaderRecord
  body: LimitedBody
  /** Bypasses Cloudflare's cache for this subrequest. */
  noStore: boolean
}

type FailureKind = 'timeout' | 'unreachable'

class OriginFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly error: unknown,
  ) {
    super(kind)
  }
}

/** Returns the origin's response, unfollowed redirects included; throws a GatewayError. */
export async function fetchOrigin(origin: OriginConfig, request: OutgoingRequest) {
  const response = await fetchWithBackup(origin, request)
  if (!isInterimStatus(response.status)) return response

  await response.body?.cancel()
  const message = 'The origin sent an invalid response.'
  throw new GatewayError(502, 'origin_invalid_response', message, {
    reason: `${origin.name} origin sent interim status ${response.status} as its response`,
  })
}

/**
 * True for a 1xx status other than 101 Switching Protocols (RFC 9110 section 15.2). Such a status
 * announces the response still to come, and the runtime cannot build a client Response from it.
 */
export function isInterimStatus(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101
}

async function fetchWithBackup(origin: OriginConfig, request: OutgoingRequest) {
  try {
    return await fetchOnce(origin.url, request, origin.timeoutMs)
  } catch (error) {
    if (!(error instanceof OriginFailure)) throw error
    if (!origin.backupUrl || !canResend(request)) throw toGatewayError(origin, error)

    return fetchOnce(origin.backupUrl, request, origin.timeoutMs).catch((backupError) => {
      if (!(backupError instanceof OriginFailure)) throw backupError
      throw toGatewayError(origin, backupError)
    })
  }
}

/**
 * A request is sent twice only when its method is idempotent and it has no body, because a
 * streamed body is consumed by the first attempt.
 */
function canResend(request: OutgoingRequest): boolean {
  return IDEMPOTENT_METHODS.has(request.method) && request.body.body === null
}

async function fetchOnce(base: string, request: OutgoingRequest, timeoutMs: number) {
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body.body,
    redirect: 'manual',
    ...(request.noStore ? { cache: 'no-store' as const } : {}),
  }

  try {
    const url = base + request.pathAndQuery
    return await timedFetch(url, init, timeoutMs, request.body.signal)
  } catch (error) {
    if (request.body.exceeded()) {
      const { limit } = request.body
      throw bodyTooLarge(limit, `streamed body over ${limit}`)
    }
    // NOTE: a client that stops sending its body midway also fails the fetch here, and is logged
    // as an unreachable origin (502) instead of a client abort. So does an origin response whose
    // headers are too large for the runtime (a 128 KiB value did it), instead of 502 invalid.
    const kind = error instanceof HeadersTimeoutError ? 'timeout' : 'unreachable'
    throw new OriginFailure(kind, error)
  }
}

function toGatewayError(origin: OriginConfig, failure: OriginFailure): GatewayError {
  const detail = failure.error instanceof Error ? failure.error.message : String(failure.error)
  if (failure.kind === 'timeout') {
    return new GatewayError(504, 'origin_timeout', 'The origin did not respond in time.', {
      reason: `${origin.name} origin sent no response within ${origin.timeoutMs} ms`,
    })
  }
  return new GatewayError(502, 'origin_unreachable', 'The origin could not be reached.', {
    reason: `${origin.name} origin unreachable: ${detail}`,
  })
}
