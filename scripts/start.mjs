#!/usr/bin/env node
/**
 * `npm start`: the whole local loop. Starts the two local origins on 127.0.0.1:8788 (web) and
 * 127.0.0.1:8789 (api), the gateway under `wrangler dev` on 127.0.0.1:8787, waits for
 * `/_edge/health`, runs the demo once and keeps serving until Ctrl-C. On Ctrl-C or SIGTERM it
 * stops the gateway's process group and closes the origins, and nothing else.
 */
import { startOrigin } from './origins.mjs'
import { stopGroup } from './lib/children.mjs'
import { runDemo } from './lib/demo-steps.mjs'
import { prepareDevVars, startGateway, stopOrigins } from './lib/local-stack.mjs'
import { API_PORT, DEFAULT_GATEWAY_URL, WEB_PORT } from './lib/project.mjs'

function log(message) {
  console.log(`start: ${message}`)
}

/** Gateway output is shown, except while the demo prints its own lines. */
let muted = false
function writeGatewayLine(line) {
  if (!muted) console.log(line)
}

/** Starts both origins on their fixed ports, or none: a port in use stops `npm start`. */
async function startOrigins() {
  const origins = []
  try {
    origins.push(await startOrigin('web', WEB_PORT))
    origins.push(await startOrigin('api', API_PORT))
    return origins
  } catch (error) {
    await stopOrigins(origins)
    const reason = error.code ?? error.message
    const message = `cannot listen on 127.0.0.1:${WEB_PORT} and ${API_PORT} (${reason}); stop what listens there`
    throw new Error(message, { cause: error })
  }
}

/** Servers and processes `npm start` started; `stop` ends exactly these. */
const running = { origins: [], gateway: null, stopping: false }

async function stop(code) {
  if (running.stopping) return
  running.stopping = true
  log('stopping')
  if (running.gateway) await stopGroup(running.gateway)
  await stopOrigins(running.origins)
  process.exit(code)
}

async function startAll() {
  prepareDevVars(log)
  running.origins = await startOrigins()
  log(`web origin on ${running.origins[0].url}, api origin on ${running.origins[1].url}`)

  await startGateway(DEFAULT_GATEWAY_URL, {
    write: writeGatewayLine,
    onSpawn: (child) => (running.gateway = child),
  })
  running.gateway.on('exit', (code) => {
    if (running.stopping) return
    log(`the gateway exited on its own with code ${code}`)
    stop(1)
  })
}

async function main() {
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  try {
    await startAll()
  } catch (error) {
    log(error.message)
    await stop(1)
  }

  log(`gateway on ${DEFAULT_GATEWAY_URL}; running the demo once`)
  muted = true
  const result = await runDemo(DEFAULT_GATEWAY_URL)
  muted = false

  if (result.ok) log('demo passed')
  else log(`demo failed at step "${result.failedStep}": ${result.reason}`)
  log(`serving on ${DEFAULT_GATEWAY_URL}; press Ctrl-C to stop`)
}

await main()
