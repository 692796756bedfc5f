/**
 * Child processes of the local loop. Each child runs in its own process group, so stopping it
 * also stops what it started (wrangler starts workerd), and nothing else is touched.
 */
import { spawn } from 'node:child_process'

const STOP_GRACE_MS = 5000

/** Spawns `command` in a new process group; the returned child keeps its group id as `pid`. */
export function spawnGroup(command, args, options = {}) {
  return spawn(command, args, {
    ...options,
    detached: true,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
  })
}

/** Sends SIGTERM to the child's process group, then SIGKILL if it is still running. */
export async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return

  const exited = new Promise((resolve) => child.once('exit', resolve))
  signalGroup(child, 'SIGTERM')

  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch (error) {
    // ESRCH: the group is already gone, which is the state we want.
    if (error.code !== 'ESRCH') throw error
  }
}

/** Writes each line of a child's stdout and stderr through `write`, prefixed with `label`. */
export function forwardLines(child, label, write) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) write(`${label} | ${line}`)
    })
  }
}
