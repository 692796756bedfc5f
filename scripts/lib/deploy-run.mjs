/**
 * The side effects of the gradual deploy: running npm, wrangler and the verification as child
 * processes. Each child's output is shown as it arrives and also returned.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { PROJECT_DIR, wranglerBin, wranglerEnv } from './project.mjs'

/** Runs a command in the project folder; resolves to `{code, output}` and never rejects. */
export function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: PROJECT_DIR,
      env: wranglerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const collect = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk
        if (!quiet) target.write(chunk)
      })
    collect(child.stdout, process.stdout)
    collect(child.stderr, process.stderr)
    child.once('error', (error) => resolve({ code: 127, output: `${output}${error.message}\n` }))
    child.once('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

/** Runs wrangler (or the executable `WRANGLER_BIN` names) with `args`. */
export function wrangler(args, options) {
  return run(wranglerBin(), args, options)
}

/** Runs the project's deploy verification against `url`; resolves to true when it passed. */
export async function verify(url) {
  const result = await run(process.execPath, [
    join(PROJECT_DIR, 'scripts', 'verify-deploy.mjs'),
    url,
  ])
  return result.code === 0
}

/** Runs `npm run <script>`; resolves to true when it exited 0. */
export async function npmScript(script) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = await run(npm, ['run', script])
  return result.code === 0
}

export function sleep(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000))
}
