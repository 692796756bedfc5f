#!/usr/bin/env node
/**
 * `npm run bench:profile -- <case>`: where the gateway spends its CPU on one benchmark case.
 * Starts the benchmark stack with workerd's inspector on 127.0.0.1, runs a bounded load, samples
 * the gateway Worker with V8's CPU profiler and prints the functions with the most self time.
 * It also reports workerd's CPU time per request, read from /proc, for the bare Worker and the
 * case, which is steadier than requests per second on a shared machine.
 *
 * Cases: anonymous (a page), signed-in (an API read with a session), refused (a refused key).
 *
 * `npm run bench:profile -- cpu` instead reports workerd's CPU time per request, without the
 * inspector, for every case and for the bare, floor and proxy-only Workers. It runs rounds of
 * each in turn and prints the median per case and each case's ratio to the bare Worker.
 */
import { readdirSync, readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import WebSocket from 'ws'
import { median } from './load.mjs'
import { createWallet, signIn } from './signin.mjs'
import { startStack } from './stack.mjs'

const INSPECTOR_PORT = 9329
const WARMUP_REQUESTS = 3000
const MEASURED_REQUESTS = 20000
const CPU_ROUNDS = 7
const CPU_ROUND_REQUESTS = 5000
const CLOCK_TICKS_PER_SECOND = 100

const UNLIMITED = { limit: 1_000_000_000, window: 60, burst: 1_000_000_000 }
const TIERS = ['ANONYMOUS', 'WAITLIST', 'EARLY_ACCESS', 'BETA', 'ALPHA', 'ADMIN']
const everyTier = Object.fromEntries(TIERS.map((tier) => [tier, UNLIMITED]))
const POLICIES = {
  policies: {
    pages: { tiers: everyTier },
    'api-read': { tiers: everyTier },
    siws: { tiers: everyTier },
  },
}

function caseOptions(name, stack, token) {
  const cases = {
    anonymous: {
      url: `${stack.gateway}/bench/fixed`,
      headers: { 'cf-connecting-ip': '198.51.100.2' },
    },
    'signed-in': {
      url: `${stack.gateway}/api/bench/fixed`,
      headers: { 'cf-connecting-ip': '198.51.100.3', authorization: `Bearer ${token}` },
    },
    refused: {
      url: `${stack.gateway}/api/trading/swap`,
      method: 'POST',
      headers: { 'cf-connecting-ip': '198.51.100.4' },
    },
  }
  if (!cases[name]) throw new Error(`unknown case ${name}; expected one of ${Object.keys(cases)}`)
  return cases[name]
}

function load(options, amount) {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, connections: 8, amount }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

/** Returns the CPU time, in ms, of the workerd processes this process started. */
function workerdCpuMs() {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      const isChild = stat[1] === String(process.pid)
      const isWorkerd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')
      if (isChild && isWorkerd) ticks += Number(stat[11]) + Number(stat[12])
    } catch {
      // The process ended between listing and reading.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND
}

async function cpuPerRequestUs(options) {
  await load(options, WARMUP_REQUESTS)
  const before = workerdCpuMs()
  await load(options, MEASURED_REQUESTS)
  return Math.round(((workerdCpuMs() - before) * 1000) / MEASURED_REQUESTS)
}

async function connectInspector() {
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()
  const target = targets.find((candidate) => candidate.title.endsWith('core:user:gateway'))
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve) => socket.once('open', resolve))

  let nextId = 0
  const pending = new Map()
  socket.on('message', (data) => {
    const message = JSON.parse(data)
    pending.get(message.id)?.(message.result)
    pending.delete(message.id)
  })
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      nextId += 1
      pending.set(nextId, resolve)
      socket.send(JSON.stringify({ id: nextId, method, params }))
    })
  return { send, close: () => socket.close() }
}

function selfTimeTable(profile, rows = 25) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const counts = new Map()
  for (const sample of profile.samples) {
    const frame = nodes.get(sample).callFrame
    const where = frame.url ? ` ${frame.url.split('/').pop()}:${frame.lineNumber}` : ''
    const name = `${frame.functionName || '(anonymous)'}${where}`
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(
      ([name, count]) =>
        `${((100 * count) / profile.samples.length).toFixed(1).padStart(5)} %  ${name}`,
    )
}

/** Measures workerd CPU per request for every case in rounds, and prints the medians. */
async function cpuTable(stack, token) {
  const cases = {
    'floor Worker (a constant 429)': { url: `${stack.floor}/bench/fixed` },
    'bare pass-through proxy': { url: `${stack.bare}/bench/fixed` },
    'gateway proxy path alone': {
      url: `${stack.proxyOnly}/api/bench/fixed`,
      headers: { 'cf-connecting-ip': '198.51.100.5' },
    },
    'gateway, anonymous page': caseOptions('anonymous', stack, token),
    'gateway, signed-in API request': caseOptions('signed-in', stack, token),
    'gateway, already refused key': caseOptions('refused', stack, token),
  }
  await load(cases['gateway, already refused key'], 10)
  for (const options of Object.values(cases)) await load(options, WARMUP_REQUESTS)

  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let round = 0; round < CPU_ROUNDS; round += 1) {
    for (const [name, options] of Object.entries(cases)) {
      const before = workerdCpuMs()
      await load(options, CPU_ROUND_REQUESTS)
      samples[name].push(((workerdCpuMs() - before) * 1000) / CPU_ROUND_REQUESTS)
    }
  }

  const bare = median(samples['bare pass-through proxy'])
  console.log(`workerd CPU per request, median of ${CPU_ROUNDS} rounds of ${CPU_ROUND_REQUESTS}:`)
  for (const [name, values] of Object.entries(samples)) {
    const us = median(values)
    const spread = `${Math.round(Math.min(...values))} to ${Math.round(Math.max(...values))}`
    const ratio = (bare / us).toFixed(2)
    console.log(
      `  ${name.padEnd(32)} ${String(Math.round(us)).padStart(4)} us  (${spread})  bare/case ${ratio}`,
    )
  }
}

async function main() {
  const name = process.argv[2] ?? 'signed-in'
  const inspectorPort = name === 'cpu' ? undefined : INSPECTOR_PORT
  const stack = await startStack({ policies: POLICIES, inspectorPort })
  try {
    const token = await signIn(stack.gateway, createWallet(), {
      'cf-connecting-ip': '198.51.100.3',
    })
    if (name === 'cpu') return await cpuTable(stack, token)

    const options = caseOptions(name, stack, token)
    if (name === 'refused') await load(options, 10)

    console.log(
      `workerd CPU per request, bare pass-through: ${await cpuPerRequestUs({ url: `${stack.bare}/bench/fixed` })} us`,
    )
    console.log(`workerd CPU per request, ${name}: ${await cpuPerRequestUs(options)} us`)

    const inspector = await connectInspector()
    await inspector.send('Profiler.enable')
    await inspector.send('Profiler.setSamplingInterval', { interval: 50 })
    await inspector.send('Profiler.start')
    await load(options, MEASURED_REQUESTS)
    const { profile } = await inspector.send('Profiler.stop')
    inspector.close()

    console.log(
      `\nself time in the gateway Worker, ${name} (line numbers are in .bench/gateway/index.js):`,
    )
    for (const row of selfTimeTable(profile)) console.log(row)
  } finally {
    await stack.stop()
  }
}

await main()
