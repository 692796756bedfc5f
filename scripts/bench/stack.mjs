/**
 * Starts what the benchmark measures, all in one workerd process so every case runs in the same
 * runtime, plus a local origin. The Workers are the bare pass-through Worker, the floor Worker (a
 * constant response), the gateway (its production bundle, built by wrangler), the proxy-only
 * Worker (the gateway's proxy path alone) and the micro-benchmark Worker. Each listens on its own
 * direct socket on 127.0.0.1.
 * Direct sockets skip Miniflare's entry Worker, so requests reach each Worker as they would in
 * `workerd serve`; the benchmark sets CF-Connecting-IP itself, as Cloudflare's edge would.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Miniflare } from 'miniflare'
import { parseToml } from '../lib/toml.mjs'
import { startOrigin } from '../origins.mjs'

const ROOT = resolve(import.meta.dirname, '../..')
const BUILD_DIR = resolve(ROOT, '.bench')
const COMPATIBILITY_DATE = '2026-04-26'

/** Builds a Worker bundle with wrangler's own bundler (`deploy --dry-run`) and returns its folder. */
function build(configPath, name) {
  const outdir = resolve(BUILD_DIR, name)
  execFileSync(
    resolve(ROOT, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--config', configPath, '--outdir', outdir],
    { cwd: ROOT, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  )
  return outdir
}

function localVars() {
  return parseToml(readFileSync(resolve(ROOT, 'wrangler.toml'), 'utf8')).vars
}

function directSocket() {
  return [{ host: '127.0.0.1', port: 0 }]
}

function gatewayWorker(bundleDir, originUrl, policies) {
  return {
    name: 'gateway',
    modules: true,
    scriptPath: resolve(bundleDir, 'index.js'),
    compatibilityDate: COMPATIBILITY_DATE,
    unsafeDirectSockets: directSocket(),
    durableObjects: {
      NONCE_STORE: { className: 'NonceStore', useSQLite: true },
      RATE_LIMITER: { className: 'RateLimiter', useSQLite: true },
      ALERT_MONITOR: { className: 'AlertMonitor', useSQLite: true },
    },
    analyticsEngineDatasets: { METRICS: { dataset: 'gateway_requests_bench' } },
    // NOTE: no FLOOD_LIMITER binding: its per-IP limit of 1,000 a minute would refuse the load
    // itself, so the benchmark measures the gateway without the flood filter.
    // The local development vars from wrangler.toml, with both origins at the bench origin.
    bindings: {
      ...localVars(),
      WEB_ORIGIN: originUrl,
      API_ORIGIN: originUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ORIGIN_SHARED_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_POLICIES: JSON.stringify(policies),
    },
  }
}

/** Starts the origin and the five Workers; resolves to their URLs and a stop function. */
export async function startStack({ policies, inspectorPort }) {
  const origin = await startOrigin('bench')
  const gatewayDir = build(resolve(ROOT, 'wrangler.toml'), 'gateway')
  const microDir = build(resolve(ROOT, 'scripts/bench/wrangler.toml'), 'micro')
  const proxyOnlyDir = build(resolve(ROOT, 'scripts/bench/proxy-only.toml'), 'proxy-only')
  const gateway = gatewayWorker(gatewayDir, origin.url, policies)

  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    cf: false,
    ...(inspectorPort ? { inspectorPort } : {}),
    // The gateway writes one log line per request to standard output. The benchmark drops those
    // lines unread, as a production log pipeline takes them off the request path, and keeps errors.
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.resume()
      stderr.pipe(process.stderr)
    },
    workers: [
      {
        name: 'bare',
        modules: true,
        scriptPath: resolve(ROOT, 'scripts/bench/bare-worker.mjs'),
        compatibilityDate: COMPATIBILITY_DATE,
        unsafeDirectSockets: directSocket(),
        bindings: { ORIGIN: origin.url },
      },
      {
        name: 'floor',
        modules: true,
        scriptPath: resolve(ROOT, 'scripts/bench/floor-worker.mjs'),
        compatibilityDate: COMPATIBILITY_DATE,
        unsafeDirectSockets: directSocket(),
      },
      gateway,
      {
        name: 'proxy-only',
        modules: true,
        scriptPath: resolve(proxyOnlyDir, 'proxy-only-worker.js'),
        compatibilityDate: COMPATIBILITY_DATE,
        unsafeDirectSockets: directSocket(),
        bindings: gateway.bindings,
      },
      {
        name: 'micro',
        modules: true,
        scriptPath: resolve(microDir, 'micro-worker.js'),
        compatibilityDate: COMPATIBILITY_DATE,
        unsafeDirectSockets: directSocket(),
        durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } },
      },
    ],
  })
  await mf.ready

  const url = async (name) => (await mf.unsafeGetDirectURL(name)).href.replace(/\/$/, '')
  return {
    bare: await url('bare'),
    floor: await url('floor'),
    proxyOnly: await url('proxy-only'),
    gateway: await url('gateway'),
    micro: await url('micro'),
    stop: async () => {
      await mf.dispose()
      await origin.close()
    },
  }
}
