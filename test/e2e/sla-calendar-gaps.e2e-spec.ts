import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EscalationService } from '../../src/escalation/escalation.service';
import { ageTickets } from '../support/escalation-time';
import { openTicket } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Every month-day of a leap year as a recurring holiday: a calendar that never has business time. */
const EVERY_DAY = Array.from({ length: 366 }, (_, i) => ({
  date: new Date(Date.UTC(2024, 0, 1) + i * DAY).toISOString().slice(0, 10),
  name: 'closed',
  recurring: true,
}));
const MONDAYS_9_TO_5 = [{ day: 1, start: '09:00', end: '17:00' }];

describe('calendars without business time', () => {
  let t: TestApp;
  let admin: Session;
  let db: DataSource;
  let calendarNumber = 0;

  function calendar(extra: object = {}) {
    calendarNumber += 1;
    return admin.post('/v1/calendars', {
      name: `Gaps ${calendarNumber} ${randomUUID()}`,
      type: 'business_hours',
      timezone: 'UTC',
      businessHours: MONDAYS_9_TO_5,
      ...extra,
    });
  }

  /** A policy for low-priority tickets on a new Monday-only calendar, first in line; deleted after. */
  async function lowPolicyOnNewCalendar(): Promise<{ calendarId: string; policyId: string }> {
    const calendarId = (await calendar().expect(201)).body.id;
    const policy = await admin
      .post('/v1/sla-policies', {
        name: `Low on ${calendarId}`,
        position: 1,
        conditions: { priorities: ['low'] },
        targets: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 600 },
        calendarId,
      })
      .expect(201);
    return { calendarId, policyId: policy.body.id };
  }

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.as('admin');
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('refuses to save a calendar whose every day is a holiday (400 on holidays)', async () => {
    const created = await calendar({ holidays: EVERY_DAY }).expect(400);
    expect(created.body.errors).toEqual([
      { field: 'holidays', message: expect.stringMatching(/^leave no business time from \d{4}-/) },
    ]);

    const id = (await calendar().expect(201)).body.id;
    const changed = await admin.patch(`/v1/calendars/${id}`, { holidays: EVERY_DAY }).expect(400);
    expect(changed.body.errors[0].field).toBe('holidays');
    // Unchanged: still a working calendar.
    expect((await admin.get(`/v1/calendars/${id}`).expect(200)).body.holidays).toEqual([]);
  });

  it('refuses a year of dated holidays ahead, and accepts a long but shorter closure', async () => {
    const from = Date.now();
    const dated = (days: number) =>
      Array.from({ length: days }, (_, i) => ({
        date: new Date(from + i * DAY).toISOString().slice(0, 10),
        name: 'closure',
      }));

    await calendar({ holidays: dated(367) }).expect(400);
    await calendar({ holidays: dated(300) }).expect(201);
  });

  it('opens a ticket under a calendar that lost its business time, counting round the clock (no 500)', async () => {
    const { calendarId, policyId } = await lowPolicyOnNewCalendar();
    // As a calendar saved before the check could be: every day a holiday.
    await db.query(`UPDATE calendars SET holidays = $2::jsonb WHERE id = $1`, [
      calendarId,
      JSON.stringify(EVERY_DAY),
    ]);
    const customer = await t.as('customer');

    const before = Date.now();
    const ticket = await openTicket(customer, { priority: 'low' });

    expect(ticket.sla.policyId).toBe(policyId);
    // 60 min round the clock from creation, not an error.
    const due = Date.parse(ticket.sla.firstResponse.dueAt) - Date.parse(ticket.sla.firstResponse.startedAt);
    expect(due).toBe(60 * MINUTE);
    expect(Date.parse(ticket.sla.firstResponse.startedAt)).toBeGreaterThanOrEqual(before - MINUTE);
    const [timer] = await db.query(
      `SELECT calendar_id AS "calendarId" FROM sla_timers WHERE ticket_id = $1 AND kind = 'firstResponse'`,
      [ticket.id],
    );
    expect(timer.calendarId).toBeNull();
    expect(t.logs.some((line) => line.includes('has no business time') && line.includes(ticket.id))).toBe(
      true,
    );
    await admin.delete(`/v1/sla-policies/${policyId}`).expect(204);
  });

  it('sets aside a ticket the sweep cannot plan, logs it, and sweeps the rest of the batch', async () => {
    const { calendarId, policyId } = await lowPolicyOnNewCalendar();
    const customer = await t.as('customer');
    const bad = await openTicket(customer, { priority: 'low' });
    await admin.delete(`/v1/sla-policies/${policyId}`).expect(204);
    const good = await openTicket(customer);
    // A calendar the arithmetic refuses (no API can store one): planning the bad ticket throws.
    await db.query(`UPDATE calendars SET timezone = 'Nowhere/Atlantis' WHERE id = $1`, [calendarId]);
    await ageTickets(t, [bad.id, good.id], 30 * 24 * 60);

    const batch = await t.app.get(EscalationService).runBatch(1000);

    // Other suites' due tickets may share the batch on a shared PostgreSQL: at least these two.
    expect(batch.claimed).toBeGreaterThanOrEqual(2);
    const [goodRow, badRow] = await Promise.all(
      [good.id, bad.id].map(async (id) => {
        const [row] = await db.query(
          `SELECT escalation_level AS level, version,
             EXTRACT(EPOCH FROM sla_next_check_at - now()) / 60 AS "nextCheckInMinutes"
           FROM tickets WHERE id = $1`,
          [id],
        );
        return row;
      }),
    );
    expect(goodRow.level).toBe(3);
    // The bad ticket: nothing written but its next check, an hour on.
    expect(badRow).toMatchObject({ level: 0, version: 1 });
    expect(Number(badRow.nextCheckInMinutes)).toBeGreaterThan(59);
    expect(Number(badRow.nextCheckInMinutes)).toBeLessThanOrEqual(60);
    const logged = t.logs.filter((line) => line.includes('Sweep could not plan this ticket'));
    expect(logged.some((line) => line.includes(bad.id))).toBe(true);
    const events = await db.query(
      `SELECT type FROM ticket_events WHERE ticket_id = $1 AND type LIKE 'sla.b%'`,
      [bad.id],
    );
    expect(events).toEqual([]);
    // The next run does not take it up again before its time.
    await t.app.get(EscalationService).runBatch(1000);
    const [again] = await db.query(`SELECT version FROM tickets WHERE id = $1`, [bad.id]);
    expect(again.version).toBe(1);
    await db.query(`UPDATE calendars SET timezone = 'UTC' WHERE id = $1`, [calendarId]);
  });
});
