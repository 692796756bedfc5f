/**
 * The pure part of the gradual deploy: options, the traffic steps, and reading wrangler's output.
 * No process, file or network access here.
 */
import { parseArgs } from 'node:util'

export const ENVIRONMENTS = ['staging', 'production']

/** Percentages of traffic the new version gets, in order; the last step is always 100. */
export const DEFAULT_STEPS = [10, 50, 100]

/** Seconds each step runs before it is verified, so errors have time to show. */
export const DEFAULT_SOAK_SECONDS = 30

export const USAGE = `usage: deploy --env staging|production [--dry-run] [--skip-checks]
              [--url GATEWAY_URL] [--steps 10,50,100] [--soak SECONDS]
  --url     public URL the verification checks (default: the GATEWAY_URL variable)
  --steps   traffic percentages for the new version, ending at 100
  --soak    seconds to wait at each step before verifying (default ${DEFAULT_SOAK_SECONDS})`

export class UsageError extends Error {}

/** Parses the command line; `env` supplies GATEWAY_URL. Throws a UsageError on bad input. */
export function parseDeployArgs(argv, env = {}) {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        url: { type: 'string' },
        steps: { type: 'string' },
        soak: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-checks': { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    throw new UsageError(`${error.message}\n${USAGE}`)
  }

  if (!ENVIRONMENTS.includes(values.env)) {
    throw new UsageError(`--env must be staging or production, not ${values.env}\n${USAGE}`)
  }
  return {
    env: values.env,
    url: values.url ?? env.GATEWAY_URL ?? undefined,
    steps: parseSteps(values.steps),
    soakSeconds: parseSoak(values.soak),
    dryRun: values['dry-run'],
    skipChecks: values['skip-checks'],
  }
}

function parseSteps(text) {
  if (text === undefined) return DEFAULT_STEPS
  const steps = text.split(',').map((item) => Number(item.trim()))
  const valid = steps.every((step) => Number.isInteger(step) && step > 0 && step <= 100)
  const rising = steps.every((step, index) => index === 0 || step > steps[index - 1])
  if (!valid || !rising || steps.at(-1) !== 100) {
    throw new UsageError(`--steps must be rising percentages from 1 to 100 ending at 100: ${text}`)
  }
  return steps
}

function parseSoak(text) {
  if (text === undefined) return DEFAULT_SOAK_SECONDS
  const seconds = Number(text)
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new UsageError(`--soak must be whole seconds from 0 to 3600: ${text}`)
  }
  return seconds
}

/** Returns the version specs that give the new version `percent` % and the old one the rest. */
export function versionSpecs(newId, oldId, percent) {
  if (percent === 100) return [`${newId}@100%`]
  return [`${newId}@${percent}%`, `${oldId}@${100 - percent}%`]
}

/** Reads the id from `wrangler versions upload` output ("Worker Version ID: <uuid>"). */
export function parseUploadedVersion(output) {
  const match =
    /Worker Version ID:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(
      output,
    )
  if (!match) throw new Error('wrangler versions upload printed no "Worker Version ID"')
  return match[1]
}

/**
 * Reads the version serving all traffic from `wrangler deployments status --json`. A deployment
 * still split between versions is an error: another rollout is in progress or was left halfway.
 */
export function parseCurrentVersion(output) {
  let deployment
  try {
    deployment = JSON.parse(output)
  } catch {
    throw new Error('wrangler deployments status --json printed no JSON')
  }

  const versions = Array.isArray(deployment?.versions) ? deployment.versions : []
  const full = versions.find((item) => item?.percentage === 100)
  if (full && typeof full.version_id === 'string') return full.version_id

  const split = versions.map((item) => `${item?.version_id}@${item?.percentage}%`).join(' ')
  throw new Error(
    `the current deployment is split (${split || 'no versions'}); finish or roll it back first`,
  )
}

/** Returns the plan as lines of text, for --dry-run and the start of a real run. */
export function describePlan(options) {
  const env = `--env ${options.env}`
  const lines = []
  if (!options.skipChecks) lines.push('npm run check:config', 'npm test')
  lines.push(`wrangler deployments status ${env} --json   (current version: <old>)`)
  lines.push(`wrangler versions upload ${env}   (new version: <new>)`)
  for (const step of options.steps) {
    lines.push(
      `wrangler versions deploy ${versionSpecs('<new>', '<old>', step).join(' ')} ${env} -y`,
    )
    if (options.soakSeconds > 0) lines.push(`wait ${options.soakSeconds} s`)
    lines.push(`node scripts/verify-deploy.mjs ${options.url ?? '<GATEWAY_URL>'}`)
  }
  lines.push(`on any failure: wrangler versions deploy <old>@100% ${env} -y`)
  return lines
}
