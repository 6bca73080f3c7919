import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stopped timer keeps the time it counted, in its calendar's business minutes with pauses
 * excluded: the SLA report's medians and percentiles read it in SQL, where no calendar arithmetic
 * is possible. Timers stopped before this column existed are filled with wall-clock minutes less
 * pauses (exact on 24x7 calendars, the only kind seeded).
 */
export class TimerElapsed1763798400004 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_timers ADD COLUMN elapsed_minutes double precision
      CHECK (elapsed_minutes >= 0)`);
    await q.query(`UPDATE sla_timers
      SET elapsed_minutes = GREATEST(0, EXTRACT(EPOCH FROM stopped_at - started_at) / 60 - paused_minutes)
      WHERE stopped_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_timers DROP COLUMN elapsed_minutes`);
  }
}
