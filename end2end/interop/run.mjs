// Runs the interop suite: starts nova-server on a fresh SQLite database with the demo data
// (unless NOVA_URL names a server already running), then every `*.test.mjs` here with Node's
// test runner and the official socket.io-client. Adding a family = adding a file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.NOVA_INTEROP_PORT ?? 18081);
let url = process.env.NOVA_URL;
let server;
const db = path.join(os.tmpdir(), `nova-interop-${Date.now()}-${process.pid}.db`);

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(db + suffix, { force: true });
}
process.on('exit', cleanup);

if (!url) {
  url = `http://127.0.0.1:${port}`;
  const bin = process.env.NOVA_SERVER_BIN ?? path.join(here, '../../target/debug/nova-server');
  server = spawn(bin, [], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NOVA_ADDR: `127.0.0.1:${port}`,
      NOVA_DEMO: '1',
      DATABASE_URL: `sqlite://${db}?mode=rwc`,
      JWT_SECRET: 'interop-secret-not-for-production',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`nova-server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('nova-server did not answer /api/health in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

// One file at a time: the files share the server and its rate limits.
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => path.join(here, f));
const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NOVA_URL: url },
});
const code = await new Promise((resolve) => runner.on('exit', (c) => resolve(c ?? 1)));
cleanup();
process.exit(code);
