import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookEventType } from './webhook-events';

/** An integrator's endpoint. `secret` never leaves the service except in the create response. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWebhook {
  url: string;
  events: WebhookEventType[];
  secret: string;
  active: boolean;
}

export type WebhookChanges = Partial<NewWebhook>;

/** One logged delivery attempt, with the event it carried. */
export interface WebhookAttempt {
  id: string;
  seq: string;
  deliveryId: string;
  eventId: string;
  eventType: WebhookEventType;
  attempt: number;
  outcome: 'delivered' | 'retry' | 'failed';
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  createdAt: Date;
}

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  active: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, url, events, secret, active, version, created_at, updated_at';

/**
 * Endpoints and their attempt log.
 * TypeORM answers UPDATE and DELETE with `[rows, affectedCount]`, other statements with the rows.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Oldest first, keyset on (created_at, id) so a page never shifts under inserts. The position is
   * the timestamp as the database prints it: a JavaScript Date would drop its microseconds.
   */
  async listPage(
    limit: number,
    after?: [string, string],
  ): Promise<{ webhook: Webhook; position: [string, string] }[]> {
    const rows: (WebhookRow & { position: string })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, created_at::text AS position FROM webhooks
        WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid)
        ORDER BY created_at, id LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((row) => ({ webhook: toWebhook(row), position: [row.position, row.id] }));
  }

  async findById(id: string): Promise<Webhook | undefined> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [
      id,
    ]);
    return rows.length === 0 ? undefined : toWebhook(rows[0]);
  }

  async create(webhook: NewWebhook): Promise<Webhook> {
    const [row]: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (url, events, secret, active) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [webhook.url, webhook.events, webhook.secret, webhook.active],
    );
    return toWebhook(row);
  }

  /** Applies the changes when the version is still `expectedVersion` (any version when absent). */
  async update(id: string, changes: WebhookChanges, expectedVersion?: number): Promise<Webhook | undefined> {
    const [rows]: [WebhookRow[], number] = await this.dataSource.query(
      `UPDATE webhooks SET
         url = COALESCE($2, url),
         events = COALESCE($3::text[], events),
         secret = COALESCE($4, secret),
         active = COALESCE($5, active),
         version = version + 1,
         updated_at = now()
       WHERE id = $1 AND ($6::int IS NULL OR version = $6) RETURNING ${COLUMNS}`,
      [
        id,
        changes.url ?? null,
        changes.events ?? null,
        changes.secret ?? null,
        changes.active ?? null,
        expectedVersion ?? null,
      ],
    );
    return rows.length === 0 ? undefined : toWebhook(rows[0]);
  }

  /** Deletes the endpoint with its outbox rows and attempt log. */
  async delete(id: string): Promise<boolean> {
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM webhooks WHERE id = $1 RETURNING id`,
      [id],
    );
    return affected > 0;
  }

  /** Newest attempt first, keyset on the attempt sequence. */
  async listAttempts(webhookId: string, limit: number, beforeSeq?: string): Promise<WebhookAttempt[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT a.id, a.seq, a.delivery_id, d.event_id, e.type AS event_type, a.attempt, a.outcome,
              a.status_code, a.duration_ms, a.error, a.created_at
         FROM webhook_attempts a
         JOIN webhook_deliveries d ON d.id = a.delivery_id
         JOIN webhook_events e ON e.id = d.event_id
        WHERE a.webhook_id = $1 AND ($2::bigint IS NULL OR a.seq < $2::bigint)
        ORDER BY a.seq DESC LIMIT $3`,
      [webhookId, beforeSeq ?? null, limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      seq: String(row.seq),
      deliveryId: row.delivery_id as string,
      eventId: row.event_id as string,
      eventType: row.event_type as WebhookEventType,
      attempt: row.attempt as number,
      outcome: row.outcome as WebhookAttempt['outcome'],
      statusCode: (row.status_code as number | null) ?? null,
      durationMs: row.duration_ms as number,
      error: (row.error as string | null) ?? null,
      createdAt: new Date(row.created_at as string),
    }));
  }
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    secret: row.secret,
    active: row.active,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
