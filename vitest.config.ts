import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// Test-only secrets. They sign tokens for the test run and nothing else.
const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
  PAGERDUTY_ROUTING_KEY: 'test-routing-key-0123456789abcdef',
}

// Public key of the tweetnacl key pair from a seed of 32 bytes of 7; the sign-in tests own it.
const TIER_OVERRIDE_ADDRESS = 'GmaDrppBC7P5ARKV8g3djiwP89vz1jLK23V2GBjuAEGB'
// A made-up mint (32 bytes of 9) whose balances the local JSON-RPC stand-in serves.
const TIER_TOKEN_MINT = 'cGfHiC6Kgg3FpFZvgwGcswsCRtp4aBP2fzuXRQPizuN'

export default defineConfig({
  test: {
    globalSetup: [
      './test/global-setup.ts',
      './test/ops/ops-setup.ts',
      './test/limits/upstash-setup.ts',
    ],
    // The gateway's one-line JSON access log would bury the report; tests that assert on log
    // lines spy on console.log and still see them.
    onConsoleLog: (log) => !log.startsWith('{"time":'),
    projects: [
      {
        // The Worker itself, inside workerd with real Durable Objects.
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...TEST_SECRETS,
                WEB_ORIGIN: inject('webOrigin'),
                API_ORIGIN: inject('apiOrigin'),
                TIER_RPC_URL: inject('tierRpcUrl'),
                ALERT_WEBHOOK_URL: `${inject('opsServer')}/alerts`,
                TIER_OVERRIDES: JSON.stringify({ [TIER_OVERRIDE_ADDRESS]: 'ALPHA' }),
                TIER_TOKEN_MINT: TIER_TOKEN_MINT,
                TIER_TOKEN_THRESHOLDS: JSON.stringify({
                  ALPHA: 10000,
                  BETA: 1000,
                  EARLY_ACCESS: 1,
                }),
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/**/*.test.ts'],
          exclude: ['test/scripts/**'],
        },
      },
      {
        // The Node.js scripts of the local loop and operations, run as the CLI runs them.
        test: {
          name: 'scripts',
          environment: 'node',
          include: ['test/scripts/**/*.test.ts'],
        },
      },
    ],
  },
})
