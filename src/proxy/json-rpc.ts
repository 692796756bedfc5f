/**
 * JSON-RPC 2.0 request checks for the RPC proxy. Pure: it parses the body text and checks the
 * methods against an allowlist, and returns either the methods with the body to forward or a
 * JSON-RPC error response.
 *
 * The body forwarded is the checked value serialized again, never the client's text: a parser
 * that keeps the first of two duplicate keys would otherwise run a method other than the one
 * JSON.parse (which keeps the last) checked.
 */

/** Error codes from the JSON-RPC 2.0 specification, section 5.1. */
export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601

/** Most requests one batch may carry. */
export const MAX_BATCH_SIZE = 100

/**
 * Deepest nesting of arrays and objects accepted, the body itself counting as 1. It is far beyond
 * any Solana RPC call, and JSON.stringify recurses: Node.js 20 overflowed its stack at 5,000
 * levels when measured.
 */
export const MAX_DEPTH = 64

/** Maximum length of a method name quoted in an error message; a longer name is cut at it. */
export const MAX_QUOTED_METHOD_LENGTH = 64

const UNSAFE_INTEGER_MESSAGE =
  'The request contains an integer beyond ±(2^53 - 1), which the gateway cannot forward exactly.'

const NON_FINITE_MESSAGE =
  'The request contains a number too large for a double, which the gateway cannot forward.'

type Id = string | number | null

export interface JsonRpcError {
  jsonrpc: '2.0'
  id: Id
  error: { code: number; message: string }
}

export type CheckResult =
  | { ok: true; methods: string[]; body: string }
  | { ok: false; status: 400 | 403; response: JsonRpcError }

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
    const names = [...new Set(refused)].map(quoteMethod)
    const message = `Method not allowed by this gateway: ${names.join(', ')}.`
    return reject(403, id, METHOD_NOT_FOUND, message)
  }

  const unforwardable = checkValues(body)
  if (unforwardable) return reject(400, id, INVALID_REQUEST, unforwardable)
  return { ok: true, methods: methods as string[], body: JSON.stringify(body) }
}

/**
 * Returns why the parsed body cannot be serialized again unchanged, or null when it can.
 * JSON.parse rounds an integer beyond ±(2^53 - 1), such as a u64 lamport amount, a
 * `minContextSlot` or an id, to the nearest double, and a number past the double range to
 * Infinity, which JSON.stringify writes as `null`. Forwarding either would send the endpoint
 * another value, so such a request is rejected. The walk keeps its own stack, so deep nesting
 * cannot overflow the call stack.
 */
function checkValues(body: unknown): string | null {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 1 }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next
    if (isUnsafeInteger(value)) return UNSAFE_INTEGER_MESSAGE
    if (isNonFinite(value)) return NON_FINITE_MESSAGE
    if (typeof value !== 'object' || value === null) continue

    if (depth > MAX_DEPTH) return `The request nests arrays and objects deeper than ${MAX_DEPTH}.`
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 })
  }
  return null
}

/** JSON.parse reads a number past the double range, such as `1e400`, as ±Infinity. */
function isNonFinite(value: unknown): boolean {
  return typeof value === 'number' && !Number.isFinite(value)
}

/**
 * Cuts a method name to MAX_QUOTED_METHOD_LENGTH and marks the cut with `…`, so that the message
 * and the log line stay small. A high surrogate left alone at the cut is dropped too.
 */
export function quoteMethod(method: string): string {
  if (method.length <= MAX_QUOTED_METHOD_LENGTH) return method
  return `${method.slice(0, MAX_QUOTED_METHOD_LENGTH).replace(/[\uD800-\uDBFF]$/, '')}…`
}

function isUnsafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
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
  if (isUnsafeInteger(id) || isNonFinite(id)) return null
  return typeof id === 'string' || typeof id === 'number' ? id : null
}

function reject(status: 400 | 403, id: Id, code: number, message: string): CheckResult {
  return { ok: false, status, response: { jsonrpc: '2.0', id, error: { code, message } } }
}
