import { defineConfig } from '@playwright/test';

// The server is started by .ci/e2e (a fresh build on a temporary database) and its URL
// passed in ROSTER_URL; globalSetup waits until it answers.
const baseURL = process.env.ROSTER_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // The tests share one server and run in file-name order: 1-staff-auth uses the first-run
  // setup link, which works only while no staff member exists; the later files add their
  // own staff members with the CLI.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
