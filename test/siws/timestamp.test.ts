import { describe, expect, it } from 'vitest'
import { formatEpochSeconds } from '../../src/siws/timestamp'

describe('formatEpochSeconds', () => {
  it('formats seconds since the epoch as ISO 8601 in UTC', () => {
    expect(formatEpochSeconds(1_714_564_800)).toBe('2024-05-01T12:00:00.000Z')
  })

  it('formats the last time Date can represent', () => {
    expect(formatEpochSeconds(8.64e12)).toBe('+275760-09-13T00:00:00.000Z')
  })

  it('returns null for 1e20 seconds instead of throwing', () => {
    expect(formatEpochSeconds(1e20)).toBeNull()
  })

  it('returns null for NaN', () => {
    expect(formatEpochSeconds(Number.NaN)).toBeNull()
  })
})
