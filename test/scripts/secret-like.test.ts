import { describe, expect, it } from 'vitest'
import { entropy, isSecretName, looksLikeSecret } from '../../scripts/lib/secret-like.mjs'

describe('looksLikeSecret', () => {
  it.each([
    ['random base64url', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg'],
    ['32 hex digits', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    ['a JSON Web Token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['a URL with a password', 'https://user:pass@db.example.com'],
    ['a URL with a key parameter', 'https://rpc.example.com/?api_key=abc'],
    ['a random item in a list', 'devnet,Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg'],
  ])('flags %s', (_case, value) => {
    expect(looksLikeSecret(value)).toBe(true)
  })

  it.each([
    ['a cluster name', 'mainnet-beta'],
    ['a list of origins', 'http://127.0.0.1:8787,http://localhost:3000'],
    ['a list of RPC methods', 'getAccountInfo,getBalance,getBlockHeight,getEpochInfo'],
    ['a JSON route table', '{"/dashboard":"EARLY_ACCESS","/agents":"EARLY_ACCESS"}'],
    ['a worker name', 'solana-edge-gateway-production'],
    ['a number', 3600],
  ])('passes %s', (_case, value) => {
    expect(looksLikeSecret(value)).toBe(false)
  })
})

describe('isSecretName', () => {
  it.each(['JWT_SECRET', 'API_TOKEN', 'RPC_KEY', 'DB_PASSWORD'])('flags %s', (name) => {
    expect(isSecretName(name)).toBe(true)
  })

  it('passes an origin name', () => {
    expect(isSecretName('WEB_ORIGIN')).toBe(false)
  })
})

describe('entropy', () => {
  it('is zero for one repeated character', () => {
    expect(entropy('aaaa')).toBe(0)
  })

  it('is two bits for four equally frequent characters', () => {
    expect(entropy('abcd')).toBe(2)
  })
})
