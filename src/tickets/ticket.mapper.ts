import { isStaff, type Viewer } from '../auth/roles';
import { effectiveStatus, elapsedMinutes, type Timer, type TimerKind } from '../sla/sla-timers';
import type {
  EventResponse,
  MessageResponse,
  SlaTimerResponse,
  TicketResponse,
} from './dto/ticket.responses';
import type { TicketWithSla } from './ticket.types';
import { CUSTOMER_DATA_KEYS, type EventType } from './timeline';

const iso = (date: Date | string | null) => (date === null ? null : new Date(date).toISOString());

function timerResponse(timer: Timer | undefined, target: number | null, now: Date): SlaTimerResponse {
  if (!timer) {
    return {
      targetMinutes: target,
      startedAt: null,
      dueAt: null,
      status: 'none',
      elapsedMinutes: null,
      breachedAt: null,
      achievedAt: null,
    };
  }
  const status = effectiveStatus(timer, now);
  return {
    targetMinutes: timer.targetMinutes,
    startedAt: iso(timer.startedAt),
    dueAt: iso(timer.dueAt),
    status,
    elapsedMinutes: Math.floor(elapsedMinutes(timer, now)),
    breachedAt: status === 'breached' ? iso(timer.breachedAt ?? timer.dueAt) : null,
    achievedAt: iso(timer.achievedAt),
  };
}

/** The ticket as the API shows it, with `sla` computed in each timer's calendar at `now`. */
export function toTicketResponse({ ticket, timers, targets }: TicketWithSla, now: Date): TicketResponse {
  const byKind = new Map<TimerKind, Timer>(timers.map((timer) => [timer.kind, timer]));
  const sla = (kind: TimerKind) => timerResponse(byKind.get(kind), targets?.[kind] ?? null, now);
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    description: ticket.description,
    category: ticket.category,
    subcategory: ticket.subcategory,
    priority: ticket.priority,
    status: ticket.status,
    channel: ticket.channel,
    locale: ticket.locale,
    requesterId: ticket.requesterId,
    requesterVip: ticket.requesterVip,
    assigneeId: ticket.assigneeId,
    groupId: ticket.groupId,
    tier: ticket.tier,
    escalationLevel: ticket.escalationLevel,
    fields: ticket.fields,
    tags: ticket.tags,
    sla: {
      policyId: ticket.policyId,
      firstResponse: sla('firstResponse'),
      nextResponse: sla('nextResponse'),
      resolution: sla('resolution'),
    },
    createdAt: iso(ticket.createdAt)!,
    updatedAt: iso(ticket.updatedAt)!,
    firstRespondedAt: iso(ticket.firstRespondedAt),
    solvedAt: iso(ticket.solvedAt),
    closedAt: iso(ticket.closedAt),
    satisfaction: ticket.satisfaction,
  };
}

export interface MessageRow {
  id: string;
  ticketId: string;
  authorId: string;
  authorRole: string;
  body: string;
  visibility: 'public' | 'internal';
  attachmentIds: string[] | null;
  createdAt: Date;
}

export function toMessageResponse(row: MessageRow): MessageResponse {
  return { ...row, attachmentIds: row.attachmentIds ?? [], createdAt: iso(row.createdAt)! };
}

export interface EventRow {
  id: string;
  type: EventType;
  actorId: string;
  actorRole: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** Customers see only the customer-safe keys of an event's data. */
export function toEventResponse(row: EventRow, viewer: Viewer): EventResponse {
  const keys = CUSTOMER_DATA_KEYS[row.type] ?? [];
  const data = isStaff(viewer)
    ? row.data
    : Object.fromEntries(Object.entries(row.data).filter(([key]) => keys.includes(key)));
  return {
    id: row.id,
    type: row.type,
    actor: { id: row.actorId, role: row.actorRole },
    data,
    createdAt: iso(row.createdAt)!,
  };
}
