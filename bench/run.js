/**
 * Starts the built app (npm run build first) on a fresh embedded database, or on DATABASE_URL,
 * and measures endpoints with autocannon. Usage: node bench/run.js [--duration 10] [--connections 50]
 * Scenarios are listed in bench/scenarios.js; add new ones there.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { scenarios } = require('./scenarios');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    port: { type: 'string', default: '3900' },
  },
});
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;

async function waitReady(deadline = Date.now() + 60_000) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the app did not become ready within 60 s');
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const server = spawn(process.execPath, ['dist/src/main.js'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady();
    const results = [];
    for (const scenario of scenarios) {
      const setup = scenario.setup ? await scenario.setup({ base, env }) : {};
      const result = await autocannon({
        url: base,
        connections: Number(values.connections),
        duration: Number(values.duration),
        requests: [scenario.request(setup)],
      });
      results.push({
        scenario: scenario.name,
        'req/s': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        errors: result.errors + result.non2xx,
      });
    }
    console.table(results);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
