import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumExecutablePath } from './src/testing/chromium.ts';
import { e2ePorts } from './src/testing/e2e-ports.ts';

const launchOptions = { executablePath: chromiumExecutablePath(), args: [...CHROMIUM_FLAGS] };

export const { E2E_PORT, E2E_NO_CREDENTIALS_PORT, E2E_UNKNOWN_KEY_PORT } = e2ePorts();

function server(port: number, extraEnv: Record<string, string>) {
  return {
    command: 'node --import tsx src/server/main.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      PORT: String(port),
      AWS_CONNECT_DATA_DIR: `test-results/.data-${port}`,
      LOG_LEVEL: 'warn',
      // The suite drives many verifications through one server; the production default (120/min) is for people.
      AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '5000',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions,
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
  ],
  webServer: [
    server(E2E_PORT, {}),
    // One runs like docker compose, one like npm start: each gets its own credential guidance.
    server(E2E_NO_CREDENTIALS_PORT, {
      AWS_CONNECT_SANDBOX_CALLER: 'none',
      AWS_CONNECT_DEPLOYMENT: 'compose',
    }),
    server(E2E_UNKNOWN_KEY_PORT, { AWS_CONNECT_SANDBOX_CALLER: 'unknown-key' }),
  ],
});
