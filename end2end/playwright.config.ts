import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A fresh SQLite database for every run, so the demo data is seeded anew.
const dbFile = path.join(os.tmpdir(), `nova-e2e-${Date.now()}-${process.pid}.db`);
// Removed when this process ends (after Playwright has stopped the server).
process.on('exit', () => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    fs.rmSync(dbFile + suffix, { force: true });
  }
});

const PORT = 18080;
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'tests',
  // 2-core machine: one browser at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  outputDir: 'test-results',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    launchOptions: {
      // Debian's Chromium (scripts/ensure-tools.sh); Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // Built by `make test` (cargo build -p nova-server, trunk build --release). NOVA_SERVER_BIN
    // points elsewhere when the build uses another CARGO_TARGET_DIR.
    command: process.env.NOVA_SERVER_BIN ?? '../target/debug/nova-server',
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NOVA_ADDR: `127.0.0.1:${PORT}`,
      NOVA_DEMO: '1',
      NOVA_DIST: '../dist',
      DATABASE_URL: `sqlite://${dbFile}?mode=rwc`,
      JWT_SECRET: 'e2e-secret-not-for-production',
      // Every spec signs in from 127.0.0.1: more than the default 30 logins per address in
      // fifteen minutes. The per-account limit (10) still holds.
      NOVA_ATTEMPTS_PER_IP: '200',
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    },
  },
});
