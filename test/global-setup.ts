/**
 * Starts the real local origins on 127.0.0.1 before the suites run and hands their URLs to the
 * Worker's bindings through vitest's provide/inject.
 */
import type { TestProject } from 'vitest/node'
import { startOrigin } from '../scripts/origins.mjs'

export default async function setup(project: TestProject) {
  const web = await startOrigin('web')
  const api = await startOrigin('api')
  project.provide('webOrigin', web.url)
  project.provide('apiOrigin', api.url)

  return async () => {
    await Promise.all([web.close(), api.close()])
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    webOrigin: string
    apiOrigin: string
  }
}
