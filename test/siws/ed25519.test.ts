import fc from 'fast-check'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { checkPublicKey, checkSignature, verifyEd25519 } from '../../src/siws/ed25519'
import { newSigner, sign, utf8 } from './helpers'

// Curve25519 facts, computed here independently of the module under test.
const P = 2n ** 255n - 19n
const L = 2n ** 252n + 27742317777372353535851937790883648493n

const mod = (a: bigint): bigint => ((a % P) + P) % P

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = mod(base)
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P
    b = (b * b) % P
  }
  return result
}

const inverse = (a: bigint): bigint => power(a, P - 2n)
const D = mod(-121665n * inverse(121666n))
const SQRT_M1 = power(2n, (P - 1n) / 4n)

/** Square root mod p for p = 5 mod 8, or undefined when `a` is not a square. */
function sqrt(a: bigint): bigint | undefined {
  const candidate = power(a, (P + 3n) / 8n)
  if (mod(candidate * candidate - a) === 0n) return candidate
  const other = (candidate * SQRT_M1) % P
  return mod(other * other - a) === 0n ? other : undefined
}

type Point = readonly [bigint, bigint]
const IDENTITY: Point = [0n, 1n]

/** Adds two points of the twisted Edwards curve -x² + y² = 1 + d·x²·y². */
function add([x1, y1]: Point, [x2, y2]: Point): Point {
  const t = mod(D * x1 * x2 * y1 * y2)
  return [mod((x1 * y2 + y1 * x2) * inverse(1n + t)), mod((y1 * y2 + x1 * x2) * inverse(1n - t))]
}

function multiply(point: Point, times: number): Point {
  let result = IDENTITY
  for (let i = 0; i < times; i++) result = add(result, point)
  return result
}

const isIdentity = ([x, y]: Point): boolean => x === 0n && y === 1n

/** Finds a point of order 8. It doubles to (±sqrt(-1), 0), so d·y⁴ + 2y² - 1 = 0. */
function pointOfOrder8(): Point {
  const root = sqrt(mod(1n + D))
  if (root === undefined) throw new Error('1 + d has no square root')
  for (const ySquared of [mod((-1n + root) * inverse(D)), mod((-1n - root) * inverse(D))]) {
    const y = sqrt(ySquared)
    if (y === undefined) continue
    const x = sqrt(mod((y * y - 1n) * inverse(D * y * y + 1n)))
    if (x !== undefined) return [x, y]
  }
  throw new Error('no point of order 8 found')
}

function encode(y: bigint, signBit: number): Uint8Array {
  const bytes = new Uint8Array(32)
  let value = y
  for (let i = 0; i < 32; i++) {
    bytes[i] = Number(value & 0xffn)
    value >>= 8n
  }
  bytes[31] = (bytes[31] ?? 0) | (signBit << 7)
  return bytes
}

const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')

const torsion = Array.from({ length: 8 }, (_, k) => multiply(pointOfOrder8(), k))

// Every 32-byte string that decodes to a point of the 8-torsion subgroup.
const smallOrderEncodings = [...new Set(torsion.map(([, y]) => y))].flatMap((y) => {
  const spellings = y + P < 2n ** 255n ? [y, y + P] : [y]
  return spellings.flatMap((spelling) => [encode(spelling, 0), encode(spelling, 1)])
})

const signer = newSigner(new Uint8Array(32).fill(1))
const message = utf8('gateway.test wants you to sign in with your Solana account:')
const signature = sign(message, signer)

function withScalarPlusL(sig: Uint8Array): Uint8Array {
  let s = 0n
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] ?? 0)
  const result = sig.slice()
  result.set(encode(s + L, 0), 32)
  return result
}

const FORGED_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0))
const FORGED_SIGNATURE = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0))

