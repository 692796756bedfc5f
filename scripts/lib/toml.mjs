/**
 * A TOML reader for the subset wrangler.toml uses: comments, tables, arrays of tables, bare,
 * quoted and dotted keys, basic and literal strings, integers, floats, booleans, arrays and
 * inline tables. Multi-line strings and dates are rejected with an "unsupported" error rather
 * than read wrongly. Errors name the line.
 */
const BARE_KEY = /[A-Za-z0-9_-]/
const NUMBER = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9]+)?/
const UNICODE_ESCAPE_LENGTHS = { u: 4, U: 8 }
const ESCAPES = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' }

/** Parses TOML text into plain objects and arrays; throws an Error naming the line. */
export function parseToml(text) {
  return new TomlReader(text).document()
}

class TomlReader {
  constructor(text) {
    this.text = text.replace(/\r\n/g, '\n')
    this.at = 0
  }

  fail(message) {
    const line = this.text.slice(0, this.at).split('\n').length
    throw new Error(`TOML line ${line}: ${message}`)
  }

  peek(length = 1) {
    return this.text.slice(this.at, this.at + length)
  }

  expect(token) {
    if (this.peek(token.length) !== token) this.fail(`expected "${token}"`)
    this.at += token.length
  }

  skipSpaces() {
    while (this.peek() === ' ' || this.peek() === '\t') this.at += 1
  }

  /** Skips spaces, newlines and comments, as allowed between array items and statements. */
  skipBlank() {
    for (;;) {
      this.skipSpaces()
      if (this.peek() === '#') this.skipComment()
      else if (this.peek() === '\n') this.at += 1
      else return
    }
  }

  skipComment() {
    const end = this.text.indexOf('\n', this.at)
    this.at = end === -1 ? this.text.length : end
  }

  endOfLine() {
    this.skipSpaces()
    if (this.peek() === '#') this.skipComment()
    if (this.at < this.text.length && this.peek() !== '\n') this.fail('expected the end of line')
  }

  document() {
    const root = {}
    let current = root
    for (this.skipBlank(); this.at < this.text.length; this.skipBlank()) {
      if (this.peek(2) === '[[') current = this.arrayTableHeader(root)
      else if (this.peek() === '[') current = this.tableHeader(root)
      else this.keyValue(current)
      this.endOfLine()
    }
    return root
  }

  tableHeader(root) {
    this.expect('[')
    const path = this.dottedKey()
    this.expect(']')
    return descend(root, path, this)
  }

  arrayTableHeader(root) {
    this.expect('[[')
    const path = this.dottedKey()
    this.expect(']]')

    const parent = descend(root, path.slice(0, -1), this)
    const key = path[path.length - 1]
    if (parent[key] === undefined) parent[key] = []
    if (!Array.isArray(parent[key])) this.fail(`"${path.join('.')}" is not an array of tables`)

    const table = {}
    parent[key].push(table)
    return table
  }

  dottedKey() {
    const path = []
    for (;;) {
      this.skipSpaces()
      path.push(this.simpleKey())
      this.skipSpaces()
      if (this.peek() !== '.') return path
      this.at += 1
    }
  }

  simpleKey() {
    if (this.peek() === '"') return this.basicString()
    if (this.peek() === "'") return this.literalString()

    const start = this.at
    while (this.at < this.text.length && BARE_KEY.test(this.peek())) this.at += 1
    if (this.at === start) this.fail('expected a key')
    return this.text.slice(start, this.at)
  }

  keyValue(table) {
    const path = this.dottedKey()
    this.expect('=')
    this.skipSpaces()
    const value = this.value()

    const parent = descend(table, path.slice(0, -1), this)
    const key = path[path.length - 1]
    if (key in parent) this.fail(`duplicate key "${path.join('.')}"`)
    parent[key] = value
  }

  value() {
    const next = this.peek()
    if (this.peek(3) === '"""' || this.peek(3) === "'''") this.fail('unsupported multi-line string')
    if (next === '"') return this.basicString()
    if (next === "'") return this.literalString()
    if (next === '[') return this.array()
    if (next === '{') return this.inlineTable()
    if (this.peek(4) === 'true') return this.word('true', true)
    if (this.peek(5) === 'false') return this.word('false', false)
    return this.number()
  }

  word(token, value) {
    this.expect(token)
    return value
  }

  number() {
    const rest = this.text.slice(this.at, this.at + 64)
    if (/^\d{4}-\d{2}-\d{2}/.test(rest) || /^\d{2}:\d{2}/.test(rest)) this.fail('unsupported date')
    const match = NUMBER.exec(rest)
    if (!match) this.fail('expected a value')
    this.at += match[0].length
    return Number(match[0].replace(/_/g, ''))
  }

  basicString() {
    this.expect('"')
    let result = ''
    for (;;) {
      const next = this.peek()
      if (next === '' || next === '\n') this.fail('unterminated string')
      this.at += 1
      if (next === '"') return result
      result += next === '\\' ? this.escape() : next
    }
  }

  escape() {
    const next = this.peek()
    this.at += 1
    if (next in ESCAPES) return ESCAPES[next]

    const length = UNICODE_ESCAPE_LENGTHS[next] ?? 0
    const hex = this.text.slice(this.at, this.at + length)
    if (length === 0 || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) {
      this.fail(`invalid escape "\\${next}"`)
    }
    this.at += length
    return String.fromCodePoint(parseInt(hex, 16))
  }

  literalString() {
    this.expect("'")
    const end = this.text.indexOf("'", this.at)
    const newline = this.text.indexOf('\n', this.at)
    if (end === -1 || (newline !== -1 && newline < end)) this.fail('unterminated string')
    const result = this.text.slice(this.at, end)
    this.at = end + 1
    return result
  }

  array() {
    this.expect('[')
    const items = []
    for (;;) {
      this.skipBlank()
      if (this.peek() === ']') break
      items.push(this.value())
      this.skipBlank()
      if (this.peek() !== ',') break
      this.at += 1
    }
    this.expect(']')
    return items
  }

  inlineTable() {
    this.expect('{')
    const table = {}
    this.skipSpaces()
    while (this.peek() !== '}') {
      this.keyValue(table)
      this.skipSpaces()
      if (this.peek() !== ',') break
      this.at += 1
      this.skipSpaces()
    }
    this.expect('}')
    return table
  }
}

/** Walks `path` from `table`, creating tables and entering the last table of an array. */
function descend(table, path, reader) {
  let current = table
  for (const key of path) {
    if (current[key] === undefined) current[key] = {}
    const next = current[key]
    if (Array.isArray(next)) current = next[next.length - 1]
    else if (typeof next === 'object' && next !== null) current = next
    else reader.fail(`"${key}" is already a value, not a table`)
  }
  return current
}
