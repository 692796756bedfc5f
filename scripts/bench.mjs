#!/usr/bin/env node
/**
 * `npm run bench`: the gateway's cost per request next to a bare pass-through Worker, in the same
 * workerd process and the same run, plus signature verification, sign-in and limiter rates.
 *
 *   npm run bench                    3 runs of 10 s per case, a table on standard output
 *   npm run bench -- --json          the same figures as one JSON object
 *   npm run bench -- --smoke         1 run of 2 s per case, for CI (no thresholds)
 *   --runs N  --seconds S  --connections C   override the defaults
 *
 * All traffic goes to 127.0.0.1; each load run is bounded by its duration.
 */
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { runLoad, median } from './bench/load.mjs'
import { runPaced } from './bench/paced.mjs'
import { createWallet, measureSignIns, signIn } from './bench/signin.mjs'
import { startStack } from './bench/stack.mjs'
import { measureLimiter, measureVerify } from './bench/micro.mjs'
import { formatTable } from './bench/report.mjs'

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
  },
})

const settings = {
  runs: Number(args.runs ?? (args.smoke ? 1 : 3)),
  seconds: Number(args.seconds ?? (args.smoke ? 2 : 10)),
  connections: Number(args.connections ?? 32),
  microScale: args.smoke ? 0.1 : 1,
}

// Limits high enough that the measured cases are never refused, and a swap limit that the
// refused-key case exhausts before its run. Every tier gets the same numbers. Pages and API reads
// lease a tenth of the burst per limiter call, as by default; swap is decided exactly.
const UNLIMITED = { limit: 1_000_000_000, window: 60, burst: 1_000_000_000 }
const everyTier = (limit) =>
  Object.fromEntries(
    ['ANONYMOUS', 'WAITLIST', 'EARLY_ACCESS', 'BETA', 'ALPHA', 'ADMIN'].map((t) => [t, limit]),
  )
const POLICIES = {
  policies: {
    pages: { lease: 0.1, tiers: everyTier(UNLIMITED) },
    'api-read': { lease: 0.1, tiers: everyTier(UNLIMITED) },
    siws: { tiers: everyTier(UNLIMITED) },
  },
}

function progress(message) {
  process.stderr.write(`bench: ${message}\n`)
}

function defineCases(stack, token) {
  return [
    { name: 'bare pass-through proxy', url: `${stack.bare}/bench/fixed` },
    {
      name: 'gateway, anonymous page',
      url: `${stack.gateway}/bench/fixed`,
      headers: { 'cf-connecting-ip': '198.51.100.2' },
    },
    {
      name: 'gateway, signed-in API request',
      url: `${stack.gateway}/api/bench/fixed`,
      headers: { 'cf-connecting-ip': '198.51.100.3', authorization: `Bearer ${token}` },
    },
    {
      name: 'gateway, already refused key',
      url: `${stack.gateway}/api/trading/swap`,
      method: 'POST',
      headers: { 'cf-connecting-ip': '198.51.100.4' },
      expectStatus: 429,
    },
  ]
}

/** Exhausts the refused-key case's allowance so that every measured request is refused. */
async function exhaust(testCase) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(testCase.url, { method: 'POST', headers: testCase.headers })
    await response.arrayBuffer()
    if (response.status === 429) return
  }
  throw new Error(`${testCase.url} was never refused`)
}

async function measureThroughput(cases) {
  const samples = cases.map(() => [])
  for (let run = 1; run <= settings.runs; run++) {
    for (const [index, testCase] of cases.entries()) {
      progress(`run ${run}/${settings.runs}: ${testCase.name}`)
      const result = await runLoad({ ...testCase, ...settings })
      checkStatuses(testCase, result)
      samples[index].push(result)
    }
  }
  return samples
}

function checkStatuses(testCase, result) {
  const unexpected = testCase.expectStatus === 429 ? result.requests - result.non2xx : result.non2xx
  if (unexpected > 0 || result.errors > 0) {
    progress(
      `warning: ${testCase.name}: ${unexpected} unexpected statuses, ${result.errors} errors`,
    )
  }
}

