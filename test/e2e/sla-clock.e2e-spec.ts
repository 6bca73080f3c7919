import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/clock/clock';
import { DatabaseClock } from '../../src/common/clock/database-clock';
import { openTicket } from '../support/given';
import { TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe("SLA decisions on a process whose clock runs an hour ahead of the database's", () => {
  let t: TestApp;
  const RealDate = Date;

  /** This process's Date, an hour ahead: `new Date()` and `Date.now()`; a given time stays as given. */
  class AheadDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + HOUR);
      else super(...(args as [string]));
    }

    static override now(): number {
      return RealDate.now() + HOUR;
    }
  }

  beforeAll(async () => {
    // Only this process's clock is skewed; a PostgreSQL server keeps the true time.
    globalThis.Date = AheadDate as DateConstructor;
    t = await TestApp.start();
  });
  afterAll(async () => {
    globalThis.Date = RealDate;
    await t.close();
  });

  it('runs on the database-calibrated clock, an hour behind the process clock', async () => {
    const clock = t.app.get(Clock);
    // The embedded database runs in this process, on its clock: skewed alike, so no offset there.
    const expected = process.env.DATABASE_URL ? -HOUR : 0;

    expect(clock).toBeInstanceOf(DatabaseClock);
    expect(Math.abs((clock as DatabaseClock).offset - expected)).toBeLessThan(1_000);
    // Calibrated against a server; the embedded database shares the process clock, so it is not measured.
    expect(t.logs.some((line) => line.includes("Clock calibrated to the database's"))).toBe(
      Boolean(process.env.DATABASE_URL),
    );
  });

  it('starts timers at the database time, so none falls due early', async () => {
    const customer = await t.as('customer');

    const ticket = await openTicket(customer);

    const [{ now }] = await t.app.get(DataSource).query(`SELECT now() AS now`);
    const databaseNow = new Date(now).getTime();
    expect(Math.abs(Date.parse(ticket.createdAt) - databaseNow)).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(ticket.sla.firstResponse.startedAt) - databaseNow)).toBeLessThan(5_000);
    // Normal: 24 h from the database's now, not from an hour later.
    expect(Math.abs(Date.parse(ticket.sla.firstResponse.dueAt) - (databaseNow + 24 * HOUR))).toBeLessThan(
      5_000,
    );
  });
});
