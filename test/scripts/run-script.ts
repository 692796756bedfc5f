/** Runs one of the project's Node.js scripts as the command line runs it. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPTS_DIR = fileURLToPath(new URL('../../scripts/', import.meta.url))

export interface ScriptResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runScript(
  name: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<ScriptResult> {
  const child = spawn(process.execPath, [`${SCRIPTS_DIR}${name}`, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })

  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.stdin.end(options.input ?? '')

  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Path of a file under test/scripts/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
}
