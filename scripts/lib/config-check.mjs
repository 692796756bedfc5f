/**
 * Cross-environment checks of a parsed wrangler.toml. Wrangler does not inherit vars or
 * bindings into [env.*] sections, so an environment that forgot one deploys without it. These
 * checks catch that and the other mistakes listed in `checkConfig`. Pure: no file or process.
 */
import { isSecretName, looksLikeSecret } from './secret-like.mjs'

const LOCAL = 'top level'
const EXPECTED_CLUSTERS = { staging: 'devnet', production: 'mainnet-beta' }
const CLUSTERS = ['devnet', 'mainnet-beta']

/** Binding kinds and the field that names each binding. */
const BINDING_KINDS = [
  ['durable_objects.bindings', 'name'],
  ['ratelimits', 'name'],
  ['kv_namespaces', 'binding'],
  ['r2_buckets', 'binding'],
  ['d1_databases', 'binding'],
  ['services', 'binding'],
  ['queues.producers', 'binding'],
  ['analytics_engine_datasets', 'binding'],
  ['hyperdrive', 'binding'],
  ['vectorize', 'binding'],
]

/** Keys whose values are Cloudflare resource ids: public, and often 32 hex digits. */
const ID_KEY = /(^|_)id$/

function at(table, dottedPath) {
  return dottedPath.split('.').reduce((value, key) => value?.[key], table)
}

/** Lists the environments: the top level (local development) first, then each [env.NAME]. */
export function environments(config) {
  const list = [{ name: LOCAL, table: config, local: true }]
  for (const [name, table] of Object.entries(config.env ?? {})) {
    list.push({ name, table, local: false })
  }
  return list
}

/** Returns the var and binding names an environment declares, as "vars.X" and "kind X". */
function inventory(table) {
  const names = Object.keys(table.vars ?? {}).map((name) => `var ${name}`)
  for (const [kind, field] of BINDING_KINDS) {
    const entries = at(table, kind)
    if (!Array.isArray(entries)) continue
    for (const entry of entries) names.push(`${kind} binding ${entry?.[field]}`)
  }
  return names
}

function checkMissing(envs, problems) {
  const owners = new Map()
  for (const env of envs) {
    for (const item of inventory(env.table)) owners.set(item, [...(owners.get(item) ?? []), env])
  }

  for (const [item, having] of owners) {
    for (const env of envs.filter((candidate) => !having.includes(candidate))) {
      const others = having.map((owner) => owner.name).join(', ')
      problems.push(`${env.name}: missing ${item}, which ${others} declares`)
    }
  }
}

function checkClusters(envs, problems) {
  for (const name of Object.keys(EXPECTED_CLUSTERS)) {
    if (!envs.some((env) => env.name === name)) problems.push(`environment ${name} is missing`)
  }

  for (const env of envs) {
    const cluster = env.table.vars?.SOLANA_CLUSTER
    const expected = EXPECTED_CLUSTERS[env.name]
    if (expected && cluster !== expected) {
      problems.push(
        `${env.name}: vars.SOLANA_CLUSTER is ${JSON.stringify(cluster)}, expected ${expected}`,
      )
    } else if (!CLUSTERS.includes(cluster)) {
      problems.push(
        `${env.name}: vars.SOLANA_CLUSTER is ${JSON.stringify(cluster)}, expected devnet or mainnet-beta`,
      )
    }
  }
}

/** Vars named *_ORIGIN(S) or *_URL(S), or whose value starts with a URL scheme. */
function isOriginVar(name, value) {
  return /(ORIGIN|URL)S?$/.test(name) || (typeof value === 'string' && /^[a-z]+:\/\//i.test(value))
}

function checkOrigins(envs, problems) {
  for (const env of envs.filter((candidate) => !candidate.local)) {
    for (const [name, value] of Object.entries(env.table.vars ?? {})) {
      if (!isOriginVar(name, value)) continue
      for (const item of String(value)
        .split(',')
        .filter((part) => part.trim() !== '')) {
        const problem = originProblem(item.trim())
        if (problem) problems.push(`${env.name}: vars.${name} ${problem}`)
      }
    }
  }
}

function originProblem(value) {
  let url
  try {
    url = new URL(String(value))
  } catch {
    return `is ${JSON.stringify(value)}, not a URL`
  }

  if (url.protocol !== 'https:') return `is ${value}; origins outside local development use https`
  if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    return `is ${value}, a loopback address outside local development`
  }
  return undefined
}

/** Reports values that two environments share although each must own its own. */
function checkShared(envs, label, valuesOf, problems) {
  const seen = new Map()
  for (const env of envs) {
    for (const value of new Set(valuesOf(env))) {
      const first = seen.get(value)
      if (first) problems.push(`${first} and ${env.name} share ${label} ${JSON.stringify(value)}`)
      else seen.set(value, env.name)
    }
  }
}

function workerName(env, config) {
  if (env.local) return [config.name]
  return [env.table.name ?? `${config.name}-${env.name}`]
}

function scriptNames(env) {
  const bindings = at(env.table, 'durable_objects.bindings') ?? []
  return bindings.map((binding) => binding?.script_name).filter((name) => name !== undefined)
}

function namespaceIds(env) {
  const limits = env.table.ratelimits ?? []
  return limits
    .map((limit) => limit?.namespace_id)
    .filter((id) => id !== undefined)
    .map(String)
}

function checkSecrets(envs, problems) {
  for (const env of envs) {
    for (const problem of secretProblems(env.table, '')) problems.push(`${env.name}: ${problem}`)
  }
}

/** Walks a table and lists vars named like secrets and values that look like secrets. */
function secretProblems(value, path) {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => secretProblems(item, `${path}[${index}]`))
  }
  if (typeof value !== 'object' || value === null) {
    return looksLikeSecret(value)
      ? [`${path} looks like a secret; use wrangler secret instead`]
      : []
  }

  return Object.entries(value).flatMap(([key, child]) => {
    // The top level's `env` table contains the other environments, which are checked on their own.
    if (path === '' && key === 'env') return []

    const childPath = path === '' ? key : `${path}.${key}`
    if (path === 'vars' && isSecretName(key)) {
      return [`${childPath} is named like a secret; use wrangler secret instead`]
    }
    return ID_KEY.test(key) ? [] : secretProblems(child, childPath)
  })
}

/**
 * Returns a list of problems, each naming the environment and field, and an empty list when the
 * file passes. It reports a var or binding that one environment lacks, a wrong cluster, and a
 * non-https origin outside local development. It also reports a worker name, Durable Object
 * script name or ratelimits namespace_id that two environments share, and anything that looks
 * like a secret.
 */
export function checkConfig(config) {
  const envs = environments(config)
  const problems = []

  checkMissing(envs, problems)
  checkClusters(envs, problems)
  checkOrigins(envs, problems)
  checkShared(envs, 'the worker name', (env) => workerName(env, config), problems)
  checkShared(envs, 'the Durable Object script_name', scriptNames, problems)
  checkShared(envs, 'the ratelimits namespace_id', namespaceIds, problems)
  checkSecrets(envs, problems)
  return problems
}