function checkPacedStatuses(testCase, result) {
  const expected = testCase.expectStatus ?? 200
  const unexpected = result.requests - (result.statuses.get(expected) ?? 0)
  if (unexpected > 0 || result.errors > 0) {
    progress(`warning: ${testCase.name} at a fixed rate: ${unexpected} other statuses`)
  }
}

/**
 * Runs every case at a fixed `rate`, with requests spread evenly (see bench/paced.mjs), and
 * returns the median p99 of each, in ms.
 */
async function measureLatencyAtRate(cases, rate) {
  const p50 = cases.map(() => [])
  const p99 = cases.map(() => [])
  for (let run = 1; run <= settings.runs; run++) {
    for (const [index, testCase] of cases.entries()) {
      progress(`run ${run}/${settings.runs}: ${testCase.name} at ${rate} requests/s`)
      const result = await runPaced({ ...testCase, ...settings, rate })
      checkPacedStatuses(testCase, result)
      p50[index].push(result.p50)
      p99[index].push(result.p99)
    }
  }
  return { rate, p50: p50.map(median), p99: p99.map(median) }
}

function tenths(ms) {
  return Math.round(ms * 10) / 10
}

function summarise(cases, samples, halfRate, sustainedRate) {
  const bareRps = median(samples[0].map((s) => s.rps))
  return cases.map((testCase, index) => {
    const rps = median(samples[index].map((s) => s.rps))
    return {
      name: testCase.name,
      rps: Math.round(rps),
      p50_ms: median(samples[index].map((s) => s.p50)),
      p99_ms: median(samples[index].map((s) => s.p99)),
      ratio: Number((rps / bareRps).toFixed(2)),
      p50_at_half_rate_ms: halfRate.p50[index],
      p99_at_half_rate_ms: halfRate.p99[index],
      p99_added_at_half_rate_ms: tenths(halfRate.p99[index] - halfRate.p99[0]),
      p50_at_sustained_rate_ms: sustainedRate.p50[index],
      p99_at_sustained_rate_ms: sustainedRate.p99[index],
      p99_added_at_sustained_rate_ms: tenths(sustainedRate.p99[index] - sustainedRate.p99[0]),
    }
  })
}

async function main() {
  progress('building and starting workerd, the gateway, the bare Worker and the origin')
  const stack = await startStack({ policies: POLICIES })
  try {
    const token = await signIn(stack.gateway, createWallet(), {
      'cf-connecting-ip': '198.51.100.3',
    })
    const cases = defineCases(stack, token)
    await exhaust(cases[3])

    const samples = await measureThroughput(cases)
    const medianRps = samples.map((runs) => median(runs.map((s) => s.rps)))
    // Half of the bare Worker's saturation rate, and half of the slowest case's, which every
    // case can sustain, so that its p99 shows added latency rather than queueing.
    const halfRate = await measureLatencyAtRate(cases, Math.round(medianRps[0] / 2))
    const sustainedRate = await measureLatencyAtRate(cases, Math.round(Math.min(...medianRps) / 2))

    progress('signature verification, sign-in and limiter rates')
    const results = {
      machine: machineDescription(),
      settings,
      half_rate_rps: halfRate.rate,
      sustained_rate_rps: sustainedRate.rate,
      cases: summarise(cases, samples, halfRate, sustainedRate),
      verify_per_second: await measureVerify(stack.micro, settings.microScale),
      sign_ins_per_second: Math.round(
        await measureSignIns(stack.gateway, { seconds: settings.seconds / 2, concurrency: 8 }),
      ),
      limiter_decisions_per_second: await measureLimiter(stack.micro, settings.microScale),
    }
    process.stdout.write(args.json ? `${JSON.stringify(results)}\n` : formatTable(results))
  } finally {
    await stack.stop()
  }
}

function machineDescription() {
  return `${process.platform} ${process.arch}, ${availableParallelism()} cores, Node.js ${process.version}`
}

await main()
