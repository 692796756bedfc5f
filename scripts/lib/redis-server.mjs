/**
 * Starts a throwaway redis-server on 127.0.0.1 for tests and the local loop: a free port, no
 * snapshots (`--save ''`), no append-only file, so it writes nothing to disk.
 */
import { accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { spawnGroup, stopGroup } from './children.mjs'
import { connectRedis } from './resp.mjs'

const START_TIMEOUT_MS = 10_000
const POLL_MS = 50

/** Returns the path of the `redis-server` executable on PATH, or undefined when there is none. */
export function findRedisServer(path = process.env.PATH ?? '') {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not in this folder; keep looking.
    }
  }
  return undefined
}

/** Starts redis-server from `binary` and resolves to { port, close } once it replies to PING. */
export async function startRedisServer(binary) {
  const port = await freePort()
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no']
  const child = spawnGroup(binary, [...args, '--protected-mode', 'yes'], { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.once('exit', resolve))

  try {
    await waitForPing(port, exited)
  } catch (error) {
    await stopGroup(child)
    throw error
  }
  return { port, close: () => stopGroup(child) }
}

async function waitForPing(port, exited) {
  const deadline = Date.now() + START_TIMEOUT_MS
  let stopped = false
  void exited.then(() => (stopped = true))

  while (Date.now() < deadline && !stopped) {
    try {
      const redis = await connectRedis(port)
      const [reply] = await redis.send([['PING']])
      redis.close()
      if (reply === 'PONG') return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  const why = stopped ? 'exited' : `did not answer PING within ${START_TIMEOUT_MS} ms`
  throw new Error(`redis-server on 127.0.0.1:${port} ${why}`)
}

/** Returns a port that was free a moment ago; redis-server then binds it. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
