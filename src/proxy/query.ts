/**
 * Query rules for forwarding. Pure string functions over the raw path and query: no I/O, and no
 * re-encoding, so every parameter the gateway keeps reaches the origin byte for byte.
 */
import { tryDecodeURIComponent } from 'hono/utils/url'

/** The query parameter that carries a session token on the streaming paths. */
export const TOKEN_PARAM = 'token'

/**
 * Removes every `token` parameter from `pathAndQuery`. A parameter's name is decoded as the auth
 * middleware decodes it (`+` as a space, then percent-decoding), so `to%6Ben=` is removed too;
 * the other pieces keep their order and their encoding.
 */
export function withoutTokenParam(pathAndQuery: string): string {
  const start = pathAndQuery.indexOf('?')
  if (start === -1) return pathAndQuery

  const pieces = pathAndQuery.slice(start + 1).split('&')
  const kept = pieces.filter((piece) => paramName(piece) !== TOKEN_PARAM)
  if (kept.length === pieces.length) return pathAndQuery

  const path = pathAndQuery.slice(0, start)
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`
}

function paramName(piece: string): string {
  const end = piece.indexOf('=')
  const raw = end === -1 ? piece : piece.slice(0, end)
  return tryDecodeURIComponent(raw.replace(/\+/g, ' '))
}
