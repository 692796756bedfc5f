/**
 * Heuristics for values that look like credentials. They flag long random strings and known
 * credential shapes; a short or low-entropy secret is not detected.
 */
const SECRET_NAME = /SECRET|TOKEN|KEY|PASSWORD/i
const KNOWN_SHAPES = [
  /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, // a JSON Web Token
  /^(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}/,
  /^[0-9a-fA-F]{32,}$/,
]
const MIN_RANDOM_LENGTH = 24
const MIN_BITS_PER_CHARACTER = 3.5

/** Returns true when a variable name marks it as a credential. */
export function isSecretName(name) {
  return SECRET_NAME.test(name)
}

/** Returns the Shannon entropy of `text` in bits per character. */
export function entropy(text) {
  const counts = new Map()
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1)

  let bits = 0
  for (const count of counts.values()) {
    const p = count / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/**
 * Returns true when `value` looks like a credential rather than configuration. A
 * comma-separated list, such as allowed origins or methods, is judged item by item.
 */
export function looksLikeSecret(value) {
  if (typeof value !== 'string') return false
  return value.split(',').some((item) => itemLooksLikeSecret(item.trim()))
}

function itemLooksLikeSecret(value) {
  if (KNOWN_SHAPES.some((shape) => shape.test(value))) return true
  if (/^https?:\/\//.test(value)) return urlHoldsSecret(value)
  return looksRandom(value)
}

function looksRandom(value) {
  if (value.length < MIN_RANDOM_LENGTH || /\s/.test(value)) return false
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false
  return entropy(value) >= MIN_BITS_PER_CHARACTER
}

function urlHoldsSecret(value) {
  let url
  try {
    url = new URL(value)
  } catch {
    return looksRandom(value)
  }

  if (url.password !== '') return true
  for (const [name, parameter] of url.searchParams) {
    if (isSecretName(name) || looksLikeSecret(parameter)) return true
  }
  return false
}
