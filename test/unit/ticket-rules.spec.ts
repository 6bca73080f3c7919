import {
  allowedTransitions,
  canTransition,
  defaultPriority,
  type Priority,
  raisePriority,
  STATUSES,
  statusAfterAgentReply,
  statusAfterCustomerReply,
  type TicketStatus,
} from '../../src/tickets/ticket-rules';

/** SPEC §12 "Transitions", written out independently of the module's table. */
const SPEC_TRANSITIONS: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

const ALL_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];

/** Every ordered pair of the 6 statuses (6 × 6 = 36), with whether SPEC §12 allows it. */
const PAIRS: [TicketStatus, TicketStatus, boolean][] = ALL_STATUSES.flatMap((from) =>
  ALL_STATUSES.map((to): [TicketStatus, TicketStatus, boolean] => [
    from,
    to,
    SPEC_TRANSITIONS[from].includes(to),
  ]),
);

describe('canTransition', () => {
  it('covers all 36 pairs of the six statuses', () => {
    expect({ statuses: [...STATUSES].sort(), pairs: PAIRS.length }).toEqual({
      statuses: [...ALL_STATUSES].sort(),
      pairs: 36,
    });
  });

  it.each(PAIRS)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('allowedTransitions', () => {
  it.each(ALL_STATUSES)('%s lists exactly the SPEC targets', (from) => {
    expect([...allowedTransitions(from)].sort()).toEqual([...SPEC_TRANSITIONS[from]].sort());
  });
});

describe('statusAfterCustomerReply', () => {
  it.each<[TicketStatus, TicketStatus]>([
    ['new', 'new'],
    ['open', 'open'],
    ['pending', 'open'],
    ['on_hold', 'open'],
    ['solved', 'open'],
    // closed is final: the reply itself is refused (409) elsewhere, the status never reopens
    ['closed', 'closed'],
  ])('%s → %s', (from, to) => {
    expect(statusAfterCustomerReply(from)).toBe(to);
  });
});

describe('statusAfterAgentReply', () => {
  it.each<[TicketStatus, TicketStatus]>([
    ['new', 'open'],
    ['open', 'open'],
    ['pending', 'pending'],
    ['on_hold', 'on_hold'],
    ['solved', 'solved'],
    ['closed', 'closed'],
  ])('%s → %s', (from, to) => {
    expect(statusAfterAgentReply(from)).toBe(to);
  });
});

describe('defaultPriority', () => {
  /** Every subcategory of SPEC §4 with the default of SPEC §5. */
  it.each<[category: string, subcategory: string, priority: Priority]>([
    ['account', 'registration', 'normal'],
    ['account', 'login', 'normal'],
    ['account', 'password_reset', 'normal'],
    ['account', 'account_recovery', 'normal'],
    ['account', 'vip_level', 'normal'],
    ['account', 'profile', 'normal'],
    ['kyc', 'verification_status', 'normal'],
    ['kyc', 'document_rejected', 'normal'],
    ['kyc', 'verification_level', 'normal'],
    ['kyc', 'address_proof', 'normal'],
    ['deposit_withdrawal', 'deposit_not_credited', 'normal'],
    ['deposit_withdrawal', 'withdrawal_delayed', 'normal'],
    ['deposit_withdrawal', 'withdrawal_failed', 'high'],
    ['deposit_withdrawal', 'fees', 'normal'],
    ['deposit_withdrawal', 'address_confirmation', 'normal'],
    ['deposit_withdrawal', 'fiat', 'normal'],
    ['trading', 'spot', 'normal'],
    ['trading', 'futures', 'normal'],
    ['trading', 'margin', 'normal'],
    ['trading', 'fiat_p2p', 'normal'],
    ['trading', 'fees', 'normal'],
    ['trading', 'stop_orders', 'normal'],
    ['trading', 'order_anomaly', 'normal'],
    ['trading', 'api', 'normal'],
    ['security', 'account_compromised', 'urgent'],
    ['security', 'unusual_login', 'high'],
    ['security', 'two_factor', 'high'],
    ['security', 'phishing_report', 'high'],
    ['security', 'anti_phishing_code', 'high'],
    ['security', 'freeze_request', 'urgent'],
  ])('%s/%s → %s', (category, subcategory, priority) => {
    expect(defaultPriority(category, subcategory)).toBe(priority);
  });
});

describe('raisePriority', () => {
  it.each<[Priority, Priority]>([
    ['low', 'normal'],
    ['normal', 'high'],
    ['high', 'urgent'],
    // urgent is the top step
    ['urgent', 'urgent'],
  ])('%s → %s', (from, to) => {
    expect(raisePriority(from)).toBe(to);
  });
});
