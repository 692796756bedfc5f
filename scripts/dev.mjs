#!/usr/bin/env node
/**
 * `npm run dev`: the gateway alone under `wrangler dev` on 127.0.0.1:8787, local mode only.
 * Writes `.dev.vars` with random development secrets when names are missing, and never prints
 * their values. Start the origins separately (`node scripts/origins.mjs`) or use `npm start`.
 */
import { stopGroup } from './lib/children.mjs'
import { prepareDevVars, spawnGateway } from './lib/local-stack.mjs'
import { GATEWAY_PORT } from './lib/project.mjs'

function log(message) {
  console.log(`dev: ${message}`)
}

prepareDevVars(log)
log(`starting the gateway on http://127.0.0.1:${GATEWAY_PORT} (Ctrl-C stops it)`)

const gateway = spawnGateway({ port: GATEWAY_PORT, stdio: ['ignore', 'inherit', 'inherit'] })

const stop = async () => {
  await stopGroup(gateway)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

gateway.on('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1))
})
