import { describe, expect, it } from 'vitest'
import { setNewest } from '../src/bounded-map'

describe('setNewest', () => {
  it('drops the oldest entry at the size limit', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ])
    setNewest(map, 'c', 3, 2)
    expect([...map.keys()]).toEqual(['b', 'c'])
  })

  it('moves a key set again to the newest place', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ])
    setNewest(map, 'a', 10, 2)
    expect([...map.entries()]).toEqual([
      ['b', 2],
      ['a', 10],
    ])
  })

  it('drops nothing below the size limit', () => {
    const map = new Map([['a', 1]])
    setNewest(map, 'b', 2, 3)
    expect(map.size).toBe(2)
  })
})
