import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for a fair outbox claim and for retention.
 *
 * - `webhook_deliveries_due_idx`: each active endpoint's pending deliveries by next attempt time,
 *   so the claim reads, per endpoint, only its few oldest due rows (a LATERAL pick), however large
 *   another endpoint's backlog, and never the rows of inactive endpoints.
 * - `webhook_deliveries_finished_idx`: delivered and failed deliveries by when they finished, for
 *   the retention sweep (WEBHOOK_RETENTION_DAYS).
 * - `webhook_events_created_idx`: events by age, for removing those no delivery refers to any more.
 *
 * Built CONCURRENTLY, outside a transaction, so ticket changes (which write the outbox) are not
 * blocked while the indexes build on a large table. An index left invalid by an interrupted run is
 * dropped and built again.
 */
export class WebhookOutboxFairness1763798400060 implements MigrationInterface {
  name = 'WebhookOutboxFairness1763798400060';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const indexes: [string, string][] = [
      [
        'webhook_deliveries_due_idx',
        `webhook_deliveries (webhook_id, next_attempt_at, seq) WHERE status = 'pending'`,
      ],
      ['webhook_deliveries_finished_idx', `webhook_deliveries (finished_at) WHERE status <> 'pending'`],
      ['webhook_events_created_idx', `webhook_events (created_at)`],
    ];
    for (const [name, definition] of indexes) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'webhook_events_created_idx',
      'webhook_deliveries_finished_idx',
      'webhook_deliveries_due_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${name}`);
    }
  }
}
