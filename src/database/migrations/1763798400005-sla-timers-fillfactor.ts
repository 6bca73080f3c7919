import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each sla_timers page for the sweep to rewrite timers in place (HOT updates).
 *
 * Tickets that fall due together were opened together, so their timers share pages, and a sweep
 * batch rewrites one timer of each ticket it takes: about half the rows of such a page change in
 * one transaction. None of the columns the sweep writes is indexed, so each new row version can
 * stay on its page (and skip all four indexes of the table) as long as the page has room. At
 * fillfactor 90 a page has room for about 4 of its ~21 changed rows (24 % of the sweep's timer
 * updates were HOT at 1,000,000 tickets, bench/sweep.js), at 65 for all of them (97 %); the
 * batch's timer update then takes half the time. The table takes ~40 % more pages (363 → 504 MB
 * for 2,000,000 timers); its indexes stay as they are.
 *
 * Only pages written from now on are filled to 65 %: existing ones keep their packing until the
 * table is rewritten (VACUUM FULL or pg_repack, in a maintenance window: VACUUM FULL locks the
 * table), which this migration does not do.
 */
export class SlaTimersFillfactor1763798400005 implements MigrationInterface {
  name = 'SlaTimersFillfactor1763798400005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_timers SET (fillfactor = 65)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_timers SET (fillfactor = 90)`);
  }
}
