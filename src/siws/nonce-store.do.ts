/**
 * Strongly consistent single-use records in SQLite storage: issued SIWS challenges keyed by nonce
 * and revoked session ids keyed by `jti`. Each row carries its expiry in ms since the epoch. An
 * alarm deletes expired rows, and every read also ignores them, so a late alarm never lets an
 * expired record through. The caller passes `now`, which keeps the clock in one place.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS challenges (
    nonce TEXT PRIMARY KEY, input TEXT NOT NULL, expires_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS revoked (
    jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
`

export class NonceStore extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
  }

  /** Stores an issued challenge (its SolanaSignInInput as JSON) until `expiresAt`. */
  async issue(nonce: string, input: string, expiresAt: number): Promise<void> {
    this.ctx.storage.sql.exec(
      'INSERT INTO challenges (nonce, input, expires_at) VALUES (?, ?, ?)',
      nonce,
      input,
      expiresAt,
    )
    await this.scheduleSweep(expiresAt)
  }

  /**
   * Deletes the challenge and returns its input, or null when it is unknown, expired or already
   * consumed. The delete and the read are one statement, so of two concurrent calls one wins.
   */
  async consume(nonce: string, now: number): Promise<string | null> {
    const rows = this.ctx.storage.sql
      .exec<{ input: string; expires_at: number }>(
        'DELETE FROM challenges WHERE nonce = ? RETURNING input, expires_at',
        nonce,
      )
      .toArray()

    const row = rows[0]
    if (row === undefined || row.expires_at <= now) return null
    return row.input
  }

  /** Records a revoked session id until the token it belonged to expires. */
  async revoke(jti: string, expiresAt: number): Promise<void> {
    this.ctx.storage.sql.exec(
      'INSERT INTO revoked (jti, expires_at) VALUES (?, ?) ' +
        'ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)',
      jti,
      expiresAt,
    )
    await this.scheduleSweep(expiresAt)
  }

  async isRevoked(jti: string, now: number): Promise<boolean> {
    const rows = this.ctx.storage.sql
      .exec('SELECT 1 FROM revoked WHERE jti = ? AND expires_at > ?', jti, now)
      .toArray()
    return rows.length > 0
  }

  /** Deletes expired rows, then wakes again at the next expiry if any row is left. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    const sql = this.ctx.storage.sql
    sql.exec('DELETE FROM challenges WHERE expires_at <= ?', now)
    sql.exec('DELETE FROM revoked WHERE expires_at <= ?', now)

    const next = sql
      .exec<{ next: number | null }>(
        'SELECT min(expires_at) AS next FROM ' +
          '(SELECT expires_at FROM challenges UNION ALL SELECT expires_at FROM revoked)',
      )
      .one().next
    if (next !== null) await this.ctx.storage.setAlarm(next)
  }

  private async scheduleSweep(expiresAt: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > expiresAt) await this.ctx.storage.setAlarm(expiresAt)
  }
}
