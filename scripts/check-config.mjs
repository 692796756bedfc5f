#!/usr/bin/env node
/**
 * `npm run check:config [-- FILE]`: checks wrangler.toml (or FILE) across its environments and
 * exits 1 listing each problem with its environment and field. See scripts/lib/config-check.mjs
 * for the checks. Reads the file with the project's own TOML reader (scripts/lib/toml.mjs).
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { checkConfig, environments } from './lib/config-check.mjs'
import { PROJECT_DIR } from './lib/project.mjs'
import { parseToml } from './lib/toml.mjs'

function main(argv) {
  const path = argv[0] ?? join(PROJECT_DIR, 'wrangler.toml')
  const shown = relative(process.cwd(), path) || path

  let config
  try {
    config = parseToml(readFileSync(path, 'utf8'))
  } catch (error) {
    console.error(`check-config: cannot read ${shown}: ${error.message}`)
    return 2
  }

  const problems = checkConfig(config)
  if (problems.length === 0) {
    const names = environments(config).map((env) => env.name)
    console.log(`check-config: ${shown} passed for ${names.join(', ')}`)
    return 0
  }

  console.error(`check-config: ${problems.length} problem(s) in ${shown}:`)
  for (const problem of problems) console.error(`  - ${problem}`)
  return 1
}

process.exitCode = main(process.argv.slice(2))
