#!/usr/bin/env node
/**
 * A local stand-in for Upstash Redis's REST API, backed by a real redis-server over RESP. It
 * speaks what @upstash/redis 1.39 sends: `POST /` with one command as a JSON array, `POST
 * /pipeline` and `POST /multi-exec` with an array of commands, `Authorization: Bearer <token>`,
 * and `Upstash-Encoding: base64`, which requests bulk strings in base64. A command answers
 * `{result}` (200) or `{error}` (400); a pipeline answers one of those per command (200).
 *
 * Upstash accepts the script flag `allow-key-locking` (used by @upstash/ratelimit's scripts),
 * which redis-server 7 rejects. The stand-in removes the flag before Redis sees a script and
 * maps the client's SHA-1 of the original text to Redis's SHA-1 of the loaded one, so EVALSHA
 * and SCRIPT LOAD behave as on Upstash.
 *
 * Run alone: `node scripts/upstash-rest.mjs --redis-port 6379 [--port 8079]` with the token in
 * UPSTASH_REDIS_REST_TOKEN. It listens on 127.0.0.1 only.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { RespError, connectRedis } from './lib/resp.mjs'

const MAX_BODY_BYTES = 1024 * 1024
const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking'])

/**
 * Starts the stand-in on 127.0.0.1 in front of the redis-server on `redisPort`; port 0 picks a
 * free port. `delayMs` delays every response by that many milliseconds (for timeout tests). Resolves to
 * { url, close }.
 */
export async function startUpstashRest({ redisPort, token, port = 0, delayMs = 0 }) {
  if (!token) throw new Error('startUpstashRest needs a token')
  const redis = await connectRedis(redisPort)
  const scripts = new Map()
  const server = createServer((request, response) => {
    handle({ request, response, redis, scripts, token, delayMs }).catch((error) => {
      send(response, 500, { error: `stand-in failed: ${error.message}` })
    })
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const close = async () => {
    const closed = new Promise((resolve) => server.close(resolve))
    server.closeAllConnections()
    await closed
    redis.close()
  }
  return { url: `http://127.0.0.1:${server.address().port}`, close }
}

async function handle({ request, response, redis, scripts, token, delayMs }) {
  if (!authorized(request.headers.authorization, token)) {
    return send(response, 401, { error: 'Unauthorized' })
  }
  if (request.method !== 'POST') return send(response, 405, { error: 'only POST is supported' })

  const path = new URL(request.url, 'http://stand-in.invalid').pathname.replace(/\/+$/, '')
  if (!Object.hasOwn(HANDLERS, path)) {
    return send(response, 404, { error: `unknown path ${path}` })
  }

  const body = await readJson(request)
  if (!body.ok) return send(response, body.status, { error: body.error })
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))

  const base64 = request.headers['upstash-encoding'] === 'base64'
  const { status, payload } = await HANDLERS[path](redis, scripts, body.value, base64)
  send(response, status, payload)
}

async function runOne(redis, scripts, value, base64) {
  const command = toCommand(value)
  if (!command) return invalid('a command: a non-empty JSON array of strings and numbers')

  const prepared = prepare(command, scripts)
  const [reply] = await redis.send([prepared.command])
  if (reply instanceof RespError) return { status: 400, payload: { error: reply.message } }
  return { status: 200, payload: { result: toJson(prepared.reply(reply), base64) } }
}

async function runPipeline(redis, scripts, value, base64) {
  const commands = toCommands(value)
  if (!commands) return invalid('a JSON array of commands')

  const prepared = commands.map((command) => prepare(command, scripts))
  const replies = await redis.send(prepared.map((entry) => entry.command))
  const results = replies.map((reply, index) => entry(prepared[index].reply(reply), base64))
  return { status: 200, payload: results }
}

/** Runs the commands in MULTI ... EXEC, written in one piece so nothing interleaves. */
async function runTransaction(redis, scripts, value, base64) {
  const commands = toCommands(value)
  if (!commands) return invalid('a JSON array of commands')

  const prepared = commands.map((command) => prepare(command, scripts))
  const replies = await redis.send([['MULTI'], ...prepared.map((item) => item.command), ['EXEC']])
  const exec = replies.at(-1)
  if (exec instanceof RespError) return { status: 400, payload: { error: exec.message } }
  if (!Array.isArray(exec)) return { status: 400, payload: { error: 'transaction aborted' } }

  const results = exec.map((reply, index) => entry(prepared[index].reply(reply), base64))
  return { status: 200, payload: results }
}

