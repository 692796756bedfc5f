/**
 * A minimal Redis client over RESP2 on node:net, for the local Upstash REST stand-in. One
 * connection carries every command; Redis replies in order, so each reply settles the oldest
 * pending command. Commands sent in one `send` call are written together, which keeps a
 * MULTI ... EXEC block contiguous on the shared connection.
 */
import { connect } from 'node:net'

const CRLF = '\r\n'

/** An error reply from Redis (`-ERR ...`), returned as a value, not thrown. */
export class RespError extends Error {
  name = 'RespError'
}

/** Connects to Redis on `host:port`; resolves to { send, close } once the socket is open. */
export function connectRedis(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host })
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(createClient(socket))
    })
  })
}

function createClient(socket) {
  const pending = []
  let buffer = Buffer.alloc(0)
  let failure

  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk
    for (;;) {
      const parsed = parseReply(buffer, 0)
      if (!parsed) break
      buffer = buffer.subarray(parsed.end)
      pending.shift()?.resolve(parsed.value)
    }
  })

  const fail = (error) => {
    failure = error
    for (const entry of pending.splice(0)) entry.reject(error)
  }
  socket.on('error', fail)
  socket.on('close', () => fail(new Error('redis connection closed')))

  return {
    /** Sends commands (arrays of strings) in one write; resolves to their replies in order. */
    send(commands) {
      if (failure) return Promise.reject(failure)
      const replies = commands.map(
        () => new Promise((resolve, reject) => pending.push({ resolve, reject })),
      )
      socket.write(Buffer.concat(commands.map(encodeCommand)))
      return Promise.all(replies)
    },
    close() {
      socket.end()
    },
  }
}

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}${CRLF}`)]
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg))
    parts.push(Buffer.from(`$${bytes.length}${CRLF}`), bytes, Buffer.from(CRLF))
  }
  return Buffer.concat(parts)
}

/**
 * Parses one reply starting at `offset`. Returns { value, end } or undefined when the buffer
 * does not hold the whole reply yet. Bulk strings stay Buffers; simple strings become strings.
 */
export function parseReply(buffer, offset) {
  const lineEnd = buffer.indexOf(CRLF, offset)
  if (lineEnd < 0) return undefined

  const type = String.fromCharCode(buffer[offset])
  const line = buffer.toString('utf8', offset + 1, lineEnd)
  const next = lineEnd + 2
  switch (type) {
    case '+':
      return { value: line, end: next }
    case '-':
      return { value: new RespError(line), end: next }
    case ':':
      return { value: Number(line), end: next }
    case '$':
      return parseBulk(buffer, next, Number(line))
    case '*':
      return parseArray(buffer, next, Number(line))
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`)
  }
}

function parseBulk(buffer, start, length) {
  if (length < 0) return { value: null, end: start }
  if (buffer.length < start + length + 2) return undefined
  return { value: buffer.subarray(start, start + length), end: start + length + 2 }
}

function parseArray(buffer, start, count) {
  if (count < 0) return { value: null, end: start }

  const items = []
  let end = start
  for (let index = 0; index < count; index++) {
    const item = parseReply(buffer, end)
    if (!item) return undefined
    items.push(item.value)
    end = item.end
  }
  return { value: items, end }
}
