import { describe, expect, it } from 'vitest'
import { parseToml } from '../../scripts/lib/toml.mjs'

describe('parseToml', () => {
  it('reads tables and arrays of tables under dotted headers', () => {
    const text =
      '[env.staging]\nname = "a"\n[[env.staging.items]]\nx = 1\n[[env.staging.items]]\nx = 2\n'
    expect(parseToml(text)).toEqual({
      env: { staging: { name: 'a', items: [{ x: 1 }, { x: 2 }] } },
    })
  })

  it('reads a table header below an array of tables into its last item', () => {
    const text = '[[items]]\nname = "a"\n[items.inner]\nx = 1\n'
    expect(parseToml(text)).toEqual({ items: [{ name: 'a', inner: { x: 1 } }] })
  })

  it('reads inline tables, dotted keys and multi-line arrays with comments', () => {
    const text =
      'simple = { limit = 100, period = 60 }\na.b = true\nlist = [\n  "x", # first\n  "y",\n]\n'
    expect(parseToml(text)).toEqual({
      simple: { limit: 100, period: 60 },
      a: { b: true },
      list: ['x', 'y'],
    })
  })

  it('reads escapes in basic strings and keeps literal strings as written', () => {
    const text = 'basic = "a\\"b\\u00e9\\n"\nliteral = \'C:\\path\'\n'
    expect(parseToml(text)).toEqual({ basic: 'a"bé\n', literal: 'C:\\path' })
  })

  it('reads integers with underscores, signs and floats', () => {
    expect(parseToml('a = -1_000\nb = 2.5\nc = 1e3\n')).toEqual({ a: -1000, b: 2.5, c: 1000 })
  })

  it('keeps a hash inside a string', () => {
    expect(parseToml('a = "x # y" # comment\n')).toEqual({ a: 'x # y' })
  })

  it('reads quoted keys', () => {
    expect(parseToml('"a.b" = 1\n')).toEqual({ 'a.b': 1 })
  })

  it('rejects a duplicate key', () => {
    expect(() => parseToml('a = 1\na = 2\n')).toThrow('TOML line 2: duplicate key "a"')
  })

  it('rejects a multi-line string as unsupported', () => {
    expect(() => parseToml('a = """\nx\n"""\n')).toThrow('unsupported multi-line string')
  })

  it('rejects a date as unsupported', () => {
    expect(() => parseToml('a = 2026-04-26\n')).toThrow('unsupported date')
  })

  it('rejects two values on one line', () => {
    expect(() => parseToml('a = 1 b = 2\n')).toThrow('expected the end of line')
  })

  it('rejects a bare word as a value', () => {
    expect(() => parseToml('a = yes\n')).toThrow('TOML line 1: expected a value')
  })
})
