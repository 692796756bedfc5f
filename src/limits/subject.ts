/**
 * Builds limiter keys. A signed-in caller is counted by wallet, anyone else by the client IP
 * from `CF-Connecting-IP`, which Cloudflare sets and a client cannot override. No other header
 * (X-Forwarded-For, X-Real-IP, True-Client-IP) is ever read, because a client can set those.
 */
import type { Session } from '../types'
import type { SubjectKind } from './policies'
import { isTier, type Tier } from './tiers'

/**
 * Used when `CF-Connecting-IP` is missing or not an IP address. Behind Cloudflare it is always
 * set, so this happens only in local development and tests, where all such callers share one key.
 */
export const UNKNOWN_IP_SUBJECT = 'ip:unknown'

/** Returns the tier whose limits apply: the session's, or ANONYMOUS without a valid one. */
export function callerTier(session: Session | null): Tier {
  return session && isTier(session.tier) ? session.tier : 'ANONYMOUS'
}

/** Returns `<cluster prefix>:<policy>:<subject>`, the name of one limiter object. */
export function limiterKey(prefix: string, policy: string, subject: string): string {
  return `${prefix}:${policy}:${subject}`
}

/** Returns `wallet:<address>` for a signed-in caller of a per-caller policy, else `ip:<ip>`. */
export function subjectFor(
  kind: SubjectKind,
  session: Session | null,
  connectingIp: string | undefined,
): string {
  return subjectOf(kind, session, ipSubject(connectingIp))
}

/** As subjectFor, with the caller's `ip:` subject already computed by ipSubject. */
export function subjectOf(kind: SubjectKind, session: Session | null, ip: string): string {
  return kind === 'caller' && session ? `wallet:${session.address}` : ip
}

/**
 * Returns `ip:<IPv4>` or `ip:<IPv6 /64 prefix>::/64`. An IPv6 client usually controls a whole
 * /64, so keying by the full address would let it rotate through 2^64 keys.
 */
export function ipSubject(ip: string | undefined): string {
  const value = ip?.trim().toLowerCase() ?? ''
  if (isIpv4(value)) return `ip:${value}`

  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value)?.[1]
  if (mapped !== undefined && isIpv4(mapped)) return `ip:${mapped}`

  const prefix = ipv6Prefix(value)
  return prefix === undefined ? UNKNOWN_IP_SUBJECT : `ip:${prefix}::/64`
}

function isIpv4(value: string): boolean {
  const parts = value.split('.')
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
}

/** Returns the first four groups of an IPv6 address, without leading zeros, or undefined. */
function ipv6Prefix(value: string): string | undefined {
  const halves = value.split('::')
  if (halves.length > 2 || !value.includes(':')) return undefined

  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves[1] ? halves[1].split(':') : []
  const last = tail.at(-1) ?? head.at(-1)
  const tailGroups = last !== undefined && isIpv4(last) ? 1 : 0
  const groups = halves.length === 2 ? fill(head, tail, 8 - tailGroups) : head
  if (groups.length !== 8 - tailGroups) return undefined

  const hex = groups.slice(0, tailGroups ? 6 : 8)
  if (!hex.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined
  return groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')
}

function fill(head: string[], tail: string[], total: number): string[] {
  const missing = total - head.length - tail.length
  return missing < 1 ? [] : [...head, ...Array<string>(missing).fill('0'), ...tail]
}
