import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

/** Appends timeline records in the caller's transaction; a repeated dedupe key is skipped. */
@Injectable()
export class Timeline {
  private readonly subscribers: TimelineSubscriber[] = [];

  subscribe(subscriber: TimelineSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Returns the dedupe keys that were new (all records without a key are always written). */
  async record(
    manager: EntityManager,
    ticketId: string,
    events: TimelineEvent[],
    at: Date,
  ): Promise<Set<string>> {
    const fresh = new Set<string>();
    if (events.length === 0) return fresh;
    const params: unknown[] = [ticketId, at];
    const rows = events.map((event, index) => {
      params.push(
        event.type,
        event.actor.id,
        event.actor.role,
        isCustomerVisible(event.type, event.data),
        JSON.stringify(event.data),
        event.dedupeKey ?? null,
      );
      const base = 3 + index * 6;
      return `($1, $${base}, $${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $2::timestamptz)`;
    });
    const inserted: { dedupe_key: string | null }[] = await manager.query(
      `INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key, created_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
      params,
    );
    for (const row of inserted) if (row.dedupe_key) fresh.add(row.dedupe_key);
    // Records skipped as duplicates happened before: subscribers hear only the new ones.
    const written = events.filter((event) => !event.dedupeKey || fresh.has(event.dedupeKey));
    for (const subscriber of this.subscribers) await subscriber(manager, ticketId, written, at);
    return fresh;
  }
}