describe('curve facts behind the small-order list', () => {
  it('finds eight distinct torsion points', () => {
    expect(new Set(torsion.map(([x, y]) => `${x},${y}`)).size).toBe(8)
  })

  it('finds a generator of order exactly 8', () => {
    expect(isIdentity(multiply(pointOfOrder8(), 4))).toBe(false)
    expect(isIdentity(multiply(pointOfOrder8(), 8))).toBe(true)
  })

  it('counts fourteen encodings of torsion points', () => {
    expect(smallOrderEncodings.length).toBe(14)
  })
})

describe('verifyEd25519', () => {
  it('accepts a tweetnacl signature', async () => {
    expect(await verifyEd25519(signer.publicKey, message, signature)).toEqual({ ok: true })
  })

  it('rejects a signature of another message', async () => {
    const result = await verifyEd25519(signer.publicKey, utf8('other'), signature)
    expect(result).toEqual({ ok: false, reason: 'signature does not verify' })
  })

  it('rejects a signature by another key', async () => {
    const other = newSigner(new Uint8Array(32).fill(2))
    const result = await verifyEd25519(other.publicKey, message, signature)
    expect(result).toEqual({ ok: false, reason: 'signature does not verify' })
  })

  it('rejects a 63-byte signature', async () => {
    const result = await verifyEd25519(signer.publicKey, message, signature.subarray(0, 63))
    expect(result).toEqual({ ok: false, reason: 'signature is 63 bytes; expected 64' })
  })

  it('rejects a 65-byte signature', async () => {
    const long = Uint8Array.from([...signature, 0])
    expect((await verifyEd25519(signer.publicKey, message, long)).ok).toBe(false)
  })

  it('rejects a 31-byte key', async () => {
    const result = await verifyEd25519(signer.publicKey.subarray(0, 31), message, signature)
    expect(result).toEqual({ ok: false, reason: 'public key is 31 bytes; expected 32' })
  })

  it('rejects a non-reduced scalar that tweetnacl accepts', async () => {
    const malleated = withScalarPlusL(signature)
    expect(nacl.sign.detached.verify(message, malleated, signer.publicKey)).toBe(true)
    const result = await verifyEd25519(signer.publicKey, message, malleated)
    expect(result).toEqual({ ok: false, reason: 'signature scalar S is not reduced' })
  })

  it('rejects the small-order forgery that tweetnacl accepts for any message', async () => {
    for (const text of ['', 'anything', 'gateway.test wants you to sign in']) {
      expect(nacl.sign.detached.verify(utf8(text), FORGED_SIGNATURE, FORGED_KEY)).toBe(true)
    }
    const result = await verifyEd25519(FORGED_KEY, message, FORGED_SIGNATURE)
    expect(result).toEqual({ ok: false, reason: 'public key has small order' })
  })

  it('rejects every encoding of a small-order key', async () => {
    for (const key of smallOrderEncodings) {
      const result = await verifyEd25519(key, message, FORGED_SIGNATURE)
      expect(result, toHex(key)).toEqual({
        ok: false,
        reason: 'public key has small order',
      })
    }
  })

  it('rejects a key with a non-canonical y', async () => {
    const result = await verifyEd25519(encode(P + 5n, 0), message, signature)
    expect(result).toEqual({ ok: false, reason: 'public key encoding is not canonical' })
  })

  it('rejects a key that is not a curve point without throwing', async () => {
    const notOnCurve = encode(2n, 0)
    expect(sqrt(mod((4n - 1n) * inverse(D * 4n + 1n)))).toBeUndefined()
    expect((await verifyEd25519(notOnCurve, message, signature)).ok).toBe(false)
  })
})

