import type { EventType, TimelineEvent } from '../tickets/timeline';

/** The events an endpoint may subscribe to (SPEC §10). */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.message_created',
  'sla.at_risk',
  'sla.breached',
  'ticket.escalated',
  'ticket.solved',
  'ticket.closed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Timeline records that change a field of the ticket an integrator syncs: each is a `ticket.updated`. */
const FIELD_CHANGES = new Set<EventType>([
  'ticket.priority_changed',
  'ticket.category_changed',
  'ticket.assigned',
  'ticket.group_changed',
  'ticket.tags_changed',
  'ticket.escalated',
  'ticket.de_escalated',
  'ticket.follow_up',
  'ticket.satisfaction',
]);

const ONE_TO_ONE: Partial<Record<EventType, WebhookEventType>> = {
  'ticket.created': 'ticket.created',
  'message.created': 'ticket.message_created',
  'sla.at_risk': 'sla.at_risk',
  'sla.breached': 'sla.breached',
  'ticket.escalated': 'ticket.escalated',
};

/**
 * The webhook events one transaction's timeline records of one ticket stand for, in record order,
 * each with the index of the record it comes from (for its time): solved and closed status changes
 * are their own events, every other field change (other statuses, priority, category, assignee,
 * group, tags, escalation level, de-escalation, follow-up, rating) folds into at most one
 * `ticket.updated`, placed where the first of them happened. A new ticket is only `ticket.created`
 * (plus what else its creation recorded, such as an SLA event): its initial state is part of it.
 */
export function webhookEventsFor(
  records: readonly Pick<TimelineEvent, 'type' | 'data'>[],
): { type: WebhookEventType; source: number }[] {
  const created = records.some((record) => record.type === 'ticket.created');
  const out: { type: WebhookEventType; source: number }[] = [];
  const push = (type: WebhookEventType, source: number) => {
    if (type === 'ticket.updated' && (created || out.some((event) => event.type === type))) return;
    out.push({ type, source });
  };
  records.forEach((record, index) => {
    const direct = ONE_TO_ONE[record.type];
    if (direct) push(direct, index);
    if (record.type === 'ticket.status_changed') {
      const to = record.data.to;
      push(to === 'solved' ? 'ticket.solved' : to === 'closed' ? 'ticket.closed' : 'ticket.updated', index);
    } else if (FIELD_CHANGES.has(record.type)) {
      push('ticket.updated', index);
    }
  });
  return out;
}
