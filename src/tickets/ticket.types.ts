import type { FieldValues } from '../categories/category-fields';
import type { Timer } from '../sla/sla-timers';
import type { Channel, Priority, TicketStatus } from './ticket-rules';

export interface Satisfaction {
  rating: number;
  comment: string | null;
  createdAt: string;
}

/** A ticket as the service works with it (camelCase row plus its SLA state). */
export interface Ticket {
  id: string;
  number: number;
  subject: string;
  description: string;
  category: string;
  subcategory: string;
  priority: Priority;
  status: TicketStatus;
  channel: Channel;
  locale: string;
  requesterId: string;
  requesterVip: number;
  assigneeId: string | null;
  groupId: string | null;
  tier: number;
  escalationLevel: number;
  fields: FieldValues;
  tags: string[];
  policyId: string | null;
  slaDueAt: Date | null;
  slaNextCheckAt: Date | null;
  satisfaction: Satisfaction | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  firstRespondedAt: Date | null;
  solvedAt: Date | null;
  closedAt: Date | null;
}

/** The policy targets a ticket runs under, for `sla.*.targetMinutes` of timers not started. */
export interface PolicyTargets {
  firstResponse: number;
  nextResponse: number;
  resolution: number;
}

export interface TicketWithSla {
  ticket: Ticket;
  /** The latest timer of each kind (running or not). */
  timers: Timer[];
  targets: PolicyTargets | null;
}

export type ActorRole = 'customer' | 'agent' | 'supervisor' | 'admin' | 'system';

export interface Actor {
  id: string;
  role: ActorRole;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };
