/**
 * sla-desk against its floor (PERFORMANCE.md), in one run on one machine: a fresh PostgreSQL database,
 * the built app (npm run build first) and bench/floor-server.js side by side on it, a few thousand
 * seeded tickets, then alternating rounds per scenario (floor, sla-desk, floor, sla-desk, ...) of
 *   GET  ticket by id (a random id of the seeded pool each request; sla-desk as an agent)
 *   POST ticket (sla-desk as a customer, deposit_withdrawal / deposit_not_credited)
 * with autocannon, and a table of medians, ratios, CPU per request and peak RSS. The database is
 * dropped afterwards unless --keep.
 *
 *   node bench/compare.js [--rounds 3] [--duration 12] [--warmup 3] [--connections 50] [--tickets 5000]
 *                         [--profile] [--keep]
 *
 * --profile adds one extra GET and one extra POST round against sla-desk (after the measured ones, so
 * they do not skew them) under the V8 sampling profiler, and prints the top frames
 * (bench/cpuprofile-top.js); the .cpuprofile files stay in bench/results/.
 * PGHOST/PGPORT/PGUSER select the server (default 127.0.0.1:5432, postgres, trust auth).
 * Figures are only comparable within one run: the machine is small and shared. Each round reports the
 * CPU its own processes used per request (server, its PostgreSQL backends, autocannon) and the share of
 * all cores that other processes took meanwhile ("others"), besides the load average before and after.
 */
const { spawn, execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { cpuSeconds, load, machineCpu, median } = require('./measure');
const { benchTokens } = require('./tokens');
const { getTicketRequest, createTicketRequest } = require('./scenarios');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    tickets: { type: 'string', default: '5000' },
    'pool-size': { type: 'string', default: '10' },
    'desk-port': { type: 'string', default: '3911' },
    'floor-port': { type: 'string', default: '3912' },
    app: { type: 'string', default: 'dist/src/main.js' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const root = resolve(__dirname, '..');
const resultsDir = join(__dirname, 'results');
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};
const database = `sla_bench_cmp_${Date.now()}`;
const databaseUrl = `postgres://${pg.user}@${pg.host}:${pg.port}/${database}`;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const pct = (share) => `${Math.round(share * 100)} %`;

/** VmHWM (peak RSS) and VmRSS of a process, in MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

async function admin(sql) {
  const client = new Client({ ...pg, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function waitOk(url, deadline = Date.now() + 90_000) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within 90 s`);
}

function start(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.benchName = name;
  child.exited = new Promise((done) => child.once('exit', done));
  child.once('exit', (code, signal) => {
    if (!child.stopping) console.error(`${name} exited unexpectedly (${code ?? signal})`);
  });
  return child;
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.stopping = true;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

/** The server's PostgreSQL backends (by application_name) and their CPU seconds so far. */
async function backendCpu(client, applicationName) {
  const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    applicationName,
  ]);
  return new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid)]));
}
function backendDelta(before, after) {
  let seconds = 0;
  for (const [pid, end] of after) seconds += end - (before.get(pid) ?? 0);
  return seconds;
}

/**
 * Seeds `count` tickets of the deposit_withdrawal category under the Normal policy, as sla-desk stores
 * them: the ticket, its two running timers, its search text and its creation event. Returns their ids.
 */
async function seed(client, count) {
  await client.query(
    `WITH g AS (SELECT id FROM groups WHERE name = 'Deposit & Withdrawal L1'),
          p AS (SELECT id, calendar_id, first_response_minutes AS fr, resolution_minutes AS res
                FROM sla_policies WHERE name = 'Normal'),
          t AS (
            INSERT INTO tickets (subject, description, category, subcategory, priority, status, channel, requester_id,
              group_id, tier, fields, policy_id, created_at, updated_at, sla_due_at, sla_next_check_at)
            SELECT 'Bench ticket ' || i, 'Seeded for the comparison benchmark, ticket ' || i, 'deposit_withdrawal',
              'deposit_not_credited', 'normal', 'new', 'web', 'bench-customer-' || (i % 500), g.id, 1,
              jsonb_build_object('currency', 'USDT', 'orderId', 'S-' || i), p.id, now(), now(),
              now() + make_interval(mins => p.fr), now() + make_interval(mins => p.fr * 8 / 10)
            FROM generate_series(1, $1::int) i CROSS JOIN g CROSS JOIN p
            RETURNING id, created_at, requester_id, number, subject, description),
          s AS (
            INSERT INTO sla_timers (ticket_id, kind, status, target_minutes, at_risk_percent, calendar_id, started_at,
              due_at, at_risk_at)
            SELECT t.id, k.kind, 'active', k.minutes, 80, p.calendar_id, t.created_at,
              t.created_at + make_interval(mins => k.minutes), t.created_at + make_interval(mins => k.minutes * 8 / 10)
            FROM t CROSS JOIN p CROSS JOIN LATERAL (VALUES ('firstResponse', p.fr), ('resolution', p.res)) AS k (kind, minutes)),
          e AS (
            INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data)
            SELECT t.id, 'ticket.created', t.requester_id, 'customer', true, jsonb_build_object('number', t.number)
            FROM t)
     INSERT INTO ticket_search (ticket_id, public_text)
     SELECT id, lower(subject || E'\\n' || description) FROM t`,
    [count],
  );
  await client.query('VACUUM ANALYZE');
  const { rows } = await client.query('SELECT id FROM tickets');
  return rows.map((row) => row.id);
}

