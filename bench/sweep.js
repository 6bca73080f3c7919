/**
 * The escalation sweep at scale (issue 5): seeds 1,000,000 tickets, 10,000 of them due, into a
 * fresh PostgreSQL database, shows the claim query's plan, and times one full sweep through the
 * built app's EscalationService (npm run build first).
 *   node bench/sweep.js [--tickets 1000000] [--due 10000] [--keep]
 * Uses PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres); the database is dropped afterwards
 * unless --keep.
 */
const { execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const host = process.env.PGHOST ?? '127.0.0.1';
const port = process.env.PGPORT ?? '5432';
const user = process.env.PGUSER ?? 'postgres';
const database = `sla_bench_sweep_${Date.now()}`;
const psql = (db, sql) =>
  execFileSync('psql', ['-h', host, '-p', port, '-U', user, '-d', db, '-qAtc', sql], { encoding: 'utf8' });

async function main() {
  psql('postgres', `CREATE DATABASE ${database}`);
  const env = {
    DATABASE_URL: `postgres://${user}@${host}:${port}/${database}`,
    DATA_DIR: 'memory://',
    AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    ESCALATION_BATCH_SIZE: values.batch,
    ESCALATION_CONCURRENCY: values.concurrency,
  };
  Object.assign(process.env, env);
  require('reflect-metadata');
  const { createApp } = require('../dist/src/app.factory');
  const { loadConfig } = require('../dist/src/config/app-config');
  const { EscalationScheduler } = require('../dist/src/escalation/escalation.scheduler');
  const app = await createApp(loadConfig(process.env));
  try {
    const total = Number(values.tickets);
    const due = Number(values.due);
    let started = Date.now();
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
    const seeded = psql(
      database,
      `SELECT count(*) FILTER (WHERE sla_next_check_at <= now()) || ' due of ' || count(*) FROM tickets`,
    );
    console.log(`seeded ${seeded.trim()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log('\nclaim query plan:');
    console.log(
      psql(
        database,
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM tickets WHERE sla_next_check_at <= now()
         ORDER BY sla_next_check_at LIMIT ${values.batch} FOR UPDATE SKIP LOCKED`,
      ),
    );
    // One scheduler run, exactly as the interval would start it.
    started = Date.now();
    const report = await app.get(EscalationScheduler).tick();
    const seconds = (Date.now() - started) / 1000;
    console.log(`sweep: ${JSON.stringify(report)}`);
    console.log(
      `${report.ticketsProcessed} tickets in ${seconds.toFixed(2)} s (${Math.round(report.ticketsProcessed / seconds)} tickets/s)`,
    );
    const left = psql(database, `SELECT count(*) FROM tickets WHERE sla_next_check_at <= now()`).trim();
    console.log(`due after the sweep: ${left}`);
  } finally {
    await app.close();
    if (!values.keep) psql('postgres', `DROP DATABASE ${database} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
