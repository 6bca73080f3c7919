import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PreparedQuery } from '../database/prepared-query';
import type { Actor } from './ticket.types';

export const EVENT_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.priority_changed',
  'ticket.category_changed',
  'ticket.assigned',
  'ticket.group_changed',
  'ticket.tags_changed',
  'message.created',
  'attachment.added',
  'attachment.deleted',
  'sla.started',
  'sla.paused',
  'sla.resumed',
  'sla.achieved',
  'sla.at_risk',
  'sla.breached',
  'ticket.escalated',
  'ticket.de_escalated',
  'ticket.follow_up',
  'ticket.redacted',
  'ticket.satisfaction',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface TimelineEvent {
  type: EventType;
  actor: Actor;
  data: Record<string, unknown>;
  /** Set for records that must exist at most once (a breach, an escalation level). */
  dedupeKey?: string;
}

const ALWAYS_CUSTOMER_VISIBLE = new Set<EventType>([
  'ticket.created',
  'ticket.status_changed',
  'ticket.follow_up',
  'ticket.escalated',
  'ticket.redacted',
  'ticket.satisfaction',
]);
const VISIBLE_WHEN_PUBLIC = new Set<EventType>(['message.created', 'attachment.added', 'attachment.deleted']);

/** SPEC §12: the customer-safe subset of the timeline. */
export function isCustomerVisible(type: EventType, data: Record<string, unknown>): boolean {
  return ALWAYS_CUSTOMER_VISIBLE.has(type) || (VISIBLE_WHEN_PUBLIC.has(type) && data.visibility === 'public');
}

/** What of an event's data a customer may read (no priorities, groups or agents' internals). */
export const CUSTOMER_DATA_KEYS: Partial<Record<EventType, readonly string[]>> = {
  'ticket.created': ['number', 'channel'],
  'ticket.status_changed': ['from', 'to'],
  'message.created': ['messageId', 'visibility', 'authorRole'],
  'attachment.added': ['attachmentId', 'filename', 'visibility'],
  'attachment.deleted': ['attachmentId', 'visibility'],
  'ticket.escalated': ['level', 'reason'],
  'ticket.follow_up': ['level'],
  'ticket.redacted': ['kinds'],
  'ticket.satisfaction': ['rating'],
};

/**
 * Called with the records a transaction wrote, inside that transaction: the seam for work that
 * must commit or roll back with the change (the webhook outbox).
 */
export type TimelineSubscriber = (
  manager: EntityManager,
  ticketId: string,
  events: TimelineEvent[],
  at: Date,
) => Promise<void>;

const RECORD_EVENTS = new PreparedQuery(
  `INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key, created_at)
   SELECT ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key, $8::timestamptz
   FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::jsonb[], $7::text[])
     WITH ORDINALITY AS e(ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key, n)
   ORDER BY n
   ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
);

/** Appends timeline records in the caller's transaction; a repeated dedupe key is skipped. */
@Injectable()
export class Timeline {
  private readonly subscribers: TimelineSubscriber[] = [];

  subscribe(subscriber: TimelineSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Returns the dedupe keys that were new (all records without a key are always written). */
  record(manager: EntityManager, ticketId: string, events: TimelineEvent[], at: Date): Promise<Set<string>> {
    return this.recordMany(manager, [{ ticketId, events }], at);
  }

  /** Several tickets' records in one statement (the escalation sweep writes a whole batch at once). */
  async recordMany(
    manager: EntityManager,
    entries: { ticketId: string; events: TimelineEvent[] }[],
    at: Date,
  ): Promise<Set<string>> {
    const fresh = new Set<string>();
    const rows = entries.flatMap(({ ticketId, events }) => events.map((event) => ({ ticketId, event })));
    if (rows.length === 0) return fresh;
    const inserted = await RECORD_EVENTS.run<{ dedupe_key: string | null }[]>(manager, [
      rows.map((row) => row.ticketId),
      rows.map((row) => row.event.type),
      rows.map((row) => row.event.actor.id),
      rows.map((row) => row.event.actor.role),
      rows.map((row) => isCustomerVisible(row.event.type, row.event.data)),
      rows.map((row) => JSON.stringify(row.event.data)),
      rows.map((row) => row.event.dedupeKey ?? null),
      at,
    ]);
    for (const row of inserted) if (row.dedupe_key) fresh.add(row.dedupe_key);
    for (const { ticketId, events } of entries) await this.written(manager, ticketId, events, at, fresh);
    return fresh;
  }

  /**
   * Tells the subscribers about records a statement of the caller's wrote (a new ticket writes its
   * first records with the ticket); `fresh` holds the dedupe keys that were new.
   */
  async written(
    manager: EntityManager,
    ticketId: string,
    events: TimelineEvent[],
    at: Date,
    fresh: Set<string>,
  ): Promise<void> {
    // Records skipped as duplicates happened before: subscribers hear only the new ones.
    const written = events.filter((event) => !event.dedupeKey || fresh.has(event.dedupeKey));
    if (written.length === 0) return;
    for (const subscriber of this.subscribers) await subscriber(manager, ticketId, written, at);
  }
}
