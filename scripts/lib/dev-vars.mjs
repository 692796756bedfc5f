/**
 * Local development secrets in `.dev.vars`. Missing names get random values; existing values are
 * never changed, and no value is ever printed.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'

/** Secrets the gateway needs even when `.dev.vars.example` does not list them yet. */
const REQUIRED_NAMES = ['JWT_SECRET', 'ORIGIN_SHARED_SECRET']

/** Returns the variable names assigned in a dotenv-style text, in order, without duplicates. */
export function namesIn(text) {
  const names = []
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)
    if (match && !names.includes(match[1])) names.push(match[1])
  }
  return names
}

/**
 * Makes sure `<dir>/.dev.vars` assigns every name in `.dev.vars.example` plus the required
 * ones, writing 32 random bytes (base64url) for each missing name. Returns the names it added
 * and whether it created the file.
 */
export function ensureDevVars(dir) {
  const examplePath = join(dir, '.dev.vars.example')
  const example = existsSync(examplePath) ? readFileSync(examplePath, 'utf8') : ''
  const expected = [...new Set([...namesIn(example), ...REQUIRED_NAMES])]

  const path = join(dir, '.dev.vars')
  const created = !existsSync(path)
  const present = created ? [] : namesIn(readFileSync(path, 'utf8'))
  const added = expected.filter((name) => !present.includes(name))
  if (added.length === 0) return { path, created, added }

  const lines = added.map((name) => `${name}=${randomBytes(32).toString('base64url')}`)
  if (created) {
    const header = '# Random local development secrets, written by `npm run dev`. Never commit.\n'
    writeFileSync(path, header + lines.join('\n') + '\n', { mode: 0o600 })
  } else {
    const current = readFileSync(path, 'utf8')
    const separator = current === '' || current.endsWith('\n') ? '' : '\n'
    appendFileSync(path, separator + lines.join('\n') + '\n')
  }

  return { path, created, added }
}
