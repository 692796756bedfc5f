/**
 * Everything that follows from the one `SOLANA_CLUSTER` binding. Nothing else in the gateway
 * names a cluster; it asks this module.
 */
export const CLUSTERS = ['devnet', 'mainnet-beta'] as const
export type ClusterName = (typeof CLUSTERS)[number]

export interface Cluster {
  name: ClusterName
  /** CAIP-2 style chain id the gateway writes into SIWS messages. */
  chainId: string
  /** Every `Chain ID` spelling wallets use for this cluster. */
  acceptedChainIds: readonly string[]
  /** Public JSON-RPC endpoint of the cluster. */
  rpcUrl: string
  /** Prefix of every limiter and nonce key, so clusters never share state. */
  keyPrefix: string
}

const CLUSTER_TABLE: Record<ClusterName, Cluster> = {
  devnet: {
    name: 'devnet',
    chainId: 'solana:devnet',
    acceptedChainIds: ['solana:devnet', 'devnet'],
    rpcUrl: 'https://api.devnet.solana.com',
    keyPrefix: 'devnet',
  },
  'mainnet-beta': {
    name: 'mainnet-beta',
    chainId: 'solana:mainnet',
    acceptedChainIds: ['solana:mainnet', 'mainnet'],
    rpcUrl: 'https://api.mainnet-beta.solana.com',
    keyPrefix: 'mainnet-beta',
  },
}

export function isClusterName(value: string): value is ClusterName {
  return (CLUSTERS as readonly string[]).includes(value)
}

/** Returns the cluster description for a validated cluster name. */
export function clusterFor(name: ClusterName): Cluster {
  return CLUSTER_TABLE[name]
}
