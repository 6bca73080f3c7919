import {
  type PolicyConditions,
  type PolicyFacts,
  policyMatches,
  selectPolicy,
} from '../../src/sla/policy-matcher';

interface Policy {
  name: string;
  position: number;
  conditions: PolicyConditions;
}

/** The five seeded policies of SPEC §6, in position order. */
const SEEDED: Policy[] = [
  { name: 'VIP', position: 1, conditions: { minVip: 3 } },
  { name: 'Urgent', position: 2, conditions: { priorities: ['urgent'] } },
  { name: 'High', position: 3, conditions: { priorities: ['high'] } },
  { name: 'Normal', position: 4, conditions: { priorities: ['normal'] } },
  { name: 'Low', position: 5, conditions: { priorities: ['low'] } },
];

function facts(overrides: Partial<PolicyFacts> = {}): PolicyFacts {
  return { priority: 'normal', category: 'deposit_withdrawal', channel: 'web', vip: 0, ...overrides };
}

describe('selectPolicy with the seeded policies', () => {
  type Row = [scenario: string, facts: PolicyFacts, policy: string];
  it.each<Row>([
    // minVip 3 at position 1 wins over Low (position 5)
    ['a VIP 3 customer with a low ticket gets VIP', facts({ vip: 3, priority: 'low' }), 'VIP'],
    ['a VIP 7 customer with an urgent ticket gets VIP', facts({ vip: 7, priority: 'urgent' }), 'VIP'],
    // 2 < minVip 3: VIP does not match, Urgent (position 2) does
    ['a VIP 2 customer with an urgent ticket gets Urgent', facts({ vip: 2, priority: 'urgent' }), 'Urgent'],
    ['a high ticket gets High', facts({ priority: 'high' }), 'High'],
    ['a normal ticket gets Normal', facts({ priority: 'normal' }), 'Normal'],
    ['a low ticket gets Low', facts({ priority: 'low' }), 'Low'],
  ])('%s', (_scenario, given, policy) => {
    expect(selectPolicy(SEEDED, given)?.name).toBe(policy);
  });
});

describe('policyMatches', () => {
  type Row = [scenario: string, conditions: PolicyConditions, facts: PolicyFacts, matches: boolean];
  it.each<Row>([
    ['no conditions match everything', {}, facts({ priority: 'low', channel: 'phone', vip: 0 }), true],
    ['a priority in the list', { priorities: ['high', 'urgent'] }, facts({ priority: 'urgent' }), true],
    ['a priority not in the list', { priorities: ['high', 'urgent'] }, facts({ priority: 'normal' }), false],
    ['a category in the list', { categories: ['security', 'kyc'] }, facts({ category: 'kyc' }), true],
    ['a category not in the list', { categories: ['security'] }, facts({ category: 'trading' }), false],
    ['a channel in the list', { channels: ['chat', 'phone'] }, facts({ channel: 'chat' }), true],
    ['a channel not in the list', { channels: ['chat'] }, facts({ channel: 'email' }), false],
    ['vip exactly at minVip', { minVip: 3 }, facts({ vip: 3 }), true],
    ['vip below minVip', { minVip: 3 }, facts({ vip: 2 }), false],
    [
      'all present conditions match',
      { priorities: ['urgent'], categories: ['security'], channels: ['app'], minVip: 1 },
      facts({ priority: 'urgent', category: 'security', channel: 'app', vip: 1 }),
      true,
    ],
    [
      'one present condition fails (channel) → no match',
      { priorities: ['urgent'], categories: ['security'], channels: ['app'], minVip: 1 },
      facts({ priority: 'urgent', category: 'security', channel: 'web', vip: 1 }),
      false,
    ],
    [
      'one present condition fails (vip) → no match',
      { priorities: ['urgent'], minVip: 1 },
      facts({ priority: 'urgent', vip: 0 }),
      false,
    ],
  ])('%s', (_scenario, conditions, given, matches) => {
    expect(policyMatches(conditions, given)).toBe(matches);
  });
});

describe('selectPolicy ordering', () => {
  it('the lowest position wins regardless of array order', () => {
    // Reversed array: Low … VIP; VIP (position 1) and Low (position 5) both match a VIP 3 low ticket.
    const reversed = [...SEEDED].reverse();

    expect(selectPolicy(reversed, facts({ vip: 3, priority: 'low' }))?.name).toBe('VIP');
  });

  it('a catch-all at a low position loses to a matching specific policy before it', () => {
    // Catch-all at 10 and a security policy at 7, given out of order: security (7) < catch-all (10).
    const policies: Policy[] = [
      { name: 'Catch-all', position: 10, conditions: {} },
      { name: 'Security', position: 7, conditions: { categories: ['security'] } },
    ];

    expect(selectPolicy(policies, facts({ category: 'security' }))?.name).toBe('Security');
  });

  it('does not reorder the array it is given', () => {
    const reversed = [...SEEDED].reverse();

    selectPolicy(reversed, facts());

    expect(reversed.map((policy) => policy.position)).toEqual([5, 4, 3, 2, 1]);
  });

  it('no matching policy → undefined', () => {
    // Only Urgent and High: a normal ticket of a VIP 0 customer matches neither.
    const policies = SEEDED.filter((policy) => policy.name === 'Urgent' || policy.name === 'High');

    expect(selectPolicy(policies, facts({ priority: 'normal' }))).toBeUndefined();
  });

  it('no policies → undefined', () => {
    expect(selectPolicy([], facts())).toBeUndefined();
  });
});
