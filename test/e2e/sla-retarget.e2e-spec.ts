import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TimerCarriedElapsed1763798400100 } from '../../src/database/migrations/1763798400100-timer-carried-elapsed';
import { openTicket } from '../support/given';
import { type Session, TestApp, TestClock } from '../support/test-app';

describe('re-targeting a ticket into another calendar', () => {
  const clock = new TestClock();
  let t: TestApp;
  let agent: Session;
  let admin: Session;
  let customer: Session;
  let policyId: string;

  beforeAll(async () => {
    t = await TestApp.start({}, { clock });
    agent = await t.as('agent');
    admin = await t.as('admin');
    customer = await t.as('customer');
    const berlin = await admin
      .post('/v1/calendars', {
        name: `Berlin office ${randomUUID()}`,
        type: 'business_hours',
        timezone: 'Europe/Berlin',
        businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
      })
      .expect(201);
    // High on Berlin business hours: 16 business hours to the first reply.
    const policy = await admin
      .post('/v1/sla-policies', {
        name: `High in Berlin hours ${randomUUID()}`,
        position: 1,
        conditions: { priorities: ['high'] },
        targets: { firstResponseMinutes: 960, nextResponseMinutes: 960, resolutionMinutes: 2400 },
        calendarId: berlin.body.id,
      })
      .expect(201);
    policyId = policy.body.id;
  });
  afterAll(async () => {
    // On a shared PostgreSQL, other suites expect the seeded High policy first for high tickets.
    await admin.delete(`/v1/sla-policies/${policyId}`).expect(204);
    await t.close();
  });

  it('keeps the 10 h counted round the clock, adds only Berlin business time, and back again', async () => {
    // Sat 2025-03-08 10:00 Berlin (09:00Z), Normal: 24 h round the clock.
    clock.set('2025-03-08T09:00:00Z');
    const ticket = await openTicket(customer);
    clock.set('2025-03-08T19:00:00Z'); // 10 h later: 600 minutes counted

    const high = (await agent.patch(`/v1/tickets/${ticket.id}`, { priority: 'high' }).expect(200)).body;

    expect(high.sla.policyId).toBe(policyId);
    // 960 − 600 = 360 business minutes from Mon 09:00 Berlin → Mon 15:00 Berlin (14:00Z).
    expect(high.sla.firstResponse).toMatchObject({ elapsedMinutes: 600, dueAt: '2025-03-10T14:00:00.000Z' });

    clock.set('2025-03-10T09:00:00Z'); // Mon 10:00 Berlin: one business hour later
    const monday = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
    expect(monday.sla.firstResponse.elapsedMinutes).toBe(660);

    // Back to Normal (1440 round the clock): 780 minutes left from now → Mon 22:00Z.
    const back = (await agent.patch(`/v1/tickets/${ticket.id}`, { priority: 'normal' }).expect(200)).body;
    expect(back.sla.firstResponse).toMatchObject({ elapsedMinutes: 660, dueAt: '2025-03-10T22:00:00.000Z' });

    // The reply an hour later stops it at 720 minutes, and that is what the report reads.
    clock.set('2025-03-10T10:00:00Z');
    await agent
      .post(`/v1/tickets/${ticket.id}/messages`, { body: 'On it.', visibility: 'public' })
      .expect(201);
    const [stored] = await t.app
      .get(DataSource)
      .query(
        `SELECT elapsed_minutes AS "elapsedMinutes" FROM sla_timers WHERE ticket_id = $1 AND kind = 'firstResponse'`,
        [ticket.id],
      );
    expect(stored.elapsedMinutes).toBe(720);
  });

  it('migration: fills a running 24x7 timer from its due time where the old reading disagrees', async () => {
    clock.set(new Date());
    const [disagreeing, agreeing] = [await openTicket(customer), await openTicket(customer)];
    const db = t.app.get(DataSource);
    const migration = new TimerCarriedElapsed1763798400100();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      // As the old re-target left it: started 10 h ago, but due in 2 h of a 960-minute target, so 840
      // minutes had elapsed (600 by the old reading).
      await runner.query(
        `UPDATE sla_timers SET target_minutes = 960, started_at = now() - interval '10 hours',
           due_at = now() + interval '2 hours' WHERE ticket_id = $1 AND kind = 'firstResponse'`,
        [disagreeing.id],
      );
      await migration.up(runner);
      const rows = await runner.query(
        `SELECT ticket_id AS "ticketId", round(carried_minutes)::int AS carried,
           abs(EXTRACT(EPOCH FROM counting_since - now())) < 60 AS "sinceNow"
         FROM sla_timers WHERE ticket_id = ANY($1::uuid[]) AND kind = 'firstResponse'`,
        [[disagreeing.id, agreeing.id]],
      );
      expect(Object.fromEntries(rows.map((row: { ticketId: string }) => [row.ticketId, row]))).toEqual({
        [disagreeing.id]: { ticketId: disagreeing.id, carried: 840, sinceNow: true },
        // A timer whose readings agree is left counting from its start.
        [agreeing.id]: { ticketId: agreeing.id, carried: 0, sinceNow: null },
      });
    } finally {
      await runner.release();
    }
  });
});
