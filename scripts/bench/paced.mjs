/**
 * Latency at a fixed request rate, with the requests spread evenly over time. autocannon's fixed
 * rate suits throughput but not latency. Each of its connections sends its whole second's budget
 * back to back when the second starts and then waits, so its p99 shows a burst at full speed.
 * Its coordinated-omission correction also takes 1 / rate in seconds as an interval in
 * milliseconds, which adds made-up samples to every response slower than 1 ms.
 *
 * Here a request is due every 1 / rate seconds, whether or not earlier ones have returned (an
 * open loop). Its latency counts from when it was due, so a stall delays the requests behind it
 * and shows in the tail. Runs stop by themselves after `seconds`.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'

/** How often the pacer wakes to send the requests due since its last wake. */
const TICK_MS = 1

/** Resolves to { p50, p99, requests, errors, statuses }; latencies in ms. */
export function runPaced({ url, method = 'GET', headers = {}, rate, seconds, connections }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const target = new URL(url)
  const total = Math.round(rate * seconds)
  const intervalMs = 1000 / rate
  const latencies = []
  const statuses = new Map()
  let sent = 0
  let settled = 0
  let errors = 0

  return new Promise((resolve) => {
    const start = performance.now()
    const finish = () => {
      agent.destroy()
      resolve({ ...percentiles(latencies), requests: total, errors, statuses })
    }
    const send = (due) => {
      const request = http.request(target, { method, headers, agent }, (response) => {
        response.resume()
        response.on('end', () => {
          latencies.push(performance.now() - due)
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
          if (++settled === total) finish()
        })
      })
      request.on('error', () => {
        errors += 1
        if (++settled === total) finish()
      })
      request.end()
    }
    const timer = setInterval(() => {
      const elapsed = performance.now() - start
      while (sent < total && sent * intervalMs <= elapsed) {
        send(start + sent * intervalMs)
        sent += 1
      }
      if (sent === total) clearInterval(timer)
    }, TICK_MS)
  })
}

function percentiles(values) {
  const sorted = Float64Array.from(values).sort()
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]
  return { p50: round(at(0.5)), p99: round(at(0.99)) }
}

function round(ms) {
  return Math.round(ms * 10) / 10
}
