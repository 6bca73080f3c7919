import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (SPEC §10): the endpoints, the transactional outbox and the log of every attempt.
 *
 * `webhook_events` holds each event's exact signed body once; `webhook_deliveries` is the outbox,
 * one row per event and endpoint, claimed by the delivery workers (`locked_until` is the lease a
 * crashed process lets lapse); `webhook_attempts` is what the deliveries list shows.
 */
export class Webhooks1763798400003 implements MigrationInterface {
  name = 'Webhooks1763798400003';

  async up(q: QueryRunner): Promise<void> {
    const types = `'ticket.created', 'ticket.updated', 'ticket.message_created', 'sla.at_risk',
      'sla.breached', 'ticket.escalated', 'ticket.solved', 'ticket.closed'`;
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        events text[] NOT NULL CHECK (cardinality(events) >= 1 AND events <@ ARRAY[${types}]::text[]),
        secret text NOT NULL CHECK (length(secret) BETWEEN 16 AND 200),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_created_idx ON webhooks (created_at, id)`);

    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN (${types})),
        body text NOT NULL,
        created_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
        ticket_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        claim_token uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (webhook_id, event_id),
        CHECK ((status = 'pending') = (finished_at IS NULL))
      )`);
    // The workers' scan (pending rows in outbox order) and the per-ticket chain check of each endpoint.
    await q.query(
      `CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (seq) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_chain_idx ON webhook_deliveries (webhook_id, ticket_id, seq)
       WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)`);

    await q.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
        status_code integer CHECK (status_code BETWEEN 100 AND 599),
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_attempts_webhook_idx ON webhook_attempts (webhook_id, seq)`);
    await q.query(`CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhooks']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
