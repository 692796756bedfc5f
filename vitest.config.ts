import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// Test-only secrets. They sign tokens for the test run and nothing else.
const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
}

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
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