function cannon(base, request, seconds) {
  return autocannon({ url: base, connections, duration: seconds, requests: [request] });
}

async function check(name, base, request, status) {
  const { path, headers, body, method } = request.setupRequest ? request.setupRequest(request) : request;
  const response = await fetch(base + path, { method, headers, body });
  if (response.status !== status) {
    throw new Error(`${name}: ${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-compare-'));
  const profileDir = values.profile ? mkdtempSync(join(resultsDir, 'profile-')) : undefined;
  const startedAt = new Date();
  const uptimeBefore = execFileSync('uptime', { encoding: 'utf8' }).trim();
  console.log(`${startedAt.toISOString()}  load before: ${load()}  (${uptimeBefore})`);

  let desk;
  let floor;
  let client;
  const cleanup = async () => {
    await stop(desk);
    await stop(floor);
    if (client) await client.end().catch(() => {});
    if (!values.keep) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(console.error);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));

  try {
    await admin(`CREATE DATABASE ${database}`);
    const deskBase = `http://127.0.0.1:${values['desk-port']}`;
    const floorBase = `http://127.0.0.1:${values['floor-port']}`;
    desk = start('sla-desk', [...(profileDir ? ['-r', './bench/cpu-profile-preload.js'] : []), values.app], {
      PORT: values['desk-port'],
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: values['pool-size'],
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      ...(profileDir ? { BENCH_CPU_PROFILE_DIR: profileDir } : {}),
    });
    await waitOk(`${deskBase}/health/ready`); // its migrations have created the schema and seed data
    floor = start('floor', ['bench/floor-server.js'], {
      PORT: values['floor-port'],
      DATABASE_URL: databaseUrl,
      POOL_SIZE: values['pool-size'],
    });
    await waitOk(`${floorBase}/health`);

    client = new Client({ ...pg, database });
    await client.connect();
    let t0 = Date.now();
    const ids = await seed(client, Number(values.tickets));
    console.log(`seeded ${ids.length} tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tokens = await benchTokens(SECRET);

    const targets = {
      floor: { base: floorBase, pid: floor.pid, app: 'sla-desk-floor', prefix: '' },
      'sla-desk': { base: deskBase, pid: desk.pid, app: 'sla-desk', prefix: '/v1' },
    };
    const requests = {
      GET: {
        floor: getTicketRequest('', ids),
        'sla-desk': getTicketRequest('/v1', ids, { authorization: `Bearer ${tokens.agent}` }),
        status: 200,
      },
      POST: {
        floor: createTicketRequest(''),
        'sla-desk': createTicketRequest('/v1', { authorization: `Bearer ${tokens.customer}` }),
        status: 201,
      },
    };
    for (const [scenario, byTarget] of Object.entries(requests)) {
      for (const [name, target] of Object.entries(targets)) {
        await check(`${name} ${scenario}`, target.base, byTarget[name], byTarget.status);
      }
    }

    const runs = [];
    t0 = Date.now();
    for (let round = 1; round <= rounds; round++) {
      for (const [scenario, byTarget] of Object.entries(requests)) {
        for (const [name, target] of Object.entries(targets)) {
          if (warmup > 0) await cannon(target.base, byTarget[name], warmup);
          const machineBefore = machineCpu();
          const selfBefore = process.cpuUsage();
          const nodeBefore = cpuSeconds(target.pid);
          const pgBefore = await backendCpu(client, target.app);
          const result = await cannon(target.base, byTarget[name], duration);
          const nodeSeconds = cpuSeconds(target.pid) - nodeBefore;
          const pgSeconds = backendDelta(pgBefore, await backendCpu(client, target.app));
          const selfUsage = process.cpuUsage(selfBefore);
          const loadgenSeconds = (selfUsage.user + selfUsage.system) / 1e6;
          const machine = machineCpu();
          const capacity = machine.total - machineBefore.total; // CPU seconds of all cores in the round
          const busy = machine.busy - machineBefore.busy;
          const total = result.requests.total;
          const run = {
            round,
            scenario,
            server: name,
            reqPerSec: total / result.duration,
            p50: result.latency.p50,
            p99: result.latency.p99,
            errors: result.errors + result.timeouts + result.non2xx,
            nodeUsPerReq: (nodeSeconds * 1e6) / total,
            pgUsPerReq: (pgSeconds * 1e6) / total,
            loadgenUsPerReq: (loadgenSeconds * 1e6) / total,
            // What the machine spent on anything but this run's load generator, server and its backends:
            // other engineers' processes (and PostgreSQL's background writers), as a share of all cores.
            othersCpuShare: Math.max(0, busy - loadgenSeconds - nodeSeconds - pgSeconds) / capacity,
            idleShare: (capacity - busy) / capacity,
            load1: loadavg()[0],
            deskPeakMb: memory(desk.pid).peakMb,
          };
          runs.push(run);
          console.log(
            `round ${round} ${scenario.padEnd(4)} ${name.padEnd(8)} ${Math.round(run.reqPerSec)
              .toString()
              .padStart(6)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  errors ${run.errors}  ` +
              `CPU/req node ${Math.round(run.nodeUsPerReq)} µs, postgres ${Math.round(run.pgUsPerReq)} µs, ` +
              `autocannon ${Math.round(run.loadgenUsPerReq)} µs  others ${pct(run.othersCpuShare)}, ` +
              `idle ${pct(run.idleShare)} of the cores  load ${run.load1.toFixed(2)}  sla-desk VmHWM ${Math.round(run.deskPeakMb)} MB`,
          );
        }
      }
    }
    const measuredSeconds = (Date.now() - t0) / 1000;

    const summary = [];
    for (const scenario of Object.keys(requests)) {
      const rows = {};
      for (const name of Object.keys(targets)) {
        const mine = runs.filter((run) => run.scenario === scenario && run.server === name);
        rows[name] = {
          scenario,
          server: name,
          'median req/s': Math.round(median(mine.map((run) => run.reqPerSec))),
          'min–max req/s': `${Math.round(Math.min(...mine.map((r) => r.reqPerSec)))}–${Math.round(Math.max(...mine.map((r) => r.reqPerSec)))}`,
          'median p99 ms': median(mine.map((run) => run.p99)),
          'node CPU µs/req': Math.round(median(mine.map((run) => run.nodeUsPerReq))),
          'pg CPU µs/req': Math.round(median(mine.map((run) => run.pgUsPerReq))),
          'others CPU': pct(median(mine.map((run) => run.othersCpuShare))),
          errors: mine.reduce((sum, run) => sum + run.errors, 0),
        };
      }
      const ratio = rows['sla-desk']['median req/s'] / rows.floor['median req/s'];
      // Per-round ratios (each sla-desk round against the floor round just before it) show the spread.
      const pairs = runs
        .filter((run) => run.scenario === scenario && run.server === 'sla-desk')
        .map((run) => {
          const floorRun = runs.find(
            (r) => r.scenario === scenario && r.server === 'floor' && r.round === run.round,
          );
          return run.reqPerSec / floorRun.reqPerSec;
        });
      rows['sla-desk']['ratio to floor'] = ratio.toFixed(2);
      rows['sla-desk']['per-round ratios'] = pairs.map((x) => x.toFixed(2)).join(' ');
      summary.push(rows.floor, rows['sla-desk']);
    }

    const memoryDesk = memory(desk.pid);
    const memoryFloor = memory(floor.pid);

    let profiles = [];
    if (profileDir) {
      for (const scenario of Object.keys(requests)) {
        const request = requests[scenario]['sla-desk'];
        await cannon(deskBase, request, warmup || 2);
        desk.kill('SIGWINCH');
        const result = await cannon(deskBase, request, duration);
        desk.kill('SIGWINCH');
        console.log(
          `profiled ${scenario} round: ${Math.round(result.requests.total / result.duration)} req/s, ` +
            `${result.errors + result.timeouts + result.non2xx} errors`,
        );
        profiles.push({ scenario, file: join(profileDir, `profile-${profiles.length + 1}.cpuprofile`) });
      }
      for (let i = 0; i < 40 && !profiles.every(({ file }) => existsSync(file)); i++) await sleep(250);
    }

    const finishedAt = new Date();
    const uptimeAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();
    console.log(
      `\n${startedAt.toISOString()} → ${finishedAt.toISOString()}; ${rounds} alternating rounds per scenario, ` +
        `${duration} s each after ${warmup} s warm-up, ${connections} connections, pool ${values['pool-size']} per server, ` +
        `${ids.length} seeded tickets; measured part ${Math.round(measuredSeconds)} s`,
    );
    console.table(summary);
    console.log(
      `peak RSS (VmHWM): sla-desk ${memoryDesk.peakMb.toFixed(0)} MB (now ${memoryDesk.rssMb.toFixed(0)} MB), ` +
        `floor ${memoryFloor.peakMb.toFixed(0)} MB (now ${memoryFloor.rssMb.toFixed(0)} MB)`,
    );
    console.log(`load before: ${uptimeBefore}\nload after:  ${uptimeAfter}`);

    const file = join(resultsDir, `compare-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt,
          finishedAt,
          options: values,
          uptimeBefore,
          uptimeAfter,
          summary,
          runs,
          memory: { desk: memoryDesk, floor: memoryFloor },
          profiles,
        },
        null,
        2,
      ),
    );
    console.log(`runs written to ${file}`);

    for (const { scenario, file: profile } of profiles) {
      if (!existsSync(profile)) {
        console.error(`no CPU profile was written for ${scenario} (${profile})`);
        continue;
      }
      console.log(`\n=== sla-desk ${scenario} CPU profile: ${profile}`);
      console.log(
        execFileSync(process.execPath, [join(__dirname, 'cpuprofile-top.js'), profile, '--top', '25'], {
          encoding: 'utf8',
        }),
      );
    }
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
