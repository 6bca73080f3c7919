import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import {
  ESCALATION_INTERVAL,
  EscalationScheduler,
  type RunReport,
} from '../../src/escalation/escalation.scheduler';
import { EscalationService } from '../../src/escalation/escalation.service';
import { ageTickets, eventCounts } from '../support/escalation-time';
import { ticketBody } from '../support/given';
import { type Session, TestApp, TestClock } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SWEEP_TYPES = ['sla.at_risk', 'sla.breached', 'ticket.escalated'];

/**
 * Two application instances on one database need a database server: with DATABASE_URL they share
 * that PostgreSQL. The embedded PGlite is one in-process session that a second app cannot open, so
 * there one app races its own scheduler run against extra batch loops instead.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);

/** Opens `count` tickets for the customer, `ago` ms in the past by the app's clock, a few at a time. */
async function openTickets(
  clock: TestClock,
  customer: Session,
  count: number,
  ago: number,
): Promise<string[]> {
  clock.set(new Date(Date.now() - ago));
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const chunk = Array.from({ length: Math.min(10, count - i) }, () =>
      customer.post('/v1/tickets', ticketBody()).expect(201),
    );
    ids.push(...(await Promise.all(chunk)).map((res) => res.body.id as string));
  }
  clock.set(new Date());
  return ids;
}

/** Batch loops on one app until nothing more is due, besides its scheduler's own run. */
async function sweepLoop(t: TestApp): Promise<void> {
  const service = t.app.get(EscalationService);
  const limit = t.config.ESCALATION_BATCH_SIZE;
  for (;;) {
    const batch = await service.runBatch(limit);
    if (batch.claimed < limit && batch.autoClosed < limit) return;
  }
}

describe(
  onPostgres
    ? 'escalation sweeps from two app instances on one PostgreSQL'
    : 'escalation sweeps racing in one app (PGlite: one embedded database cannot be shared by two apps)',
  () => {
    const clock = new TestClock();
    const apps: TestApp[] = [];

    beforeAll(async () => {
      // Small batches and several loops per run, so the instances' batches interleave.
      const overrides = { ESCALATION_BATCH_SIZE: '7', ESCALATION_CONCURRENCY: '3' };
      apps.push(await TestApp.start(overrides, { clock }));
      if (onPostgres) apps.push(await TestApp.start(overrides, { clock }));
    });
    afterAll(() => Promise.all(apps.map((t) => t.close())));

    it('records every breach and escalation of 200 due tickets exactly once', async () => {
      const [a] = apps;
      const customer = await a.as('customer');
      // Normal: first reply 24 h, resolution 48 h.
      // 25 h old: the first reply breached → level 1.                       (1 breach, 1 escalation)
      // 73 h old: first reply breached at 24 h → 1, at 48 h → 2, at 72 h → 3; resolution breached at
      // 48 h, at the cap.                                                     (2 breaches, 3 escalations)
      const young = await openTickets(clock, customer, 100, 25 * HOUR);
      const old = await openTickets(clock, customer, 100, 73 * HOUR);

      const runs = await Promise.all(
        apps.flatMap((t) => [t.app.get(EscalationScheduler).tick(), sweepLoop(t), sweepLoop(t)]),
      );
      for (const run of runs) if (run) expect((run as RunReport).error).toBeNull();

      const expected = (breaches: number, escalations: number) => ({
        'sla.at_risk': 0,
        'sla.breached': breaches,
        'ticket.escalated': escalations,
      });
      expect(await eventCounts(a, [...young, ...old], SWEEP_TYPES)).toEqual({
        ...Object.fromEntries(young.map((id) => [id, expected(1, 1)])),
        ...Object.fromEntries(old.map((id) => [id, expected(2, 3)])),
      });
      const db = a.app.get(DataSource);
      // Each level exactly once per ticket, and the ticket at the level its records say.
      const levels: { id: string; level: number; recorded: number[] }[] = await db.query(
        `SELECT t.id, t.escalation_level AS level,
           (SELECT array_agg((e.data->>'level')::int ORDER BY e.seq) FROM ticket_events e
            WHERE e.ticket_id = t.id AND e.type = 'ticket.escalated') AS recorded
         FROM tickets t WHERE t.id = ANY($1::uuid[])`,
        [[...young, ...old]],
      );
      const byId = new Map(levels.map((row) => [row.id, [row.level, row.recorded]]));
      for (const id of young) expect(byId.get(id)).toEqual([1, [1]]);
      for (const id of old) expect(byId.get(id)).toEqual([3, [1, 2, 3]]);
      const ours = new Set([...young, ...old]);
      const refused = apps
        .flatMap((t) => t.logs)
        .filter((line) => line.includes('Escalation already recorded'))
        .filter((line) => ours.has(JSON.parse(line).ticketId));
      expect(refused).toEqual([]);

      // Another round from every instance finds nothing left to record.
      await Promise.all(apps.map((t) => t.app.get(EscalationScheduler).tick()));
      const again = await eventCounts(a, old.slice(0, 10), SWEEP_TYPES);
      expect(Object.values(again)).toEqual(Array(10).fill(expected(2, 3)));
    });

    it('forgets idempotency keys after 24 h in every instance’s run, and keeps younger ones', async () => {
      const [a] = apps;
      const customer = await a.as('customer');
      const body = ticketBody();
      const keys = { old: `old-${Date.now()}`, young: `young-${Date.now()}` };
      const first = {
        old: await customer.post('/v1/tickets', body).set('Idempotency-Key', keys.old).expect(201),
        young: await customer.post('/v1/tickets', body).set('Idempotency-Key', keys.young).expect(201),
      };
      const db = a.app.get(DataSource);
      const age = (key: string, hours: number) =>
        db.query(
          `UPDATE idempotency_keys SET created_at = now() - make_interval(hours => $3)
           WHERE caller_id = $1 AND key = $2`,
          [customer.id, key, hours],
        );
      await age(keys.old, 25);
      await age(keys.young, 23);

      const runs = await Promise.all(apps.map((t) => t.app.get(EscalationScheduler).tick()));

      expect(runs.map((run) => run.error)).toEqual(apps.map(() => null));
      const left: { key: string }[] = await db.query(
        `SELECT key FROM idempotency_keys WHERE caller_id = $1`,
        [customer.id],
      );
      expect(left.map((row) => row.key)).toEqual([keys.young]);
      const replay = await customer.post('/v1/tickets', body).set('Idempotency-Key', keys.young).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(first.young.body.id);
      // The forgotten key is a new request again.
      const fresh = await customer.post('/v1/tickets', body).set('Idempotency-Key', keys.old).expect(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.body.id).not.toBe(first.old.body.id);
    });
  },
);

