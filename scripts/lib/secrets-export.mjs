/**
 * Reads a secrets export: the JSON array of `{key, value}` objects that
 * `infisical export --format=json` writes, or a flat `{"NAME": "value"}` object. Error messages
 * name secrets by key or position only, never by value.
 */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Parses and validates an export; returns `{ NAME: value }` or throws an Error. */
export function parseSecretsExport(text) {
  let data
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error('the export is not valid JSON')
  }

  const entries = Array.isArray(data) ? arrayEntries(data) : objectEntries(data)
  if (entries.length === 0) throw new Error('the export contains no secrets')

  const secrets = {}
  for (const [name, value] of entries) {
    validate(name, value, secrets)
    secrets[name] = value
  }
  return secrets
}

function arrayEntries(items) {
  return items.map((item, index) => {
    if (typeof item !== 'object' || item === null || !('key' in item)) {
      throw new Error(`item ${index} of the export has no "key"`)
    }
    return [item.key, item.value]
  })
}

function objectEntries(data) {
  if (typeof data !== 'object' || data === null) {
    throw new Error('the export must be an array of {key, value} objects or a flat object')
  }
  return Object.entries(data)
}

function validate(name, value, seen) {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new Error(`invalid secret name ${JSON.stringify(name)}; use letters, digits and _`)
  }
  if (Object.hasOwn(seen, name)) throw new Error(`secret ${name} appears twice`)
  if (typeof value !== 'string') throw new Error(`secret ${name} has no string value`)
  if (value === '') throw new Error(`secret ${name} is empty`)
}

/** Returns `text` with every secret value replaced by `***`, longest values first. */
export function redact(text, secrets) {
  const values = Object.values(secrets).sort((a, b) => b.length - a.length)
  return values.reduce((result, value) => result.split(value).join('***'), text)
}
