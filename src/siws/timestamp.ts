/**
 * Strict RFC 3339 timestamps, as wallets and `Date.prototype.toISOString` write them. Pure.
 */

/**
 * `date-time` of RFC 3339 section 5.6 with an upper-case `T` and `Z`. RFC 3339 also allows
 * lower-case letters and a space in place of `T`; wallets do not send them, so they are rejected.
 */
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    return leap ? 29 : 28
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * Parses an RFC 3339 timestamp into milliseconds since the Unix epoch, or returns undefined.
 * Fractions finer than a millisecond are truncated. A leap second (`:60`) is rejected.
 */
export function parseTimestamp(value: string): number | undefined {
  const match = RFC_3339.exec(value)
  if (!match) return undefined

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  if (year === undefined || month === undefined || day === undefined) return undefined
  if (hour === undefined || minute === undefined || second === undefined) return undefined
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined

  const offset = parseOffset(match[8], match[9], match[10])
  if (offset === undefined) return undefined

  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3))
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  return date.getTime() - offset
}

/** Returns the offset from UTC in milliseconds, 0 for `Z`, or undefined when out of range. */
function parseOffset(
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
): number | undefined {
  if (sign === undefined) return 0

  const h = Number(hours)
  const m = Number(minutes)
  if (h > 23 || m > 59) return undefined

  const magnitude = (h * 60 + m) * 60_000
  return sign === '-' ? -magnitude : magnitude
}

/**
 * Formats seconds since the Unix epoch as an ISO 8601 timestamp in UTC. Returns null for a time
 * that `Date` cannot represent (beyond 8.64e12 seconds either side of the epoch), where
 * `toISOString` would throw a RangeError.
 */
export function formatEpochSeconds(seconds: number): string | null {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
