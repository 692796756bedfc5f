#!/usr/bin/env node
/**
 * `npm run verify-deploy -- URL`: checks a deployed gateway through its public URL: the
 * gateway's own `/_edge/health`, and the API origin's `/api/health` and `/api/health/ready`
 * through the proxy. Each must return 200 with a JSON body, and a body that reports
 * `degraded` anywhere counts as a failure. Exits 1 naming every failed check.
 */
import { fetchWithTimeout } from './lib/http.mjs'

const CHECKS = ['/_edge/health', '/api/health', '/api/health/ready']

/** Returns true when `body` has a `status` of "degraded" at any depth. */
function reportsDegraded(body) {
  if (Array.isArray(body)) return body.some(reportsDegraded)
  if (typeof body !== 'object' || body === null) return false
  if (body.status === 'degraded') return true
  return Object.values(body).some(reportsDegraded)
}

/** Runs one check; resolves to a line starting with "ok" or "FAIL". */
async function check(baseUrl, path) {
  const url = new URL(path, baseUrl)
  let response
  try {
    response = await fetchWithTimeout(url)
  } catch (error) {
    const reason = error.name === 'AbortError' ? 'timed out' : (error.cause?.code ?? error.message)
    return `FAIL  ${path}: request failed (${reason})`
  }

  const text = await response.text()
  if (response.status !== 200) return `FAIL  ${path}: HTTP ${response.status} ${text.slice(0, 200)}`

  let body
  try {
    body = JSON.parse(text)
  } catch {
    return `FAIL  ${path}: the body is not JSON`
  }

  if (reportsDegraded(body)) return `FAIL  ${path}: reports degraded: ${text.slice(0, 200)}`
  return `ok    ${path}: ${body.status ?? 'HTTP 200'}`
}

async function main(argv) {
  const target = argv[0]
  if (!target || !URL.canParse(target)) {
    console.error('usage: verify-deploy URL   (for example https://gateway.example.com)')
    return 2
  }

  let failed = 0
  for (const path of CHECKS) {
    const line = await check(target, path)
    if (line.startsWith('FAIL')) failed += 1
    console.log(line)
  }

  if (failed > 0) console.error(`verify-deploy: ${failed} of ${CHECKS.length} checks failed`)
  return failed > 0 ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
