#!/usr/bin/env node
/**
 * `npm run deploy:staging` / `npm run deploy:production`: a gradual deploy. It runs the config
 * check and the tests, uploads a new version with `wrangler versions upload`, then moves traffic
 * to it in steps (10 %, 50 %, 100 % by default) with `wrangler versions deploy`. Each step is
 * verified with scripts/verify-deploy.mjs against GATEWAY_URL. When a step or its verification
 * fails, all traffic goes back to the version that served it before. `--dry-run` prints the plan
 * and runs nothing. `WRANGLER_BIN` overrides the wrangler executable.
 */
import {
  UsageError,
  describePlan,
  parseCurrentVersion,
  parseDeployArgs,
  parseUploadedVersion,
  versionSpecs,
} from './lib/deploy-plan.mjs'
import { npmScript, sleep, verify, wrangler } from './lib/deploy-run.mjs'

class DeployFailure extends Error {}

function say(line) {
  console.log(`deploy: ${line}`)
}

async function runChecks() {
  for (const script of ['check:config', 'test']) {
    say(`npm run ${script}`)
    if (!(await npmScript(script)))
      throw new DeployFailure(`npm run ${script} failed; nothing was deployed`)
  }
}

async function currentVersion(env) {
  const result = await wrangler(['deployments', 'status', '--env', env, '--json'], { quiet: true })
  if (result.code !== 0) {
    process.stderr.write(result.output)
    throw new DeployFailure('wrangler deployments status failed; nothing was deployed')
  }
  return parseCurrentVersion(result.output)
}

async function upload(env) {
  const result = await wrangler(['versions', 'upload', '--env', env])
  if (result.code !== 0)
    throw new DeployFailure('wrangler versions upload failed; nothing was deployed')
  return parseUploadedVersion(result.output)
}

/** Sends `percent` % of traffic to the new version and verifies; returns a failure reason. */
async function step(options, versions, percent) {
  const specs = versionSpecs(versions.next, versions.previous, percent)
  say(`step ${percent} %: ${specs.join(' ')}`)
  const deployed = await wrangler(['versions', 'deploy', ...specs, '--env', options.env, '-y'])
  if (deployed.code !== 0) return `wrangler versions deploy at ${percent} % failed`

  // NOTE: the verification goes through the public URL without pinning a version, so at a low
  // percentage most of its requests reach the previous version.
  if (options.soakSeconds > 0) await sleep(options.soakSeconds)
  if (!(await verify(options.url))) return `verification at ${percent} % failed`
  return undefined
}

async function rollBack(env, previous) {
  say(`rolling back: ${previous}@100%`)
  const args = ['versions', 'deploy', `${previous}@100%`, '--env', env, '-y']
  const result = await wrangler([...args, '--message', 'rollback by scripts/deploy.mjs'])
  if (result.code !== 0) {
    throw new DeployFailure(`ROLLBACK FAILED: run \`wrangler ${args.join(' ')}\` by hand`)
  }
}

async function deploy(options) {
  if (!options.url)
    throw new UsageError('set GATEWAY_URL or pass --url; the steps cannot be verified without it')
  if (!options.skipChecks) await runChecks()

  const previous = await currentVersion(options.env)
  say(`current version ${previous}`)
  const next = await upload(options.env)
  say(`uploaded version ${next}`)

  for (const percent of options.steps) {
    const failure = await step(options, { next, previous }, percent)
    if (failure) {
      await rollBack(options.env, previous)
      throw new DeployFailure(`${failure}; rolled back to ${previous}`)
    }
  }
  say(`version ${next} serves 100 % of ${options.env}`)
}

async function main(argv) {
  try {
    const options = parseDeployArgs(argv, process.env)
    if (options.dryRun) {
      say(`plan for ${options.env} (dry run, nothing is run):`)
      for (const line of describePlan(options)) console.log(`  ${line}`)
      return 0
    }
    await deploy(options)
    return 0
  } catch (error) {
    console.error(`deploy: ${error.message}`)
    return error instanceof UsageError ? 2 : 1
  }
}

process.exitCode = await main(process.argv.slice(2))
