/**
 * The escalation sweep at scale (issue 5): seeds 1,000,000 tickets, 10,000 of them due, into a
 * fresh PostgreSQL database, shows the claim query's plan, and times one full scheduler run
 * through the built app (npm run build first).
 *
 *   node bench/sweep.js [--tickets 1000000] [--due 10000] [--batch N] [--concurrency N] [--runs 1]
 *                       [--template NAME] [--keep] [--profile] [--explain] [--cpu-profile FILE]
 *                       [--dist DIR]
 *
 * Without --template each run seeds its own database (4–6 minutes for 1,000,000 tickets) and drops
 * it afterwards unless --keep. With --template NAME the seeded state is kept in database NAME
 * (created, migrated and seeded on first use; never dropped by this script: `DROP DATABASE NAME`
 * when done) and each run works on a byte-for-byte copy of it (`CREATE DATABASE … TEMPLATE NAME
 * STRATEGY FILE_COPY`, 3–12 s), so every run starts from the same freshly seeded, vacuumed and
 * analysed state, and the app migrates the copy if the template is older than the code. The seed is
 * relative to the time of seeding (due tickets one hour past their first-reply target, the others
 * 18 hours before their next check): a template older than that no longer has exactly `--due` due
 * tickets, and the run stops saying so.
 *
 * --runs N times N runs (each on a fresh copy or seed) and prints the median.
 * --batch and --concurrency set ESCALATION_BATCH_SIZE and ESCALATION_CONCURRENCY (the app's
 * defaults otherwise).
 * --profile prints every statement the app sent during the run: wall time seen by the app, summed
 * over the run's concurrent loops (so it includes waiting for the CPU and the event loop), calls
 * and time per call.
 * --explain also runs each statement the first time it comes, inside its transaction, under
 * EXPLAIN (ANALYZE, BUFFERS) with the same parameters, in a savepoint rolled back before the
 * statement itself runs: the plans of a real batch (that run's time is not representative).
 * --cpu-profile FILE writes the node process's CPU profile of the run alone to FILE-<run>.cpuprofile
 * (summarised by bench/cpuprofile-top.js).
 * --dist DIR runs another build of the app (default: this checkout's dist/), e.g. to compare two
 * versions in alternating runs under the same load.
 *
 * Each run prints the load average before and after, and the CPU seconds the node process, its
 * PostgreSQL backends and everything else on the machine took during the run (the machine is
 * shared: "others" is the better measure of the load the run met).
 * Uses PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres, trust auth).
 */
const { execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const { Client } = require('pg');
const { cpuSeconds, load, machineCpu, median } = require('./measure');

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '10000' },
    batch: { type: 'string' },
    concurrency: { type: 'string' },
    runs: { type: 'string', default: '1' },
    template: { type: 'string' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
    dist: { type: 'string', default: require('node:path').join(__dirname, '..', 'dist') },
  },
});
const host = process.env.PGHOST ?? '127.0.0.1';
const port = process.env.PGPORT ?? '5432';
const user = process.env.PGUSER ?? 'postgres';
const total = Number(values.tickets);
const due = Number(values.due);
const psql = (db, sql) =>
  execFileSync(
    'psql',
    ['-h', host, '-p', port, '-U', user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql],
    {
      encoding: 'utf8',
    },
  );
const identifier = (name) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
  return name;
};

/** The app's environment on `database`; loaded before the first require of the built app. */
function appEnv(database) {
  const env = {
    DATABASE_URL: `postgres://${user}@${host}:${port}/${database}`,
    DATA_DIR: 'memory://',
    AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
  };
  if (values.batch) env.ESCALATION_BATCH_SIZE = values.batch;
  if (values.concurrency) env.ESCALATION_CONCURRENCY = values.concurrency;
  return env;
}

async function startApp(database) {
  Object.assign(process.env, appEnv(database));
  require('reflect-metadata');
  const { createApp } = require(`${values.dist}/src/app.factory`);
  const { loadConfig } = require(`${values.dist}/src/config/app-config`);
  const config = loadConfig(process.env);
  return { app: await createApp(config), config };
}