describe('escalation catch-up after a restart', () => {
  const clock = new TestClock();
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-escalation-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('records each breach missed while no process ran once, at its due time, in the first run', async () => {
    clock.set(new Date());
    const first = await TestApp.start({ DATA_DIR: dataDir }, { clock });
    const customer = await first.as('customer');
    const ids = await openTickets(clock, customer, 5, 0); // Normal: due in 24 h (first reply), 48 h
    await first.app.get(EscalationScheduler).tick();
    expect(Object.values(await eventCounts(first, ids, ['sla.breached']))).toEqual(
      Array(5).fill({ 'sla.breached': 0 }),
    );
    // The process stops, and 73 hours pass: both targets and two repeat points go by unswept.
    await ageTickets(first, ids, 73 * 60);
    await first.close();

    const second = await TestApp.start(
      { DATA_DIR: dataDir, SCHEDULER_ENABLED: 'true', ESCALATION_INTERVAL_S: '3600' },
      { clock },
    );
    const registry = second.app.get(SchedulerRegistry);
    try {
      expect(registry.getIntervals()).toContain(ESCALATION_INTERVAL);
      // The start-up catch-up run (a tick joins it while it is in flight).
      const run = await second.app.get(EscalationScheduler).tick();
      expect(run.error).toBeNull();

      const agent = await second.as('agent');
      for (const id of ids) {
        const ticket = (await agent.get(`/v1/tickets/${id}`).expect(200)).body;
        expect(ticket.escalationLevel).toBe(3);
        const breaches = (await agent.get(`/v1/tickets/${id}/events?limit=100`).expect(200)).body.data.filter(
          (event: { type: string }) => event.type === 'sla.breached',
        );
        // One record per timer, at the true breach time: the due time, not when the sweep noticed.
        expect(breaches.map((event: { data: Record<string, unknown> }) => event.data)).toEqual([
          expect.objectContaining({
            timer: 'firstResponse',
            breachedAt: ticket.sla.firstResponse.dueAt,
          }),
          expect.objectContaining({ timer: 'resolution', breachedAt: ticket.sla.resolution.dueAt }),
        ]);
        expect(ticket.sla.firstResponse.breachedAt).toBe(ticket.sla.firstResponse.dueAt);
      }
      // A later run (or another process) adds nothing.
      await second.app.get(EscalationScheduler).tick();
      expect(Object.values(await eventCounts(second, ids, SWEEP_TYPES))).toEqual(
        Array(5).fill({ 'sla.at_risk': 0, 'sla.breached': 2, 'ticket.escalated': 3 }),
      );
    } finally {
      await second.close();
    }
    expect(registry.doesExist('interval', ESCALATION_INTERVAL)).toBe(false);
  });
});
