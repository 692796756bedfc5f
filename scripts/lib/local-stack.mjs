/**
 * Starts and stops the local loop: the two origins (in this process) and the gateway
 * (`wrangler dev`, local mode only, in its own process group).
 */
import { startOrigin } from '../origins.mjs'
import { forwardLines, spawnGroup, stopGroup } from './children.mjs'
import { ensureDevVars } from './dev-vars.mjs'
import { answers, waitForOk } from './http.mjs'
import { API_PORT, PROJECT_DIR, WEB_PORT, wranglerBin, wranglerEnv } from './project.mjs'

const GATEWAY_START_TIMEOUT_MS = 90_000

/**
 * Returns the `wrangler dev` arguments for a loopback-only local gateway on `port`. `vars`
 * override bindings (`--var NAME:VALUE`) and `persistTo` moves the local Durable Object state.
 */
export function wranglerDevArgs(port, { vars = {}, persistTo } = {}) {
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port)]
  args.push('--inspector-ip', '127.0.0.1', '--show-interactive-dev-session=false')
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  if (persistTo) args.push('--persist-to', persistTo)
  return args
}

/** Writes missing development secrets and reports which names it added, never their values. */
export function prepareDevVars(log) {
  const { created, added } = ensureDevVars(PROJECT_DIR)
  if (created) log(`created .dev.vars with random values for ${added.join(', ')}`)
  else if (added.length > 0) log(`added random values for ${added.join(', ')} to .dev.vars`)
}

/**
 * Spawns `wrangler dev` on 127.0.0.1:`port` in its own process group. With `write`, its output
 * goes there line by line, prefixed. `vars` and `persistTo` are as in `wranglerDevArgs`.
 */
export function spawnGateway({ port, write, stdio, vars, persistTo }) {
  const child = spawnGroup(wranglerBin(), wranglerDevArgs(port, { vars, persistTo }), {
    cwd: PROJECT_DIR,
    env: wranglerEnv(),
    stdio,
  })
  if (write) forwardLines(child, 'gateway', write)
  return child
}

/**
 * Starts the gateway and resolves once `/_edge/health` returns 200. Throws when it exits, when
 * wrangler reports a failed build, or when health does not respond in time. `onSpawn` receives
 * the child at once, so a signal handler can stop it while the wait goes on.
 */
export async function startGateway(gatewayUrl, { write, onSpawn = () => {}, vars, persistTo }) {
  const port = Number(new URL(gatewayUrl).port)
  let buildFailed = false
  const watch = (line) => {
    if (line.includes('Build failed')) buildFailed = true
    write(line)
  }
  const child = spawnGateway({ port, write: watch, vars, persistTo })
  onSpawn(child)

  const ready = await waitForOk(`${gatewayUrl}/_edge/health`, {
    timeoutMs: GATEWAY_START_TIMEOUT_MS,
    isAlive: () => !buildFailed && child.exitCode === null && child.signalCode === null,
  })
  if (ready) return child

  await stopGroup(child)
  if (buildFailed) throw new Error('wrangler failed to build the gateway; see its output above')
  const url = `${gatewayUrl}/_edge/health`
  throw new Error(`the gateway did not respond at ${url} in time; see its output above`)
}

/** Starts each local origin whose port does not respond yet; returns the ones it started. */
export async function startMissingOrigins() {
  const started = []
  for (const [name, port] of [
    ['web', WEB_PORT],
    ['api', API_PORT],
  ]) {
    if (await answers(`http://127.0.0.1:${port}/health`)) continue
    started.push(await startOrigin(name, port))
  }
  return started
}

/** Stops origins started by `startMissingOrigins`, dropping idle keep-alive connections. */
export async function stopOrigins(origins) {
  await Promise.all(
    origins.map((origin) => {
      origin.server.closeAllConnections()
      return origin.close()
    }),
  )
}
