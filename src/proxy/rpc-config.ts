/**
 * Reads the Solana RPC proxy's bindings. `SOLANA_RPC_URL` and `SOLANA_RPC_BACKUP_URL` may carry a
 * provider key in their path or query, so deployed environments set them as secrets; without
 * `SOLANA_RPC_URL` the gateway uses the cluster's public endpoint.
 */
import type { Env } from '../env'
import { parseEndpointUrl, parseList, parsePositiveInteger } from './parse'

export interface RpcConfig {
  /** Primary endpoint; undefined means the configured cluster's public endpoint. */
  url: string | undefined
  backupUrl: string | undefined
  allowedMethods: ReadonlySet<string>
  /** Time allowed for an endpoint to send its response headers, in milliseconds. */
  timeoutMs: number
}

/**
 * Methods a browser wallet app calls when `RPC_ALLOWED_METHODS` is not set: reads, simulation and
 * sending signed transactions. Validator-level and airdrop methods are left out.
 */
export const DEFAULT_RPC_METHODS = [
  'getAccountInfo',
  'getBalance',
  'getBlockHeight',
  'getEpochInfo',
  'getFeeForMessage',
  'getGenesisHash',
  'getHealth',
  'getLatestBlockhash',
  'getMinimumBalanceForRentExemption',
  'getMultipleAccounts',
  'getProgramAccounts',
  'getRecentPrioritizationFees',
  'getSignatureStatuses',
  'getSignaturesForAddress',
  'getSlot',
  'getTokenAccountBalance',
  'getTokenAccountsByOwner',
  'getTransaction',
  'getVersion',
  'isBlockhashValid',
  'sendTransaction',
  'simulateTransaction',
]

export const DEFAULT_RPC_TIMEOUT_MS = 10_000

export function loadRpcConfig(env: Env, context: { secure: boolean }): RpcConfig {
  const { secure } = context
  const url = env.SOLANA_RPC_URL
  const backupUrl = env.SOLANA_RPC_BACKUP_URL
  const methods = parseList(env.RPC_ALLOWED_METHODS)

  return {
    url: url ? parseEndpointUrl('SOLANA_RPC_URL', url, secure) : undefined,
    backupUrl: backupUrl ? parseEndpointUrl('SOLANA_RPC_BACKUP_URL', backupUrl, secure) : undefined,
    allowedMethods: new Set(methods.length > 0 ? methods : DEFAULT_RPC_METHODS),
    timeoutMs: parsePositiveInteger('RPC_TIMEOUT_MS', env.RPC_TIMEOUT_MS, DEFAULT_RPC_TIMEOUT_MS),
  }
}
