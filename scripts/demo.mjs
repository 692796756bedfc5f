#!/usr/bin/env node
/**
 * `npm run demo`: signs a fresh wallet in through the gateway, calls a page and an API path with
 * the session, makes an anonymous request and drives one rate limit to a 429, printing one line
 * per step. When nothing responds at the gateway URL (`GATEWAY_URL`, default
 * http://127.0.0.1:8787) and it is a loopback address, the demo starts the local origins and the
 * gateway itself and stops them at the end. Exits 0 only when every step behaved as expected.
 */
import { stopGroup } from './lib/children.mjs'
import { runDemo } from './lib/demo-steps.mjs'
import { answers } from './lib/http.mjs'
import {
  prepareDevVars,
  startGateway,
  startMissingOrigins,
  stopOrigins,
} from './lib/local-stack.mjs'
import { DEFAULT_GATEWAY_URL, isLoopback } from './lib/project.mjs'

function log(message) {
  console.log(`demo: ${message}`)
}

/** Servers and processes the demo started, so a signal or the end of the run stops exactly those. */
const started = { origins: [], gateway: null }

async function stopStarted() {
  if (started.gateway) await stopGroup(started.gateway)
  await stopOrigins(started.origins)
  started.gateway = null
  started.origins = []
}

/** Starts the origins that do not respond and the gateway, for a loopback gateway URL. */
async function startLocalStack(gatewayUrl) {
  if (await answers(`${gatewayUrl}/_edge/health`)) return
  if (!isLoopback(gatewayUrl)) {
    throw new Error(`nothing responds at ${gatewayUrl}; start the gateway or fix GATEWAY_URL`)
  }

  log(`nothing responds at ${gatewayUrl}; starting the local origins and the gateway`)
  prepareDevVars(log)
  started.origins = await startMissingOrigins()

  const output = []
  try {
    await startGateway(gatewayUrl, {
      write: (line) => output.push(line),
      onSpawn: (child) => (started.gateway = child),
    })
  } catch (error) {
    console.error(output.slice(-30).join('\n'))
    throw error
  }
}

async function main() {
  const gatewayUrl = (process.env.GATEWAY_URL || DEFAULT_GATEWAY_URL).replace(/\/+$/, '')
  let result
  try {
    await startLocalStack(gatewayUrl)
    log(`running against ${gatewayUrl}`)
    result = await runDemo(gatewayUrl)
  } catch (error) {
    result = { ok: false, failedStep: 'start', reason: error.message }
  } finally {
    await stopStarted()
  }

  if (result.ok) log('every step behaved as expected')
  else log(`failed at step "${result.failedStep}": ${result.reason}`)
  process.exitCode = result.ok ? 0 : 1
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    log(`stopping on ${signal}`)
    await stopStarted()
    process.exit(130)
  })
}

await main()
