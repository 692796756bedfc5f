import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import { Miniflare } from 'miniflare'
import { startOrigin } from './origins.mjs'
import { parseToml } from './lib/toml.mjs'
const VARIANTS = (process.env.V || 'p0,p1,p2,p3,p4').split(',')
const origin = await startOrigin('bench')
const vars = { ...parseToml(readFileSync('wrangler.toml', 'utf8')).vars, WEB_ORIGIN: origin.url, API_ORIGIN: origin.url, JWT_SECRET: 'x'.repeat(64), ORIGIN_SHARED_SECRET: 'y'.repeat(64) }
const mf = new Miniflare({ host: '127.0.0.1', port: 0, cf: false, handleRuntimeStdio: (o, e) => { o.resume(); e.resume() },
  workers: [
    { name: 'bare', modules: true, scriptPath: 'scripts/bench/bare-worker.mjs', compatibilityDate: '2026-04-26', unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }], bindings: { ORIGIN: origin.url } },
    ...VARIANTS.map((v) => ({ name: v, modules: true, scriptPath: resolve('.bench/pv', v + '.js'), compatibilityDate: '2026-04-26', unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }], bindings: vars })),
  ] })
await mf.ready
const url = async (n) => (await mf.unsafeGetDirectURL(n)).href.replace(/\/$/, '')
function cpu() { let t = 0; for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) { try { const s = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); if (s[1] === String(process.pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) t += +s[11] + +s[12] } catch {} } return t * 10 }
const load = (o, amount) => new Promise((res, rej) => autocannon({ ...o, connections: 8, amount }, (e, r) => (e ? rej(e) : res(r))))
const cases = { bare: { url: `${await url('bare')}/api/bench/fixed` } }
for (const v of VARIANTS) cases[v] = { url: `${await url(v)}/api/bench/fixed`, headers: { 'cf-connecting-ip': '198.51.100.5' } }
const rows = {}
for (const [k, o] of Object.entries(cases)) { const r = await load(o, 2000); rows[k + '_ok'] = r['2xx'] }
for (let i = 0; i < 7; i++) for (const [k, o] of Object.entries(cases)) { const b = cpu(); await load(o, 4000); (rows[k] ??= []).push(Math.round((cpu() - b) * 1000 / 4000)) }
for (const [k, v] of Object.entries(rows)) console.log(k, Array.isArray(v) ? [...v].sort((a, b) => a - b)[3] + '  ' + v.join(' ') : v)
await mf.dispose(); await origin.close()
