#!/usr/bin/env node
/**
 * `npm run secrets:sync -- --env NAME [--file FILE | -] [--dry-run]`: uploads a secrets export
 * (JSON, see scripts/lib/secrets-export.mjs) to one deployed environment with
 * `wrangler secret bulk --env NAME`, passing the secrets on stdin. Prints secret names only;
 * wrangler's own output is shown with every value replaced by `***`. With --dry-run it prints
 * the plan and runs nothing. `WRANGLER_BIN` overrides the wrangler executable.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PROJECT_DIR, wranglerBin, wranglerEnv } from './lib/project.mjs'
import { parseSecretsExport, redact } from './lib/secrets-export.mjs'
import { parseToml } from './lib/toml.mjs'

const USAGE =
  'usage: sync-secrets --env NAME [--file FILE | -] [--dry-run] [--config wrangler.toml]'

function readOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      file: { type: 'string' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  })
  if (!values.env) throw new Error(`--env is required\n${USAGE}`)
  if (positionals.some((item) => item !== '')) {
    if (positionals.length !== 1 || positionals[0] !== '-' || values.file) {
      throw new Error(`unexpected argument ${positionals.join(' ')}\n${USAGE}`)
    }
  }
  return { ...values, file: values.file ?? '-' }
}

function readInput(file) {
  if (file !== '-') return readFileSync(file, 'utf8')
  if (process.stdin.isTTY)
    throw new Error(`no input: pass --file FILE or pipe the export\n${USAGE}`)
  return readFileSync(0, 'utf8')
}

/** Checks that wrangler.toml defines the environment and has no var of a secret's name. */
function checkEnvironment(configPath, envName, secrets) {
  const config = parseToml(readFileSync(configPath, 'utf8'))
  const env = config.env?.[envName]
  if (!env) {
    const known = Object.keys(config.env ?? {}).join(', ')
    throw new Error(`environment ${envName} is not in ${configPath} (known: ${known})`)
  }

  const clashes = Object.keys(secrets).filter((name) => Object.hasOwn(env.vars ?? {}, name))
  if (clashes.length > 0) {
    throw new Error(
      `${envName} already has vars named ${clashes.join(', ')}; a binding name is used once`,
    )
  }
}

/** Runs `wrangler secret bulk`; its output is buffered so a value split across chunks is still hidden. */
function runWrangler(envName, secrets) {
  const args = ['secret', 'bulk', '--env', envName]
  const child = spawn(wranglerBin(), args, { cwd: PROJECT_DIR, env: wranglerEnv() })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk) => (output.stdout += chunk))
  child.stderr.on('data', (chunk) => (output.stderr += chunk))

  // A wrangler that exits before reading stdin closes the pipe; its exit code reports that.
  child.stdin.on('error', () => {})
  child.stdin.end(JSON.stringify(secrets))

  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      process.stdout.write(redact(output.stdout, secrets))
      process.stderr.write(redact(output.stderr, secrets))
      resolve(code ?? 1)
    })
  })
}

async function main(argv) {
  const options = readOptions(argv)
  const secrets = parseSecretsExport(readInput(options.file))
  checkEnvironment(options.config ?? join(PROJECT_DIR, 'wrangler.toml'), options.env, secrets)

  const names = Object.keys(secrets)
  const plan = `${names.length} secret(s) for ${options.env}: ${names.join(', ')}`
  if (options['dry-run']) {
    console.log(
      `sync-secrets: dry run, would run wrangler secret bulk --env ${options.env} with ${plan}`,
    )
    return 0
  }

  console.log(`sync-secrets: uploading ${plan}`)
  const code = await runWrangler(options.env, secrets)
  if (code !== 0) console.error(`sync-secrets: wrangler secret bulk exited with code ${code}`)
  return code
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  console.error(`sync-secrets: ${error.message}`)
  process.exitCode = 2
}
