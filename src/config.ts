/**
 * Reads and validates the Worker's bindings into one typed Config. Invalid configuration throws
 * a ConfigError naming the field and value; the gateway then returns 500 for every request
 * rather than serve with a guessed setting.
 */
import { clusterFor, isClusterName, type Cluster } from './cluster'
import type { Env } from './env'
import { healthPaths } from './ops/health-paths'
import { ConfigError } from './errors'
import { loadLimitsConfig, type LimitsConfig } from './limits/config'
import { loadProxyConfig, type ProxyConfig } from './proxy/config'
import { loadSiwsConfig, type SiwsConfig } from './siws/config'

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export interface Config {
  environment: Environment
  cluster: Cluster
  /** True outside local development: cookies get `Secure`, origins must be https. */
  secure: boolean
  siws: SiwsConfig
  limits: LimitsConfig
  proxy: ProxyConfig
  /** Paths the readiness probe requests from each origin. */
  healthPaths: { web: string; api: string }
}

const cache = new WeakMap<object, Config>()

/** Returns the validated Config for these bindings, computed once per bindings object. */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env)
  if (cached) return cached

  const config = buildConfig(env)
  cache.set(env, config)
  return config
}

function buildConfig(env: Env): Config {
  const environment = env.ENVIRONMENT
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
    throw new ConfigError('ENVIRONMENT', environment, ENVIRONMENTS.join(' or '))
  }

  const clusterName = env.SOLANA_CLUSTER
  if (!isClusterName(clusterName)) {
    throw new ConfigError('SOLANA_CLUSTER', clusterName, 'devnet or mainnet-beta')
  }

  const secure = environment !== 'development'
  const cluster = clusterFor(clusterName)
  return {
    environment: environment as Environment,
    cluster,
    secure,
    siws: loadSiwsConfig(env, { secure, cluster }),
    limits: loadLimitsConfig(env, { cluster, secure }),
    proxy: loadProxyConfig(env, { secure }),
    healthPaths: healthPaths(env),
  }
}
