/** Formats benchmark results as Markdown tables, the form BENCHMARKS.md records them in. */
export function formatTable(results) {
  const lines = [
    `Machine: ${results.machine}`,
    `Settings: ${results.settings.runs} runs x ${results.settings.seconds} s per case, ` +
      `${results.settings.connections} connections; medians. Half rate: ${results.half_rate_rps} ` +
      `requests/s (half the bare Worker's). Sustained rate: ${results.sustained_rate_rps} requests/s ` +
      `(half the slowest case's).`,
    '',
    '| case | requests/s | p50 ms | p99 ms | ratio to bare | half rate: p50 ms | p99 ms | p99 added ms | sustained rate: p50 ms | p99 ms | p99 added ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const c of results.cases) {
    lines.push(
      `| ${c.name} | ${c.rps} | ${c.p50_ms} | ${c.p99_ms} | ${c.ratio} | ` +
        `${c.p50_at_half_rate_ms} | ${c.p99_at_half_rate_ms} | ${c.p99_added_at_half_rate_ms} | ` +
        `${c.p50_at_sustained_rate_ms} | ${c.p99_at_sustained_rate_ms} | ` +
        `${c.p99_added_at_sustained_rate_ms} |`,
    )
  }
  lines.push(
    '',
    '| rate | per second |',
    '| --- | ---: |',
    `| Ed25519 verifications, WebCrypto | ${results.verify_per_second.webcrypto} |`,
    `| Ed25519 verifications, tweetnacl | ${results.verify_per_second.tweetnacl} |`,
    `| complete sign-ins (challenge and verify) | ${results.sign_ins_per_second} |`,
    `| limiter decisions, one hot key, sequential | ${results.limiter_decisions_per_second.sequential} |`,
    `| limiter decisions, one hot key, 32 at a time | ${results.limiter_decisions_per_second.concurrent_32} |`,
    '',
  )
  return lines.join('\n')
}
