import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findRedisServer, startRedisServer } from '../../scripts/lib/redis-server.mjs'
import { encodeCommand, parseReply, RespError } from '../../scripts/lib/resp.mjs'
import { startUpstashRest, toJson, withoutUpstashFlags } from '../../scripts/upstash-rest.mjs'

const TOKEN = 'stand-in-test-token'
const binary = findRedisServer()

describe('RESP encoding', () => {
  it('encodes a command as an array of bulk strings', () => {
    expect(encodeCommand(['SET', 'k', 5]).toString()).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n5\r\n',
    )
  })

  it('waits for the rest of a partial bulk string', () => {
    expect(parseReply(Buffer.from('$5\r\nhel'), 0)).toBeUndefined()
  })

  it('parses a nested array with an integer, a null and an error', () => {
    const parsed = parseReply(Buffer.from('*3\r\n:7\r\n$-1\r\n-ERR no\r\n'), 0)
    const [count, missing, error] = parsed?.value as [number, null, RespError]
    expect(count).toBe(7)
    expect(missing).toBeNull()
    expect(error.message).toBe('ERR no')
  })
})

describe('Upstash script flags', () => {
  it('removes allow-key-locking and keeps the rest of the script', () => {
    const script = '#!lua flags=allow-key-locking\nreturn 1'
    expect(withoutUpstashFlags(script)).toBe('#!lua\nreturn 1')
  })

  it('keeps flags Redis supports', () => {
    const script = '#!lua flags=no-writes,allow-key-locking\nreturn 1'
    expect(withoutUpstashFlags(script)).toBe('#!lua flags=no-writes\nreturn 1')
  })
})

describe('JSON replies', () => {
  it('base64-encodes bulk strings on request', () => {
    expect(toJson(Buffer.from('héllo'), true)).toBe(Buffer.from('héllo').toString('base64'))
  })

  it('leaves OK and integers as they are', () => {
    expect(toJson('OK', true)).toBe('OK')
    expect(toJson(3, true)).toBe(3)
  })
})

describe.skipIf(!binary)('Upstash REST stand-in (needs redis-server)', () => {
  let redis: { port: number; close: () => Promise<void> }
  let rest: { url: string; close: () => Promise<void> }

  beforeAll(async () => {
    redis = await startRedisServer(binary as string)
    rest = await startUpstashRest({ redisPort: redis.port, token: TOKEN })
  })

  afterAll(async () => {
    await rest?.close()
    await redis?.close()
  })

  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${rest.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
      body: JSON.stringify(body),
    })
  }

  it('rejects a request with the wrong token', async () => {
    const response = await post('/', ['PING'], { authorization: 'Bearer nope' })
    expect(response.status).toBe(401)
  })

  it('runs one command and returns its result', async () => {
    await post('/', ['SET', 'stand-in:one', 'value'])
    const response = await post('/', ['GET', 'stand-in:one'])
    expect(await response.json()).toEqual({ result: 'value' })
  })

  it('returns a Redis error as a 400 with the message', async () => {
    const response = await post('/', ['NOT-A-COMMAND'])
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: string }
    expect(body.error).toMatch(/^ERR unknown command/)
  })

  it('rejects a body that is not a command', async () => {
    const response = await post('/', { command: 'PING' })
    expect(response.status).toBe(400)
  })

  it('returns base64 bulk strings on request', async () => {
    await post('/', ['SET', 'stand-in:b64', 'héllo'])
    const response = await post('/', ['GET', 'stand-in:b64'], { 'upstash-encoding': 'base64' })
    const body = (await response.json()) as { result: string }
    expect(Buffer.from(body.result, 'base64').toString('utf8')).toBe('héllo')
  })

  it('returns one pipeline entry per command', async () => {
    const response = await post('/pipeline', [['INCR', 'stand-in:count'], ['NOPE']])
    const body = (await response.json()) as [{ result: number }, { error: string }]
    expect(body[0].result).toBe(1)
    expect(body[1].error).toMatch(/unknown command/)
  })

  it('runs multi-exec commands as one transaction', async () => {
    const commands = [
      ['SET', 'stand-in:tx', '1'],
      ['INCRBY', 'stand-in:tx', '4'],
    ]
    const response = await post('/multi-exec', commands)
    expect(await response.json()).toEqual([{ result: 'OK' }, { result: 5 }])
  })

  it('runs a script with Upstash flags through EVAL and then EVALSHA', async () => {
    const script = '#!lua flags=allow-key-locking\nreturn tonumber(ARGV[1]) + 1'
    const sha = createHash('sha1').update(script).digest('hex')
    const missing = await post('/', ['EVALSHA', sha, '0', '1'])
    expect(missing.status).toBe(400)

    const evaluated = await post('/', ['EVAL', script, '0', '1'])
    expect(await evaluated.json()).toEqual({ result: 2 })
    const cached = await post('/', ['EVALSHA', sha, '0', '41'])
    expect(await cached.json()).toEqual({ result: 42 })
  })

  it('returns the SHA-1 of the script as sent from SCRIPT LOAD', async () => {
    const script = '#!lua flags=allow-key-locking\nreturn 7'
    const sha = createHash('sha1').update(script).digest('hex')
    const response = await post('/', ['SCRIPT', 'LOAD', script])
    expect(await response.json()).toEqual({ result: sha })
  })
})