/** Seeds `total` tickets (`due` of them one hour past their first-reply target) and their timers. */
function seed(database) {
  const started = Date.now();
  psql(
    database,
    `SET synchronous_commit = off;
     WITH g AS (SELECT id FROM groups WHERE name = 'Deposit & Withdrawal L1'),
          p AS (SELECT id, calendar_id FROM sla_policies WHERE name = 'Normal')
     INSERT INTO tickets (subject, description, category, subcategory, priority, status, channel, requester_id,
       group_id, tier, policy_id, created_at, updated_at, sla_due_at, sla_next_check_at)
     SELECT 'Bench ticket ' || i, 'Seeded for the sweep benchmark', 'deposit_withdrawal', 'deposit_not_credited',
       'normal', 'open', 'web', 'bench-' || (i % 50000), g.id, 1, p.id, c.at, now(),
       c.at + interval '24 hours', c.at + interval '1152 minutes'
     FROM generate_series(1, ${total}) i
     CROSS JOIN g CROSS JOIN p
     CROSS JOIN LATERAL (SELECT CASE WHEN i <= ${due} THEN now() - interval '25 hours'
                                     ELSE now() - interval '1 hour' END AS at) c;
     INSERT INTO sla_timers (ticket_id, kind, status, target_minutes, at_risk_percent, calendar_id, started_at,
       due_at, at_risk_at)
     SELECT t.id, k.kind, 'active', k.minutes, 80, p.calendar_id, t.created_at,
       t.created_at + make_interval(mins => k.minutes), t.created_at + make_interval(mins => (k.minutes * 8 / 10)::int)
     FROM tickets t JOIN sla_policies p ON p.id = t.policy_id,
       (VALUES ('firstResponse', 1440), ('resolution', 2880)) AS k(kind, minutes);`,
  );
  psql(database, 'VACUUM ANALYZE tickets');
  psql(database, 'VACUUM ANALYZE sla_timers');
  console.log(`seeded ${database} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Creates and seeds the template database unless it exists (with the same size and due count). */
async function ensureTemplate(name) {
  const signature = `sla-desk sweep bench ${total}/${due}`;
  const [comment] = psql(
    'postgres',
    `SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '${name}'`,
  )
    .split('\n')
    .filter(Boolean);
  if (comment !== undefined) {
    if (!comment.startsWith(signature)) {
      throw new Error(
        `Database ${name} exists but is not a ${signature} template (${comment || 'no comment'})`,
      );
    }
    console.log(`template ${name}: ${comment}`);
    return;
  }
  psql('postgres', `CREATE DATABASE ${name}`);
  const { app } = await startApp(name); // runs the migrations
  await app.close();
  seed(name);
  psql('postgres', `COMMENT ON DATABASE ${name} IS '${signature}, seeded ${new Date().toISOString()}'`);
}

/**
 * Statement timings (--profile): every query the app's query runners send, by its SQL. With
 * --explain, the first time each statement runs inside a transaction it is also run under
 * EXPLAIN (ANALYZE, BUFFERS) with the same parameters, in a savepoint rolled back before the
 * statement itself runs (so the sweep's outcome is unchanged; that run's time is not representative).
 */
const statements = new Map();
const explained = new Set();
function profileStatements() {
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');
  const query = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function timed(sql, ...rest) {
    const text = typeof sql === 'string' ? sql : String(sql?.text ?? '');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    if (values.explain && this.isTransactionActive && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(text)) {
      if (!explained.has(key)) {
        explained.add(key);
        await query.call(this, 'SAVEPOINT bench_explain');
        const plan = await query.call(this, `EXPLAIN (ANALYZE, BUFFERS, VERBOSE OFF) ${text}`, rest[0]);
        await query.call(this, 'ROLLBACK TO SAVEPOINT bench_explain');
        console.log(
          `\n${text.replace(/\s+/g, ' ').trim()}\n${plan.map((row) => row['QUERY PLAN']).join('\n')}`,
        );
      }
    }
    const started = process.hrtime.bigint();
    try {
      return await query.call(this, sql, ...rest);
    } finally {
      const entry = statements.get(key) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
      statements.set(key, entry);
    }
  };
}

/** --cpu-profile: the node process's V8 CPU profile of the run alone. */
async function startProfiler() {
  const { Session } = require('node:inspector/promises');
  const { writeFileSync } = require('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the sweep: ${file}`);
    },
  };
}

