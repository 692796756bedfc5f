/**
 * Starts the real local origins on 127.0.0.1 before the suites run and hands their URLs to the
 * Worker's bindings through vitest's provide/inject.
 */
import type { TestProject } from 'vitest/node'
import { startOrigin } from '../scripts/origins.mjs'
import { startRpcNode } from '../scripts/rpc-nodes.mjs'
import { startTierRpc } from './siws/tier-rpc-server.mjs'

export default async function setup(project: TestProject) {
  const web = await startOrigin('web')
  const api = await startOrigin('api')
  project.provide('webOrigin', web.url)
  project.provide('apiOrigin', api.url)

  // Two JSON-RPC endpoints for the RPC proxy, and the URL of a port nothing listens on.
  const rpcPrimary = await startRpcNode('primary')
  const rpcBackup = await startRpcNode('backup')
  const closed = await startOrigin('closed')
  await closed.close()
  project.provide('rpcPrimaryUrl', rpcPrimary.url)
  project.provide('rpcBackupUrl', rpcBackup.url)
  project.provide('closedOrigin', closed.url)

  // A Solana JSON-RPC stand-in for the sign-in tier lookup.
  const tierRpc = await startTierRpc()
  project.provide('tierRpcUrl', tierRpc.url)

  return async () => {
    await Promise.all([
      web.close(),
      api.close(),
      rpcPrimary.close(),
      rpcBackup.close(),
      tierRpc.close(),
    ])
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    tierRpcUrl: string
    webOrigin: string
    apiOrigin: string
    rpcPrimaryUrl: string
    rpcBackupUrl: string
    closedOrigin: string
  }
}
