import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PreparedQuery } from '../database/prepared-query';
import type { WebhookEventType } from './webhook-events';

/** An event as it is sent: its id is X-Event-Id, its body the exact bytes signed. */
export interface OutboxEvent {
  id: string;
  ticketId: string;
  type: WebhookEventType;
  body: string;
  createdAt: Date;
}

/** A delivery a worker holds under its lease, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: WebhookEventType;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** What one attempt came to; `retryInMs` is the wait before the next one if it failed. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  retryInMs: number;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

export interface ClaimOptions {
  /** At most this many deliveries in all. */
  limit: number;
  /** At most this many of one endpoint's deliveries, sent one after another. */
  perEndpoint: number;
  /** At most this many endpoints (all of them when absent). */
  endpoints?: number;
  /** Endpoints not to claim for now (this process is delivering to them, or they are cooling off). */
  skip?: string[];
  leaseMs: number;
  token: string;
}

const SUBSCRIBERS = new PreparedQuery(
  `SELECT id, events FROM webhooks WHERE active AND events && $1::text[] ORDER BY id`,
);

/**
 * The claim (see WebhookOutboxRepository.claim). It starts with UPDATE so that both drivers answer
 * `[rows, affected]`; the choice of rows is a subquery. `$6` NULL takes every endpoint.
 */
const CLAIM = new PreparedQuery(
  `UPDATE webhook_deliveries d
      SET locked_until = now() + make_interval(secs => $3::double precision / 1000), claim_token = $4
     FROM (
       WITH heads AS (
         SELECT h.id, h.webhook_id, h.next_attempt_at, h.seq,
                row_number() OVER (PARTITION BY h.webhook_id ORDER BY h.next_attempt_at, h.seq) AS rank
           FROM webhooks w
          CROSS JOIN LATERAL (
            SELECT p.id, p.webhook_id, p.next_attempt_at, p.seq FROM webhook_deliveries p
             WHERE p.webhook_id = w.id AND p.status = 'pending' AND p.next_attempt_at <= now()
               AND (p.locked_until IS NULL OR p.locked_until <= now())
               AND NOT EXISTS (
                 SELECT 1 FROM webhook_deliveries q
                  WHERE q.webhook_id = p.webhook_id AND q.ticket_id = p.ticket_id
                    AND q.status = 'pending' AND q.seq < p.seq)
             ORDER BY p.next_attempt_at, p.seq
             LIMIT $2
          ) h
          WHERE w.active AND w.id <> ALL ($5::uuid[])
       ),
       endpoints AS (
         SELECT webhook_id FROM heads WHERE rank = 1 ORDER BY next_attempt_at, seq LIMIT $6::int
       ),
       picked AS (
         SELECT heads.id FROM heads JOIN endpoints USING (webhook_id)
          ORDER BY heads.rank, heads.next_attempt_at, heads.seq LIMIT $1
       )
       SELECT c.id FROM webhook_deliveries c
        WHERE c.id IN (SELECT id FROM picked)
          AND c.status = 'pending' AND (c.locked_until IS NULL OR c.locked_until <= now())
          FOR UPDATE OF c SKIP LOCKED
     ) claimed, webhooks w, webhook_events e
    WHERE d.id = claimed.id AND w.id = d.webhook_id AND e.id = d.event_id
    RETURNING d.id, d.seq, d.next_attempt_at, d.webhook_id, w.url, w.secret, d.event_id,
              e.type AS event_type, e.body, d.attempts`,
);

/** TypeORM answers UPDATE and DELETE with `[rows, affected]` on both drivers when the statement starts so. */
type UpdateResult<R> = [R[], number];

/**
 * The webhook outbox. Rows are written in the transaction of the change (see WebhookOutboxWriter)
 * and claimed by the delivery workers of every process; every time comparison uses the database's
 * clock, so processes with skewed clocks agree on what is due and whose lease has lapsed.
 */