async function run(index, app, config, database) {
  const { EscalationScheduler } = require(`${values.dist}/src/escalation/escalation.scheduler`);
  const client = new Client({ host, port: Number(port), user, database });
  await client.connect();
  try {
    const count = async (sql) => (await client.query(sql)).rows[0].count;
    const dueNow = await count(`SELECT count(*)::int AS count FROM tickets WHERE sla_next_check_at <= now()`);
    const all = await count(`SELECT count(*)::int AS count FROM tickets`);
    console.log(`\nrun ${index}: ${database}, ${dueNow} due of ${all}`);
    if (dueNow !== due) throw new Error(`expected ${due} due tickets: the seed (or the template) is stale`);
    const plan = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM tickets WHERE sla_next_check_at <= now()
       ORDER BY sla_next_check_at LIMIT ${config.ESCALATION_BATCH_SIZE} FOR UPDATE SKIP LOCKED`,
    );
    console.log(`claim query plan:\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}`);

    const backends = async () =>
      (
        await client.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        )
      ).rows.map((row) => row.pid);
    const pids = await backends();
    const before = {
      load: load(),
      busy: machineCpu().busy,
      node: process.cpuUsage(),
      pg: new Map(pids.map((pid) => [pid, cpuSeconds(pid)])),
    };
    statements.clear();
    const profiler = values['cpu-profile'] && (await startProfiler());
    // One scheduler run, exactly as the interval would start it.
    const started = process.hrtime.bigint();
    const report = await app.get(EscalationScheduler).tick();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (profiler) await profiler.stop(`${values['cpu-profile']}-${index}.cpuprofile`);
    const busy = machineCpu().busy - before.busy;
    const nodeUsage = process.cpuUsage(before.node);
    const nodeCpu = (nodeUsage.user + nodeUsage.system) / 1e6;
    let pgCpu = 0;
    for (const pid of new Set([...pids, ...(await backends())])) {
      pgCpu += cpuSeconds(pid) - (before.pg.get(pid) ?? 0);
    }
    const after = load();
    if (report.error) throw new Error(`sweep failed: ${report.error}`);
    console.log(`sweep: ${JSON.stringify(report)}`);
    console.log(
      `${report.ticketsProcessed} tickets in ${seconds.toFixed(2)} s (${Math.round(report.ticketsProcessed / seconds)} tickets/s), ` +
        `${report.batches} batches, ${config.ESCALATION_CONCURRENCY} loops × ${config.ESCALATION_BATCH_SIZE}`,
    );
    const others = Math.max(0, busy - nodeCpu - pgCpu);
    console.log(
      `CPU s: node ${nodeCpu.toFixed(2)}, its PostgreSQL backends ${pgCpu.toFixed(2)}, others ${others.toFixed(2)} ` +
        `(${Math.round((100 * others) / (2 * seconds))} % of 2 cores); load average before ${before.load}, after ${after}`,
    );
    if (values.profile) {
      console.log('statements (wall ms summed over loops, calls, ms per call):');
      for (const [key, { calls, ms }] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
        console.log(
          `  ${ms.toFixed(0).padStart(6)} ${String(calls).padStart(4)} ${(ms / calls).toFixed(2).padStart(7)}  ${key}`,
        );
      }
    }
    const left = await count(`SELECT count(*)::int AS count FROM tickets WHERE sla_next_check_at <= now()`);
    const [events] = (
      await client.query(
        `SELECT count(*) FILTER (WHERE type = 'sla.breached')::int AS breached,
           count(*) FILTER (WHERE type = 'ticket.escalated')::int AS escalated FROM ticket_events`,
      )
    ).rows;
    console.log(`due after the sweep: ${left}; events: ${JSON.stringify(events)}`);
    return { seconds, batches: report.batches, load: after };
  } finally {
    await client.end();
  }
}

async function main() {
  if (values.template) await ensureTemplate(identifier(values.template));
  const results = [];
  for (let index = 1; index <= Number(values.runs); index += 1) {
    const database = `sla_bench_sweep_${Date.now()}`;
    const started = Date.now();
    if (values.template) {
      psql('postgres', `CREATE DATABASE ${database} TEMPLATE ${values.template} STRATEGY FILE_COPY`);
      console.log(
        `copied ${values.template} to ${database} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } else {
      psql('postgres', `CREATE DATABASE ${database}`);
    }
    const { app, config } = await startApp(database);
    try {
      if (!values.template) seed(database);
      if ((values.profile || values.explain) && index === 1) profileStatements();
      results.push(await run(index, app, config, database));
    } finally {
      await app.close();
      if (!values.keep) psql('postgres', `DROP DATABASE ${database} WITH (FORCE)`);
    }
  }
  if (results.length > 1) {
    const times = results.map((result) => result.seconds);
    console.log(
      `\n${results.length} runs: ${times.map((s) => s.toFixed(2)).join(' ')} s; median ${median(times).toFixed(2)} s`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