describe('checkPublicKey and checkSignature', () => {
  it('accept a generated key', () => {
    expect(checkPublicKey(signer.publicKey)).toEqual({ ok: true })
  })

  it('accept a signature with S = L - 1', () => {
    const sig = new Uint8Array(64)
    sig.set(encode(L - 1n, 0), 32)
    expect(checkSignature(sig)).toEqual({ ok: true })
  })

  it('reject a signature with S = L', () => {
    const sig = new Uint8Array(64)
    sig.set(encode(L, 0), 32)
    expect(checkSignature(sig).ok).toBe(false)
  })

  it.each([
    ['2^252, below L with the same top byte', 2n ** 252n, true],
    ['L - 2^8, differing below the top byte', L - 256n, true],
    ['L + 1', L + 1n, false],
    ['2^253, above L by the top byte', 2n ** 253n, false],
    ['2^255 - 1', 2n ** 255n - 1n, false],
  ])('judge S = %s by its bytes', (_name, scalar, accepted) => {
    const sig = new Uint8Array(64)
    sig.set(encode(scalar, 0), 32)
    expect(checkSignature(sig).ok).toBe(accepted)
  })

  it.each([
    ['p - 2, the largest canonical y outside the torsion set', P - 2n, 0, true],
    ['p - 2 with the sign bit set', P - 2n, 1, true],
    ['p + 2', P + 2n, 0, false],
    ['p + 5 with the sign bit set', P + 5n, 1, false],
    ['2^255 - 1', 2n ** 255n - 1n, 0, false],
  ])('judge a key with y = %s by its bytes', (_name, y, signBit, accepted) => {
    expect(checkPublicKey(encode(y, signBit)).ok).toBe(accepted)
  })
})

/** The refusals this module adds to what tweetnacl checks. */
const EXTRA_REFUSALS = [
  /^public key is \d+ bytes/,
  /^signature is \d+ bytes/,
  /^signature scalar S is not reduced$/,
  /^public key has small order$/,
  /^public key encoding is not canonical$/,
]

function naclVerify(msg: Uint8Array, sig: Uint8Array, key: Uint8Array): boolean | 'throws' {
  try {
    return nacl.sign.detached.verify(msg, sig, key)
  } catch {
    return 'throws'
  }
}

const validCase = fc
  .record({
    seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    message: fc.uint8Array({ maxLength: 200 }),
  })
  .map(({ seed, message: msg }) => {
    const pair = newSigner(seed)
    return { key: pair.publicKey, msg, sig: sign(msg, pair) }
  })

type Case = { key: Uint8Array; msg: Uint8Array; sig: Uint8Array }

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice()
  if (copy.length === 0) return copy
  const index = Math.floor(bit / 8) % copy.length
  copy[index] = (copy[index] ?? 0) ^ (1 << (bit % 8))
  return copy
}

const mutatedCase = fc
  .tuple(validCase, fc.constantFrom('key', 'msg', 'sig', 'malleate', 'truncate'), fc.nat(511))
  .map(([c, part, bit]): Case => {
    if (part === 'malleate') return { ...c, sig: withScalarPlusL(c.sig) }
    if (part === 'truncate') return { ...c, sig: c.sig.subarray(0, bit % 64) }
    return { ...c, [part]: flipBit(c[part], bit) }
  })

const randomCase = fc.record({
  key: fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.constantFrom(...smallOrderEncodings),
    fc.uint8Array({ maxLength: 40 }),
  ),
  msg: fc.uint8Array({ maxLength: 64 }),
  sig: fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constant(FORGED_SIGNATURE)),
})

describe('verifyEd25519 against tweetnacl', () => {
  it('agrees on every input except the documented extra refusals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(validCase, mutatedCase, randomCase), async ({ key, msg, sig }) => {
        const ours = await verifyEd25519(key, msg, sig)
        const theirs = naclVerify(msg, sig, key)
        if (ours.ok) {
          expect(theirs).toBe(true)
        } else if (!EXTRA_REFUSALS.some((pattern) => pattern.test(ours.reason))) {
          expect(theirs, ours.reason).toBe(false)
        }
      }),
      { numRuns: 300 },
    )
    // tweetnacl takes milliseconds per verify, so 300 runs outlast the default 5 s on a busy machine.
  }, 60_000)
})
