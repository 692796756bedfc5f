/**
 * Starts the operations tests' server on 127.0.0.1 (test/ops/ops-servers.mjs) and hands its URL
 * to the Worker's bindings through vitest's provide/inject.
 */
import type { TestProject } from 'vitest/node'
import { startOpsServer } from './ops-servers.mjs'

export default async function setup(project: TestProject) {
  const ops = await startOpsServer()
  project.provide('opsServer', ops.url)
  return () => ops.close()
}

declare module 'vitest' {
  export interface ProvidedContext {
    opsServer: string
  }
}
