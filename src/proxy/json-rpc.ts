/**
 * JSON-RPC 2.0 request checks for the RPC proxy. Pure: it parses the body text and checks the
 * methods against an allowlist, and returns either the methods or a JSON-RPC error response.
 */

/** Error codes from the JSON-RPC 2.0 specification, section 5.1. */
export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601

/** Most requests one batch may carry. */
export const MAX_BATCH_SIZE = 100

type Id = string | number | null

export interface JsonRpcError {
  jsonrpc: '2.0'
  id: Id
  error: { code: number; message: string }
}

export type CheckResult =
  { ok: true; methods: string[] } | { ok: false; status: 400 | 403; response: JsonRpcError }

/** Checks a single or batch JSON-RPC request body against the allowed methods. */
export function checkRpcRequest(text: string, allowed: ReadonlySet<string>): CheckResult {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return reject(400, null, PARSE_ERROR, 'The request body is not valid JSON.')
  }

  const calls = Array.isArray(body) ? body : [body]
  const id = Array.isArray(body) ? null : readId(body)
  if (calls.length === 0 || calls.length > MAX_BATCH_SIZE) {
    const message = `A batch must hold between 1 and ${MAX_BATCH_SIZE} requests.`
    return reject(400, null, INVALID_REQUEST, message)
  }

  const methods = calls.map(readMethod)
  if (methods.some((method) => method === null)) {
    const message = 'Each request needs "jsonrpc": "2.0" and a string "method".'
    return reject(400, id, INVALID_REQUEST, message)
  }

  const refused = (methods as string[]).filter((method) => !allowed.has(method))
  if (refused.length > 0) {
    const message = `Method not allowed by this gateway: ${[...new Set(refused)].join(', ')}.`
    return reject(403, id, METHOD_NOT_FOUND, message)
  }
  return { ok: true, methods: methods as string[] }
}

function readMethod(call: unknown): string | null {
  if (typeof call !== 'object' || call === null) return null

  const { jsonrpc, method } = call as Record<string, unknown>
  if (jsonrpc !== '2.0' || typeof method !== 'string') return null
  return method
}

function readId(call: unknown): Id {
  if (typeof call !== 'object' || call === null) return null

  const { id } = call as Record<string, unknown>
  return typeof id === 'string' || typeof id === 'number' ? id : null
}

function reject(status: 400 | 403, id: Id, code: number, message: string): CheckResult {
  return { ok: false, status, response: { jsonrpc: '2.0', id, error: { code, message } } }
}
