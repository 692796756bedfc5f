/**
 * Reads a wallet's balance of one SPL token with the Solana JSON-RPC method
 * `getTokenAccountsByOwner` (jsonParsed encoding), summed over all of the wallet's token
 * accounts for that mint. Returns a result with a reason and never throws.
 */
export type BalanceResult = { ok: true; balance: number } | { ok: false; reason: string }

const RPC_TIMEOUT_MS = 3000

interface TokenAmount {
  amount: string
  decimals: number
}

/** Fetches the summed balance in whole tokens (amount / 10^decimals). */
export async function fetchTokenBalance(
  rpcUrl: string,
  owner: string,
  mint: string,
): Promise<BalanceResult> {
  const request = {
    jsonrpc: '2.0',
    id: 1,
    method: 'getTokenAccountsByOwner',
    params: [owner, { mint }, { encoding: 'jsonParsed', commitment: 'confirmed' }],
  }

  let body: unknown
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    })
    if (!response.ok) return { ok: false, reason: `rpc_http_${response.status}` }
    body = await response.json()
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown'
    return { ok: false, reason: `rpc_failed: ${name}` }
  }
  return sumBalance(body)
}

function sumBalance(body: unknown): BalanceResult {
  const envelope = body as { error?: { code?: unknown }; result?: { value?: unknown } } | null
  if (envelope?.error !== undefined) {
    return { ok: false, reason: `rpc_error: ${String(envelope.error?.code)}` }
  }

  const accounts = envelope?.result?.value
  if (!Array.isArray(accounts)) return { ok: false, reason: 'rpc_result_invalid' }

  let balance = 0
  for (const account of accounts) {
    const amount = tokenAmountOf(account)
    if (amount === undefined) return { ok: false, reason: 'rpc_token_amount_invalid' }
    balance += Number(BigInt(amount.amount)) / 10 ** amount.decimals
  }
  return { ok: true, balance }
}

function tokenAmountOf(account: unknown): TokenAmount | undefined {
  const info = (account as { account?: { data?: { parsed?: { info?: unknown } } } } | null)?.account
    ?.data?.parsed?.info as { tokenAmount?: Partial<TokenAmount> } | undefined
  const amount = info?.tokenAmount
  if (typeof amount?.amount !== 'string' || !/^\d{1,40}$/.test(amount.amount)) return undefined
  if (!Number.isInteger(amount.decimals) || (amount.decimals as number) < 0) return undefined
  if ((amount.decimals as number) > 18) return undefined
  return amount as TokenAmount
}
