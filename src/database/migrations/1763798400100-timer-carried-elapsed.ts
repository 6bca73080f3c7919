import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A timer re-targeted into another calendar keeps what had elapsed: `carried_minutes` (business
 * minutes counted before, pauses excluded) and `counting_since` (when its current calendar took
 * over; NULL for since `started_at`). Its elapsed time is carried + the calendar's business minutes
 * since then − `paused_minutes` (now the pauses since then).
 *
 * Before this, such a timer's elapsed time was measured from `started_at` in the new calendar,
 * while its due time had been set from what had really elapsed. For a running timer on a 24x7
 * calendar (or none: a deleted one counts 24x7) that due time tells what had elapsed: target −
 * minutes left until due (until due from the pause, if paused). Where that disagrees with the old
 * reading, the timer is filled from it, counting from now (from its pause). Stopped timers and
 * business-hours ones cannot be told apart in SQL and keep their reading.
 */
export class TimerCarriedElapsed1763798400100 implements MigrationInterface {
  name = 'TimerCarriedElapsed1763798400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_timers
      ADD COLUMN carried_minutes double precision NOT NULL DEFAULT 0 CHECK (carried_minutes >= 0),
      ADD COLUMN counting_since timestamptz`);
    await q.query(`
      WITH readings AS (
        SELECT s.id, COALESCE(s.paused_at, now()) AS at,
          s.target_minutes - EXTRACT(EPOCH FROM s.due_at - COALESCE(s.paused_at, now())) / 60 AS by_due,
          EXTRACT(EPOCH FROM COALESCE(s.paused_at, now()) - s.started_at) / 60 - s.paused_minutes AS by_start
        FROM sla_timers s LEFT JOIN calendars c ON c.id = s.calendar_id
        WHERE s.running AND s.status IN ('active', 'paused') AND (c.id IS NULL OR c.type = '24x7')
          AND s.due_at > COALESCE(s.paused_at, now())
      )
      UPDATE sla_timers s SET carried_minutes = GREATEST(0, r.by_due), counting_since = r.at, paused_minutes = 0
      FROM readings r
      WHERE s.id = r.id AND abs(r.by_due - r.by_start) > 0.01`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old reading is minutes since started_at − paused_minutes: the time between started_at and
    // counting_since that was not carried goes back into paused_minutes, so it reads what was carried.
    await q.query(`UPDATE sla_timers SET paused_minutes = GREATEST(0,
        paused_minutes + EXTRACT(EPOCH FROM counting_since - started_at) / 60 - carried_minutes)
      WHERE counting_since IS NOT NULL`);
    await q.query(`ALTER TABLE sla_timers DROP COLUMN counting_since, DROP COLUMN carried_minutes`);
  }
}
