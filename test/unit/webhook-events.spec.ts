import type { EventType } from '../../src/tickets/timeline';
import { webhookEventsFor } from '../../src/webhooks/webhook-events';

const record = (type: EventType, data: Record<string, unknown> = {}) => ({ type, data });
const types = (records: ReturnType<typeof record>[]) => webhookEventsFor(records).map((event) => event.type);

describe('webhook events for timeline records', () => {
  it('maps a new ticket to ticket.created only, whatever its creation recorded', () => {
    expect(types([record('ticket.created'), record('sla.started'), record('ticket.redacted')])).toEqual([
      'ticket.created',
    ]);
  });

  it('sends ticket.solved and ticket.closed for those status changes, ticket.updated for others', () => {
    expect(types([record('ticket.status_changed', { from: 'open', to: 'solved' })])).toEqual([
      'ticket.solved',
    ]);
    expect(types([record('ticket.status_changed', { from: 'solved', to: 'closed' })])).toEqual([
      'ticket.closed',
    ]);
    expect(types([record('ticket.status_changed', { from: 'new', to: 'pending' })])).toEqual([
      'ticket.updated',
    ]);
  });

  it('folds every field change of one transaction into one ticket.updated, where the first happened', () => {
    const events = webhookEventsFor([
      record('sla.paused'),
      record('ticket.priority_changed'),
      record('ticket.tags_changed'),
      record('ticket.assigned'),
      record('ticket.status_changed', { to: 'open' }),
      record('message.created'),
    ]);
    expect(events).toEqual([
      { type: 'ticket.updated', source: 1 },
      { type: 'ticket.message_created', source: 5 },
    ]);
  });

  it('keeps a solve and a field change of one transaction apart', () => {
    expect(
      types([record('ticket.priority_changed'), record('ticket.status_changed', { to: 'solved' })]),
    ).toEqual(['ticket.updated', 'ticket.solved']);
  });

  it('sends SLA events and escalations as themselves; an escalation also updates the ticket', () => {
    expect(
      types([
        record('sla.at_risk'),
        record('sla.breached'),
        record('ticket.escalated'),
        record('ticket.escalated'),
      ]),
    ).toEqual(['sla.at_risk', 'sla.breached', 'ticket.escalated', 'ticket.updated', 'ticket.escalated']);
    expect(types([record('ticket.de_escalated')])).toEqual(['ticket.updated']);
  });

  it('sends nothing for records no subscriber can ask for', () => {
    expect(
      types([
        record('sla.started'),
        record('sla.achieved'),
        record('attachment.added'),
        record('ticket.redacted'),
      ]),
    ).toEqual([]);
  });
});