@Injectable()
export class WebhookOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Active endpoints subscribed to any of `types`, read in the change's transaction. */
  async subscribers(
    manager: EntityManager,
    types: WebhookEventType[],
  ): Promise<{ id: string; events: WebhookEventType[] }[]> {
    return SUBSCRIBERS.run(manager, [types]);
  }

  /** Writes the events and one pending delivery per (event, endpoint), in the caller's transaction. */
  async enqueue(
    manager: EntityManager,
    events: OutboxEvent[],
    deliveries: { webhookId: string; eventId: string; ticketId: string }[],
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await manager.query(
      `INSERT INTO webhook_events (id, ticket_id, type, body, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])`,
      [
        events.map((event) => event.id),
        events.map((event) => event.ticketId),
        events.map((event) => event.type),
        events.map((event) => event.body),
        events.map((event) => event.createdAt.toISOString()),
      ],
    );
    // WITH ORDINALITY keeps the given order in the sequence: the order deliveries are made in.
    await manager.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, ticket_id)
       SELECT webhook_id, event_id, ticket_id
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS d (webhook_id, event_id, ticket_id, n)
        ORDER BY n`,
      [
        deliveries.map((delivery) => delivery.webhookId),
        deliveries.map((delivery) => delivery.eventId),
        deliveries.map((delivery) => delivery.ticketId),
      ],
    );
  }

  /**
   * Claims due deliveries under a lease, skipping rows other workers are claiming. A delivery is due
   * when it is pending, its next attempt time has come, no live lease holds it, its endpoint is
   * active, and no earlier delivery of the same ticket to the same endpoint is still pending (so one
   * ticket's events reach an endpoint in order, whatever retries happen): the head of its chain.
   *
   * Fair across endpoints: each active endpoint offers its own oldest due heads (at most
   * `perEndpoint`, read through `webhook_deliveries_due_idx`), the endpoints waiting longest are
   * taken first (at most `endpoints`), and the batch takes every endpoint's first head before any
   * endpoint's second. A backlog of one endpoint, however large, costs the others nothing; pending
   * rows of inactive endpoints are not even read. One statement, so the claim commits at once; the
   * sending happens outside any transaction.
   */
  async claim(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    const result: UpdateResult<Record<string, unknown>> = await CLAIM.run(this.dataSource.manager, [
      options.limit,
      options.perEndpoint,
      options.leaseMs,
      options.token,
      options.skip ?? [],
      options.endpoints ?? null,
    ]);
    return result[0]
      .sort(
        (a, b) =>
          new Date(a.next_attempt_at as Date).getTime() - new Date(b.next_attempt_at as Date).getTime() ||
          Number(a.seq) - Number(b.seq),
      )
      .map((row) => ({
        id: row.id as string,
        webhookId: row.webhook_id as string,
        url: row.url as string,
        secret: row.secret as string,
        eventId: row.event_id as string,
        eventType: row.event_type as WebhookEventType,
        body: row.body as string,
        attempts: row.attempts as number,
      }));
  }

  /**
   * Records one attempt and moves the delivery on: delivered on success; on failure, failed once
   * `windowMs` has passed since the event was queued, otherwise pending again after `retryInMs`.
   * The state changes only while this claim still holds the row; the attempt is logged either way.
   */
  async recordAttempt(
    delivery: ClaimedDelivery,
    token: string,
    result: AttemptResult,
    windowMs: number,
  ): Promise<AttemptOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // Locks in the order an endpoint's DELETE takes them (the endpoint, then its deliveries by
      // cascade): updating the delivery first and then logging the attempt (whose foreign key
      // share-locks the endpoint) would deadlock with a DELETE that came in between.
      await manager.query(`SELECT 1 FROM webhooks WHERE id = $1 FOR KEY SHARE`, [delivery.webhookId]);
      const [rows]: UpdateResult<{ status: 'pending' | 'delivered' | 'failed'; attempts: number }> =
        await manager.query(
          `UPDATE webhook_deliveries SET
             attempts = attempts + 1,
             status = CASE WHEN $3 THEN 'delivered'
                           WHEN now() >= created_at + make_interval(secs => $5::double precision / 1000) THEN 'failed'
                           ELSE 'pending' END,
             finished_at = CASE WHEN $3 OR now() >= created_at + make_interval(secs => $5::double precision / 1000)
                                THEN now() END,
             next_attempt_at = now() + make_interval(secs => $4::double precision / 1000),
             locked_until = NULL,
             claim_token = NULL
           WHERE id = $1 AND claim_token = $2 AND status = 'pending'
           RETURNING status, attempts`,
          [delivery.id, token, result.ok, result.retryInMs, windowMs],
        );
      const state = rows[0];
      const outcome: AttemptOutcome =
        state === undefined
          ? result.ok
            ? 'delivered'
            : 'retry'
          : state.status === 'pending'
            ? 'retry'
            : state.status;
      // The endpoint may have been deleted meanwhile (its deliveries with it): then there is nothing to log to.
      await manager.query(
        `INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, outcome, status_code, duration_ms, error)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $1)`,
        [
          delivery.id,
          delivery.webhookId,
          state?.attempts ?? delivery.attempts + 1,
          outcome,
          result.statusCode,
          Math.max(0, Math.round(result.durationMs)),
          result.error === null ? null : result.error.slice(0, 500),
        ],
      );
      return outcome;
    });
  }

  /** Gives back deliveries claimed but not attempted, due again at once (the process is stopping). */
  async release(ids: string[], token: string): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET locked_until = NULL, claim_token = NULL
        WHERE id = ANY($1::uuid[]) AND claim_token = $2`,
      [ids, token],
    );
  }

  /**
   * Gives back deliveries claimed but not attempted because their endpoint just failed: they are due
   * again only after `delayMs` (their own attempt count and back-off are untouched), so a failing
   * endpoint's backlog does not come straight back into the next claim.
   */
  async defer(ids: string[], token: string, delayMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET locked_until = NULL, claim_token = NULL,
              next_attempt_at = GREATEST(next_attempt_at, now() + make_interval(secs => $3::double precision / 1000))
        WHERE id = ANY($1::uuid[]) AND claim_token = $2 AND status = 'pending'`,
      [ids, token, delayMs],
    );
  }

  /**
   * Gives up (marks failed) up to `limit` pending deliveries of inactive endpoints queued longer
   * than `windowMs` ago: no worker claims them, and an endpoint switched back on must not receive a
   * stale backlog. Rows under a live lease or locked by another sweeper are left for later.
   * Returns how many were given up.
   */
  async failStaleOfInactive(windowMs: number, limit: number): Promise<number> {
    const [, affected]: UpdateResult<unknown> = await this.dataSource.query(
      `UPDATE webhook_deliveries d
          SET status = 'failed', finished_at = now(), locked_until = NULL, claim_token = NULL
         FROM (
           SELECT p.id FROM webhook_deliveries p
             JOIN webhooks w ON w.id = p.webhook_id AND NOT w.active
            WHERE p.status = 'pending'
              AND p.created_at < now() - make_interval(secs => $1::double precision / 1000)
              AND (p.locked_until IS NULL OR p.locked_until <= now())
            LIMIT $2
            FOR UPDATE OF p SKIP LOCKED
         ) stale
        WHERE d.id = stale.id`,
      [windowMs, limit],
    );
    return affected;
  }

  /**
   * Deletes up to `limit` deliveries that were delivered or failed more than `days` days ago, with
   * their attempts (by cascade). Returns how many deliveries went.
   */
  async purgeFinished(days: number, limit: number): Promise<number> {
    const [, affected]: UpdateResult<unknown> = await this.dataSource.query(
      `DELETE FROM webhook_deliveries d
        USING (
          SELECT id FROM webhook_deliveries
           WHERE status <> 'pending' AND finished_at < now() - make_interval(days => $1::int)
           LIMIT $2
           FOR UPDATE SKIP LOCKED
        ) old
        WHERE d.id = old.id`,
      [days, limit],
    );
    return affected;
  }

  /** Deletes up to `limit` events older than `days` days that no delivery refers to any more. */
  async purgeOrphanEvents(days: number, limit: number): Promise<number> {
    const [, affected]: UpdateResult<unknown> = await this.dataSource.query(
      `DELETE FROM webhook_events e
        USING (
          SELECT ev.id FROM webhook_events ev
           WHERE ev.created_at < now() - make_interval(days => $1::int)
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)
           LIMIT $2
           FOR UPDATE SKIP LOCKED
        ) old
        WHERE e.id = old.id`,
      [days, limit],
    );
    return affected;
  }

  /** Pending deliveries and the age of the oldest, for the backlog gauges. */
  async backlog(): Promise<{ pending: number; oldestSeconds: number }> {
    const [row]: { pending: number; oldest_seconds: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
         FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return { pending: row.pending, oldestSeconds: Number(row.oldest_seconds ?? 0) };
  }
}