const HANDLERS = { '': runOne, '/pipeline': runPipeline, '/multi-exec': runTransaction }

function entry(reply, base64) {
  return reply instanceof RespError ? { error: reply.message } : { result: toJson(reply, base64) }
}

function invalid(expected) {
  return { status: 400, payload: { error: `invalid request body; expected ${expected}` } }
}

/**
 * Removes Upstash-only script flags and rewrites EVALSHA to the SHA-1 that Redis stored the script under. Returns the
 * command to send and a function that maps its reply back to what Upstash would return.
 */
export function prepare(command, scripts) {
  const name = command[0].toUpperCase()
  const same = (reply) => reply
  if (name === 'EVAL' || name === 'EVAL_RO')
    return { command: localScript(command, 1, scripts), reply: same }
  if (name === 'EVALSHA' || name === 'EVALSHA_RO') {
    const local = scripts.get(String(command[1]).toLowerCase())
    return { command: local ? [command[0], local, ...command.slice(2)] : command, reply: same }
  }
  if (name === 'SCRIPT' && String(command[1]).toUpperCase() === 'LOAD' && command.length === 3) {
    const original = sha1(command[2])
    const reply = (value) => (value instanceof RespError ? value : original)
    return { command: localScript(command, 2, scripts), reply }
  }
  return { command, reply: same }
}

function localScript(command, index, scripts) {
  const script = command[index]
  if (script === undefined) return command

  const local = withoutUpstashFlags(script)
  if (local !== script) scripts.set(sha1(script), sha1(local))
  return command.map((arg, position) => (position === index ? local : arg))
}

/** Drops Upstash-only flags from a `#!lua flags=...` first line; other scripts pass unchanged. */
export function withoutUpstashFlags(script) {
  const match = /^#!lua flags=([^\n]*)/.exec(script)
  if (!match) return script

  const flags = match[1].split(',').map((flag) => flag.trim())
  const kept = flags.filter((flag) => flag !== '' && !UPSTASH_ONLY_FLAGS.has(flag))
  const shebang = kept.length ? `#!lua flags=${kept.join(',')}` : '#!lua'
  return shebang + script.slice(match[0].length)
}

/**
 * Converts a RESP reply to its JSON form. With base64, bulk strings and simple strings other than
 * `OK` are base64 (the only simple string @upstash/redis takes as it is); integers stay numbers.
 */
export function toJson(reply, base64) {
  if (reply === null || typeof reply === 'number') return reply
  if (reply instanceof RespError) return reply.message
  if (Array.isArray(reply)) return reply.map((item) => toJson(item, base64))
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8')
  if (!base64 || reply === 'OK') return reply
  return Buffer.from(reply).toString('base64')
}

function toCommand(value) {
  if (!Array.isArray(value) || value.length === 0) return undefined
  if (typeof value[0] !== 'string') return undefined
  if (!value.every((arg) => ['string', 'number', 'boolean'].includes(typeof arg) || arg === null)) {
    return undefined
  }
  return value.map((arg) => String(arg))
}

function toCommands(value) {
  if (!Array.isArray(value) || value.length === 0) return undefined
  const commands = value.map(toCommand)
  return commands.every(Boolean) ? commands : undefined
}

function authorized(header, token) {
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function readJson(request) {
  return new Promise((resolve) => {
    const chunks = []
    let size = 0
    request.on('data', (chunk) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        return resolve({ ok: false, status: 413, error: `body over ${MAX_BODY_BYTES} bytes` })
      }
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      } catch {
        resolve({ ok: false, status: 400, error: 'invalid request body; expected JSON' })
      }
    })
  })
}

function send(response, status, payload) {
  if (response.headersSent) return response.end()
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(payload))
}

function sha1(text) {
  return createHash('sha1').update(text).digest('hex')
}

async function main() {
  const { values } = parseArgs({
    options: { 'redis-port': { type: 'string' }, port: { type: 'string', default: '8079' } },
  })
  const token = process.env.UPSTASH_REDIS_REST_TOKEN
  if (!values['redis-port'] || !token) {
    console.error(
      'usage: UPSTASH_REDIS_REST_TOKEN=... node scripts/upstash-rest.mjs --redis-port N',
    )
    process.exit(2)
  }

  const redisPort = Number(values['redis-port'])
  const rest = await startUpstashRest({ redisPort, token, port: Number(values.port) })
  console.log(`Upstash REST stand-in on ${rest.url}, redis-server on 127.0.0.1:${redisPort}`)
  process.once('SIGINT', () => rest.close().then(() => process.exit(0)))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
