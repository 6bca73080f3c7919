/** The ticket vocabulary and its rules (SPEC §5, §12), as plain values and functions. */

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['web', 'app', 'email', 'chat', 'social', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const VISIBILITIES = ['public', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

/** Where a customer's reply leaves the ticket: pending, on hold and solved reopen; new stays new. */
export function statusAfterCustomerReply(status: TicketStatus): TicketStatus {
  return status === 'pending' || status === 'on_hold' || status === 'solved' ? 'open' : status;
}

/** Where the first public agent reply leaves the ticket: a new ticket becomes open. */
export function statusAfterAgentReply(status: TicketStatus): TicketStatus {
  return status === 'new' ? 'open' : status;
}

const URGENT_BY_DEFAULT = new Set(['security/account_compromised', 'security/freeze_request']);

/** Priority when the request names none (SPEC §5). */
export function defaultPriority(category: string, subcategory: string): Priority {
  if (URGENT_BY_DEFAULT.has(`${category}/${subcategory}`)) return 'urgent';
  if (category === 'security' || subcategory === 'withdrawal_failed') return 'high';
  return 'normal';
}

/** One step up, capped at urgent (escalation). */
export function raisePriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)];
}

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}
