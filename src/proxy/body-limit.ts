/** The request body limit: checked on Content-Length up front, and counted as a stream passes. */
import { GatewayError } from '../errors'

export interface LimitedBody {
  body: ReadableStream<Uint8Array> | null
  /** The limit the body was checked against, in bytes. */
  limit: number
  /** True once the streamed body passed the limit and the stream was errored. */
  exceeded: () => boolean
  /**
   * Aborts when the streamed body passes the limit. The fetch that sends the body must use it:
   * workerd ends a chunked request body normally when its source stream errors, so without the
   * abort the origin would take a truncated body for a complete one.
   */
  signal: AbortSignal | undefined
}

/** The 413 the gateway answers for a request body over the limit. */
export function bodyTooLarge(maxBytes: number, reason: string): GatewayError {
  return new GatewayError(
    413,
    'payload_too_large',
    `The request body is larger than the gateway's limit of ${maxBytes} bytes.`,
    { reason },
  )
}

/**
 * Returns the body to forward. A declared Content-Length over the limit throws a 413 before any
 * byte reaches an origin. A declared length within the limit is forwarded as it is, because the
 * runtime stops the body at that length; a body without one is counted and errored at the limit.
 */
export function limitBody(request: Request, maxBytes: number): LimitedBody {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) {
    throw bodyTooLarge(maxBytes, `content-length ${declared} over ${maxBytes}`)
  }

  if (!request.body || declared !== null)
    return { body: request.body, limit: maxBytes, exceeded: () => false, signal: undefined }
  return countBody(request.body, maxBytes)
}

function countBody(body: ReadableStream<Uint8Array>, maxBytes: number): LimitedBody {
  let total = 0
  let exceeded = false
  const abort = new AbortController()

  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength
      if (total > maxBytes) {
        exceeded = true
        abort.abort()
        controller.error(bodyTooLarge(maxBytes, `streamed body over ${maxBytes}`))
        return
      }
      controller.enqueue(chunk)
    },
  })
  const limited = body.pipeThrough(counter)
  return { body: limited, limit: maxBytes, exceeded: () => exceeded, signal: abort.signal }
}
