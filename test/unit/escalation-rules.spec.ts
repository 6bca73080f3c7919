import {
  DEFAULT_MAX_LEVEL,
  escalateOnce,
  followUpAllowedAt,
  type GroupFinder,
  maxLevelOf,
  planSweep,
  rearmRepeatClocks,
  tierForLevel,
} from '../../src/escalation/escalation-rules';
import { CALENDAR_24X7 } from '../../src/sla/calendar/business-calendar';
import {
  achieveTimer,
  pauseTimer,
  resumeTimer,
  retargetTimer,
  scheduleNextEscalation,
  startTimer,
  type Timer,
  type TimerKind,
} from '../../src/sla/sla-timers';
import type { Ticket } from '../../src/tickets/ticket.types';
import type { Priority } from '../../src/tickets/ticket-rules';

// All times are UTC on Mon 2025-03-03; the seeded escalation rules are atRiskPercent 80, maxLevel 3.
const at = (hhmm: string) => new Date(`2025-03-03T${hhmm}:00.000Z`);
const iso = (hhmm: string) => at(hhmm).toISOString();
const MAX_LEVEL = 3;

/** The seeded groups of SPEC §5 that cover deposit_withdrawal, one per tier. */
const GROUPS = {
  l1: { id: 'group-dw-l1', tier: 1 },
  l2: { id: 'group-specialists-l2', tier: 2 },
  l3: { id: 'group-supervisors-l3', tier: 3 },
};

/** A fake GroupFinder over the seeded groups that records what it was asked. */
function groupFinder(): GroupFinder & { calls: [string, number][] } {
  const calls: [string, number][] = [];
  const find = (category: string, tier: number) => {
    calls.push([category, tier]);
    if (category !== 'deposit_withdrawal') return undefined;
    return [GROUPS.l1, GROUPS.l2, GROUPS.l3].find((group) => group.tier === tier);
  };
  return Object.assign(find, { calls });
}

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'ticket-1',
    number: 1,
    subject: 'USDT deposit not credited',
    description: 'Sent 150 USDT on TRON two hours ago.',
    category: 'deposit_withdrawal',
    subcategory: 'deposit_not_credited',
    priority: 'normal',
    status: 'open',
    channel: 'web',
    locale: 'en',
    requesterId: 'cust-42',
    requesterVip: 0,
    assigneeId: null,
    groupId: GROUPS.l1.id,
    tier: 1,
    escalationLevel: 0,
    fields: {},
    tags: [],
    policyId: 'policy-normal',
    slaDueAt: null,
    slaNextCheckAt: null,
    satisfaction: null,
    version: 1,
    createdAt: at('10:00'),
    updatedAt: at('10:00'),
    firstRespondedAt: null,
    solvedAt: null,
    closedAt: null,
    ...overrides,
  };
}

/** A 24x7 timer with an id, started at `startedAt` (HH:MM): due after `targetMinutes`, at risk at 80 %. */
function timer(id: string, kind: TimerKind, targetMinutes: number, startedAt: string): Timer {
  const target = { targetMinutes, atRiskPercent: 80, calendarId: 'calendar-24x7', calendar: CALENDAR_24X7 };
  return { ...startTimer(kind, 1, target, at(startedAt)), id };
}

describe('tierForLevel', () => {
  it.each([
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 3],
  ])('level %i → tier %i', (level, tier) => {
    expect(tierForLevel(level)).toBe(tier);
  });
});

describe('escalateOnce', () => {
  type Row = [from: Priority, level: number, to: Priority, tier: number, groupId: string];
  it.each<Row>([
    // level 0 → 1: tier 2 (Specialists L2)
    ['low', 0, 'normal', 2, GROUPS.l2.id],
    ['normal', 0, 'high', 2, GROUPS.l2.id],
    // level 1 → 2 and 2 → 3: tier 3 (Supervisors L3)
    ['high', 1, 'urgent', 3, GROUPS.l3.id],
    // urgent is the top: it stays urgent
    ['urgent', 2, 'urgent', 3, GROUPS.l3.id],
  ])('%s at level %i → %s, tier %i', (from, level, to, tier, groupId) => {
    const findGroup = groupFinder();

    const step = escalateOnce(
      ticket({ priority: from, escalationLevel: level }),
      MAX_LEVEL,
      findGroup,
      'breach',
    );

    expect({ changes: step?.changes, asked: findGroup.calls }).toEqual({
      changes: { escalationLevel: level + 1, priority: to, groupId, tier },
      asked: [['deposit_withdrawal', tier]],
    });
  });

  it('records the escalation as a system event with level, reason, priority and group', () => {
    const step = escalateOnce(ticket(), MAX_LEVEL, groupFinder(), 'follow_up', { timer: 'firstResponse' });

    expect(step?.event).toEqual({
      type: 'ticket.escalated',
      actor: { id: 'system', role: 'system' },
      data: {
        level: 1,
        reason: 'follow_up',
        priority: { from: 'normal', to: 'high' },
        groupId: GROUPS.l2.id,
        tier: 2,
        timer: 'firstResponse',
      },
    });
  });

  it('keeps the group when the next tier has none for the category', () => {
    // The fake finder knows only deposit_withdrawal groups.
    const step = escalateOnce(
      ticket({ category: 'trading', groupId: 'group-trading-l1' }),
      MAX_LEVEL,
      groupFinder(),
      'breach',
    );

    expect({
      changes: step?.changes,
      groupId: step?.event.data.groupId,
      tier: step?.event.data.tier,
    }).toEqual({
      changes: { escalationLevel: 1, priority: 'high' },
      groupId: 'group-trading-l1',
      tier: 1,
    });
  });

  it.each([
    ['at the cap of 3', 3, 3],
    ['at the cap of 1', 1, 1],
    ['with escalation disabled (maxLevel 0)', 0, 0],
  ])('changes nothing %s', (_scenario, level, maxLevel) => {
    const findGroup = groupFinder();

    const step = escalateOnce(ticket({ escalationLevel: level }), maxLevel, findGroup, 'repeat');

    expect({ step, asked: findGroup.calls }).toEqual({ step: undefined, asked: [] });
  });
});

describe('planSweep', () => {
  it('at risk only: marks the timer and records one at-risk event, nothing else', () => {
    // 60 min from 10:00: at risk 10:48 (80 %), due 11:00. Sweep at 10:50.
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], MAX_LEVEL, groupFinder(), at('10:50'));

    expect(plan).toEqual({
      changes: {},
      timers: [{ ...first, atRiskNotified: true }],
      events: [
        {
          type: 'sla.at_risk',
          actor: { id: 'system', role: 'system' },
          data: { timer: 'firstResponse', dueAt: iso('11:00'), atRiskAt: iso('10:48') },
          dedupeKey: `at_risk:timer-fr:${iso('10:48')}`,
        },
      ],
      counts: { atRisk: 1, breaches: 0, escalations: 0 },
    });
  });

  it('before the at-risk point: plans nothing', () => {
    // at risk 10:48; sweep at 10:47
    const plan = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('10:47'),
    );

    expect(plan).toEqual({
      changes: {},
      timers: [],
      events: [],
      counts: { atRisk: 0, breaches: 0, escalations: 0 },
    });
  });

  it('a breach found late is recorded at its true time, with one escalation', () => {
    // due 11:00, sweep at 11:20 (< 12:00, the next full target): breachedAt 11:00, one level:
    // normal → high, tier 2; the next repeat is one target after the breach: 11:00 + 60 = 12:00.
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], MAX_LEVEL, groupFinder(), at('11:20'));

    expect(plan).toEqual({
      changes: { escalationLevel: 1, priority: 'high', groupId: GROUPS.l2.id, tier: 2 },
      timers: [
        {
          ...first,
          status: 'breached',
          breachedAt: at('11:00'),
          atRiskNotified: true,
          escalations: 1,
          nextEscalationAt: at('12:00'),
        },
      ],
      events: [
        {
          type: 'sla.breached',
          actor: { id: 'system', role: 'system' },
          data: { timer: 'firstResponse', dueAt: iso('11:00'), breachedAt: iso('11:00') },
          dedupeKey: 'breach:timer-fr',
        },
        {
          type: 'ticket.escalated',
          actor: { id: 'system', role: 'system' },
          data: {
            level: 1,
            reason: 'breach',
            priority: { from: 'normal', to: 'high' },
            groupId: GROUPS.l2.id,
            tier: 2,
            timer: 'firstResponse',
            at: iso('11:00'),
          },
          dedupeKey: 'escalate:timer-fr:1',
        },
      ],
      counts: { atRisk: 0, breaches: 1, escalations: 1 },
    });
  });

  it('after downtime of 3 full targets, catches up on levels 1..3 at their true times', () => {
    // 60 min from 10:00, due 11:00; the scheduler was down from 10:40 to 14:30.
    // 11:00 breach → level 1 (normal → high, tier 2); 12:00 = due + 1 target → level 2 (high → urgent,
    // tier 3); 13:00 = due + 2 targets → level 3 (urgent stays, tier 3); 14:00 = due + 3 targets → the
    // cap (maxLevel 3): nothing more, and no further repeat is scheduled.
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], MAX_LEVEL, groupFinder(), at('14:30'));

    expect({
      changes: plan.changes,
      events: plan.events.map((event) => [event.type, event.dedupeKey, event.data.at, event.data.reason]),
      escalated: plan.events.slice(1).map((event) => [event.data.priority, event.data.tier]),
      timer: plan.timers.map((t) => [t.status, t.breachedAt, t.escalations, t.nextEscalationAt]),
      counts: plan.counts,
    }).toEqual({
      changes: { escalationLevel: 3, priority: 'urgent', groupId: GROUPS.l3.id, tier: 3 },
      events: [
        ['sla.breached', 'breach:timer-fr', undefined, undefined],
        ['ticket.escalated', 'escalate:timer-fr:1', iso('11:00'), 'breach'],
        ['ticket.escalated', 'escalate:timer-fr:2', iso('12:00'), 'repeat'],
        ['ticket.escalated', 'escalate:timer-fr:3', iso('13:00'), 'repeat'],
      ],
      escalated: [
        [{ from: 'normal', to: 'high' }, 2],
        [{ from: 'high', to: 'urgent' }, 3],
        [{ from: 'urgent', to: 'urgent' }, 3],
      ],
      timer: [['breached', at('11:00'), 3, null]],
      counts: { atRisk: 0, breaches: 1, escalations: 3 },
    });
  });

  it('catch-up stops at a lower maxLevel', () => {
    // Same downtime, maxLevel 2: 11:00 → level 1, 12:00 → level 2, 13:00 → capped, no further repeat.
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], 2, groupFinder(), at('14:30'));

    expect({
      level: plan.changes.escalationLevel,
      keys: plan.events.map((event) => event.dedupeKey),
      nextEscalationAt: plan.timers[0].nextEscalationAt,
      counts: plan.counts,
    }).toEqual({
      level: 2,
      keys: ['breach:timer-fr', 'escalate:timer-fr:1', 'escalate:timer-fr:2'],
      nextEscalationAt: null,
      counts: { atRisk: 0, breaches: 1, escalations: 2 },
    });
  });

  it('catch-up stopped short of the cap keeps the next repeat point', () => {
    // Sweep at 12:30: 11:00 → level 1, 12:00 → level 2; next repeat 12:00 + 60 = 13:00 (after now).
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], MAX_LEVEL, groupFinder(), at('12:30'));

    expect({
      level: plan.changes.escalationLevel,
      escalations: plan.timers[0].escalations,
      nextEscalationAt: plan.timers[0].nextEscalationAt,
    }).toEqual({ level: 2, escalations: 2, nextEscalationAt: at('13:00') });
  });

  it('maxLevel 0: the breach is recorded, nothing is escalated', () => {
    // due 11:00, sweep 11:20 (before the 12:00 repeat point, which stays scheduled but cannot escalate).
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');

    const plan = planSweep(ticket(), [first], 0, groupFinder(), at('11:20'));

    expect({
      changes: plan.changes,
      types: plan.events.map((event) => event.type),
      timer: plan.timers.map((t) => [t.status, t.breachedAt, t.escalations]),
      counts: plan.counts,
    }).toEqual({
      changes: {},
      types: ['sla.breached'],
      timer: [['breached', at('11:00'), 0]],
      counts: { atRisk: 0, breaches: 1, escalations: 0 },
    });
  });

  it('maxLevel 0 after long downtime: one breach record, and the repeat clock is dropped', () => {
    // due 11:00, sweep 14:30: breach at 11:00; the 12:00 repeat cannot escalate → nextEscalationAt null.
    const plan = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      0,
      groupFinder(),
      at('14:30'),
    );

    expect({
      keys: plan.events.map((event) => event.dedupeKey),
      nextEscalationAt: plan.timers[0].nextEscalationAt,
    }).toEqual({ keys: ['breach:timer-fr'], nextEscalationAt: null });
  });

  it('ignores paused timers, even past their unmoved due time', () => {
    // 60 from 10:00, paused at 10:30 (30 min left); sweep at 14:30.
    const paused = pauseTimer(timer('timer-nr', 'nextResponse', 60, '10:00'), at('10:30'));

    const plan = planSweep(ticket(), [paused], MAX_LEVEL, groupFinder(), at('14:30'));

    expect(plan).toEqual({
      changes: {},
      timers: [],
      events: [],
      counts: { atRisk: 0, breaches: 0, escalations: 0 },
    });
  });

  it('a timer paused past its due time before any sweep: the breach at its due time, one level, no repeat', () => {
    // 60 from 10:00: due 11:00; paused at 11:05 (repeat clock 12:00, held by the pause); sweep at 14:30.
    const paused = pauseTimer(timer('timer-nr', 'nextResponse', 60, '10:00'), at('11:05'));

    const plan = planSweep(ticket(), [paused], MAX_LEVEL, groupFinder(), at('14:30'));

    expect({
      keys: plan.events.map((event) => event.dedupeKey),
      breachedAt: plan.timers[0].breachedAt,
      level: plan.changes.escalationLevel,
      nextEscalationAt: plan.timers[0].nextEscalationAt,
    }).toEqual({
      keys: ['breach:timer-nr', 'escalate:timer-nr:1'],
      breachedAt: at('11:00'),
      level: 1,
      nextEscalationAt: at('12:00'),
    });
  });

  it('resumed after a long pause, before any sweep: the repeat clock left out the pause', () => {
    // Due 11:00, paused 11:05 → 14:05 (3 h). Repeat point 12:00 moves by 3 h → 15:00. Sweep at 14:30: level 1 only.
    const paused = pauseTimer(timer('timer-nr', 'nextResponse', 60, '10:00'), at('11:05'));
    const resumed = resumeTimer(paused, at('14:05'));

    const plan = planSweep(ticket(), [resumed], MAX_LEVEL, groupFinder(), at('14:30'));

    expect({
      level: plan.changes.escalationLevel,
      nextEscalationAt: plan.timers[0].nextEscalationAt,
    }).toEqual({ level: 1, nextEscalationAt: at('15:00') });
  });

  it('a repeat point that came before the pause still counts while paused', () => {
    // Due 11:00, repeat 12:00, paused at 12:30 unswept; sweep at 16:00: levels 1 (11:00) and 2 (12:00),
    // the next repeat (13:00) is after the pause and waits for the resume.
    const paused = pauseTimer(timer('timer-nr', 'nextResponse', 60, '10:00'), at('12:30'));

    const plan = planSweep(ticket(), [paused], MAX_LEVEL, groupFinder(), at('16:00'));

    expect({
      level: plan.changes.escalationLevel,
      nextEscalationAt: plan.timers[0].nextEscalationAt,
    }).toEqual({ level: 2, nextEscalationAt: at('13:00') });
  });

  it('two timers breaching in one sweep escalate one level each', () => {
    // firstResponse 60 from 10:00: due 11:00 → level 1; next repeat 12:00 (after now).
    // resolution 90 from 10:00: due 11:30 → level 2; next repeat 11:30 + 90 = 13:00.
    // Sweep at 11:45: both are past due, neither has reached a repeat point. Keys count each timer's
    // own escalations (the first of each), not the ticket's level.
    const first = timer('timer-fr', 'firstResponse', 60, '10:00');
    const resolution = timer('timer-res', 'resolution', 90, '10:00');

    const plan = planSweep(ticket(), [first, resolution], MAX_LEVEL, groupFinder(), at('11:45'));

    expect({
      changes: plan.changes,
      events: plan.events.map((event) => [event.dedupeKey, event.data.at ?? event.data.breachedAt]),
      timers: plan.timers.map((t) => [t.id, t.breachedAt, t.nextEscalationAt]),
      counts: plan.counts,
    }).toEqual({
      changes: { escalationLevel: 2, priority: 'urgent', groupId: GROUPS.l3.id, tier: 3 },
      events: [
        ['breach:timer-fr', iso('11:00')],
        ['escalate:timer-fr:1', iso('11:00')],
        ['breach:timer-res', iso('11:30')],
        ['escalate:timer-res:1', iso('11:30')],
      ],
      timers: [
        ['timer-fr', at('11:00'), at('12:00')],
        ['timer-res', at('11:30'), at('13:00')],
      ],
      counts: { atRisk: 0, breaches: 2, escalations: 2 },
    });
  });

  it('a second sweep on the result plans nothing new', () => {
    // firstResponse 60 from 10:00: the 3-target catch-up at 14:30 (breach + levels 1..3).
    // resolution 300 from 10:00: at risk at 80 % = 240 min → 14:00, due 15:00 → one at-risk mark.
    // The same sweep again, on the saved result, finds nothing due.
    const before = ticket();
    const timers = [
      timer('timer-fr', 'firstResponse', 60, '10:00'),
      timer('timer-res', 'resolution', 300, '10:00'),
    ];
    const first = planSweep(before, timers, MAX_LEVEL, groupFinder(), at('14:30'));
    const after = { ...before, ...first.changes };
    const updated = timers.map((t) => first.timers.find((changed) => changed.id === t.id) ?? t);

    const second = planSweep(after, updated, MAX_LEVEL, groupFinder(), at('14:30'));

    expect({ first: first.counts, second }).toEqual({
      first: { atRisk: 1, breaches: 1, escalations: 3 },
      second: { changes: {}, timers: [], events: [], counts: { atRisk: 0, breaches: 0, escalations: 0 } },
    });
  });

  it('a second sweep after a partial catch-up continues at the next level only when its point comes', () => {
    // First sweep 11:20: breach at 11:00, level 1, next repeat 12:00.
    // Second sweep 11:50: nothing. Third sweep 12:05: level 2 at 12:00, key escalate:timer-fr:2.
    const timers = [timer('timer-fr', 'firstResponse', 60, '10:00')];
    const first = planSweep(ticket(), timers, MAX_LEVEL, groupFinder(), at('11:20'));
    const afterFirst = ticket(first.changes);

    const second = planSweep(afterFirst, first.timers, MAX_LEVEL, groupFinder(), at('11:50'));
    const third = planSweep(afterFirst, first.timers, MAX_LEVEL, groupFinder(), at('12:05'));

    expect({
      second: second.events.length,
      third: third.events.map((event) => [event.dedupeKey, event.data.at, event.data.reason]),
    }).toEqual({ second: 0, third: [['escalate:timer-fr:2', iso('12:00'), 'repeat']] });
  });
});

describe('planSweep: each escalation occurrence has its own key', () => {
  /** The ticket after a supervisor lowered it from level 1 to 0: back to tier 1, priority kept. */
  const deEscalated = (priority: Priority) =>
    ticket({ escalationLevel: 0, priority, groupId: GROUPS.l1.id, tier: 1 });

  it('a de-escalated ticket escalates again at its timer’s next repeat point, under a new key', () => {
    // due 11:00; sweep 11:20: breach, level 1 (key step 1), next repeat 12:00.
    // 11:30 a supervisor de-escalates to 0: the 12:00 point is still ahead, so it stays.
    // Sweep 12:05: the timer's 2nd escalation → level 1 again (high → urgent, tier 2), key step 2.
    const first = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('11:20'),
    );
    const rearmed = rearmRepeatClocks(first.timers, at('11:30'));

    const again = planSweep(deEscalated('high'), first.timers, MAX_LEVEL, groupFinder(), at('12:05'));

    expect({
      firstKeys: first.events.map((event) => event.dedupeKey),
      rearmed,
      changes: again.changes,
      events: again.events.map((event) => [
        event.dedupeKey,
        event.data.level,
        event.data.at,
        event.data.reason,
      ]),
      timer: again.timers.map((t) => [t.escalations, t.nextEscalationAt]),
    }).toEqual({
      firstKeys: ['breach:timer-fr', 'escalate:timer-fr:1'],
      rearmed: [],
      changes: { escalationLevel: 1, priority: 'urgent', groupId: GROUPS.l2.id, tier: 2 },
      events: [['escalate:timer-fr:2', 1, iso('12:00'), 'repeat']],
      timer: [[2, at('13:00')]],
    });
  });

  it('never reuses a key over a life of repeated de-escalations', () => {
    // due 11:00: sweeps at 11:20, 12:05, 13:05, 14:05, each after the ticket was set back to level 0.
    // Escalations: 11:00 (step 1), 12:00 (2), 13:00 (3), 14:00 (4): four keys, all different.
    let timers = [timer('timer-fr', 'firstResponse', 60, '10:00')];
    const keys: (string | undefined)[] = [];
    for (const sweepAt of ['11:20', '12:05', '13:05', '14:05']) {
      const plan = planSweep(deEscalated('normal'), timers, MAX_LEVEL, groupFinder(), at(sweepAt));
      keys.push(...plan.events.map((event) => event.dedupeKey));
      timers = timers.map((t) => plan.timers.find((changed) => changed.id === t.id) ?? t);
    }

    expect(keys).toEqual([
      'breach:timer-fr',
      'escalate:timer-fr:1',
      'escalate:timer-fr:2',
      'escalate:timer-fr:3',
      'escalate:timer-fr:4',
    ]);
  });

  it('plans the same keys from the same saved state (so a re-run or a second process is refused)', () => {
    // The 14:30 catch-up (breach, levels 1..3 on the first reply; at risk on resolution) twice.
    const timers = [
      timer('timer-fr', 'firstResponse', 60, '10:00'),
      timer('timer-res', 'resolution', 300, '10:00'),
    ];
    const keys = () =>
      planSweep(ticket(), timers, MAX_LEVEL, groupFinder(), at('14:30')).events.map(
        (event) => event.dedupeKey,
      );

    expect(keys()).toEqual(keys());
    expect(keys()).toEqual([
      'breach:timer-fr',
      'escalate:timer-fr:1',
      'escalate:timer-fr:2',
      'escalate:timer-fr:3',
      `at_risk:timer-res:${iso('14:00')}`,
    ]);
  });

  it('an at-risk mark re-armed by a retarget gets a new key', () => {
    // 60 from 10:00: at risk 10:48 → marked by the 10:50 sweep.
    // 10:55 retarget to 120 min: 55 counted, at risk at 96 → 41 min from now = 11:36, mark re-armed.
    // The 11:40 sweep marks it again, under the 11:36 point's key.
    const first = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('10:50'),
    );
    const target = {
      targetMinutes: 120,
      atRiskPercent: 80,
      calendarId: 'calendar-24x7',
      calendar: CALENDAR_24X7,
    };
    const retargeted = retargetTimer(first.timers[0], target, at('10:55'));

    const second = planSweep(ticket(), [retargeted], MAX_LEVEL, groupFinder(), at('11:40'));

    expect([...first.events, ...second.events].map((event) => event.dedupeKey)).toEqual([
      `at_risk:timer-fr:${iso('10:48')}`,
      `at_risk:timer-fr:${iso('11:36')}`,
    ]);
  });

  it('a breach recorded after a follow-up keeps the repeat clock the follow-up restarted', () => {
    // due 11:00; the requester followed up at 11:10 (before any sweep): next repeat 11:10 + 60 = 12:10.
    // Sweep 11:20: breach at 11:00 and its level, but the repeat stays 12:10 (not 11:00 + 60 = 12:00).
    const followedUp = scheduleNextEscalation(timer('timer-fr', 'firstResponse', 60, '10:00'), at('11:10'));

    const plan = planSweep(
      ticket({ escalationLevel: 1 }),
      [followedUp],
      MAX_LEVEL,
      groupFinder(),
      at('11:20'),
    );

    expect(plan.timers.map((t) => [t.status, t.breachedAt, t.escalations, t.nextEscalationAt])).toEqual([
      ['breached', at('11:00'), 1, at('12:10')],
    ]);
  });

  it('a VIP’s early follow-up does not move the breach’s own repeat point', () => {
    // VIP follow-up at 10:30 (half of 60): its clock 11:30 is before the breach's 11:00 + 60 = 12:00.
    const followedUp = scheduleNextEscalation(timer('timer-fr', 'firstResponse', 60, '10:00'), at('10:30'));

    const plan = planSweep(
      ticket({ escalationLevel: 1 }),
      [followedUp],
      MAX_LEVEL,
      groupFinder(),
      at('11:20'),
    );

    expect(plan.timers[0].nextEscalationAt).toEqual(at('12:00'));
  });
});

describe('rearmRepeatClocks (after a de-escalation)', () => {
  /** The first reply of 60 from 10:00 after the 14:30 catch-up: breached, level 3, clock dropped at the cap. */
  const capped = () =>
    planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('14:30'),
    ).timers[0];

  it('restarts a clock dropped at the cap: one target from the de-escalation', () => {
    // de-escalated at 15:00 → next repeat 15:00 + 60 = 16:00
    const timer = capped();

    expect({ before: timer.nextEscalationAt, after: rearmRepeatClocks([timer], at('15:00')) }).toEqual({
      before: null,
      after: [{ ...timer, nextEscalationAt: at('16:00') }],
    });
  });

  it('restarts a repeat point that passed while the ticket sat at the cap', () => {
    // breach at 11:00 → repeat 12:00; manually escalated to the cap meanwhile; de-escalated 12:30 → 13:30
    const breached = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('11:20'),
    ).timers[0];

    expect(rearmRepeatClocks([breached], at('12:30')).map((t) => t.nextEscalationAt)).toEqual([at('13:30')]);
  });

  it('leaves a point still ahead, and timers that are not breached and running', () => {
    // breached with repeat 12:00, de-escalated at 11:30: stays. Active, and answered-late timers: untouched.
    const breached = planSweep(
      ticket(),
      [timer('timer-fr', 'firstResponse', 60, '10:00')],
      MAX_LEVEL,
      groupFinder(),
      at('11:20'),
    ).timers[0];
    const active = timer('timer-res', 'resolution', 600, '10:00');
    const answered = achieveTimer(capped(), at('14:40'));

    expect(rearmRepeatClocks([breached, active, answered], at('11:30'))).toEqual([]);
  });
});

describe('followUpAllowedAt', () => {
  // First reply 60 from 10:00: due 11:00; half of it at 10:30.
  const first = () => timer('timer-fr', 'firstResponse', 60, '10:00');
  const none = { vip: false, lastFollowUpAt: null };

  it.each([
    ['before the due time: at the due time', '10:20', none, '11:00'],
    ['past the due time (not swept yet): since the due time', '11:05', none, '11:00'],
    ['a VIP before half the target: at the half', '10:20', { vip: true, lastFollowUpAt: null }, '10:30'],
    ['a VIP past the half: now', '10:40', { vip: true, lastFollowUpAt: null }, '10:40'],
    // followed up at 11:05: its restarted clock runs one full target, to 12:05
    [
      'again right after a follow-up: one target after it',
      '11:06',
      { vip: false, lastFollowUpAt: at('11:05') },
      '12:05',
    ],
    ['again once that target ran: from then', '12:05', { vip: false, lastFollowUpAt: at('11:05') }, '12:05'],
    // a VIP followed up at 10:31: again from 11:31, though the target breaches at 11:00
    [
      'a VIP again: one target after the last follow-up',
      '10:35',
      { vip: true, lastFollowUpAt: at('10:31') },
      '11:31',
    ],
  ])('%s', (_case, now, options, expected) => {
    expect(followUpAllowedAt(first(), options, at(now))).toEqual(at(expected));
  });

  it('a recorded breach: since its breach time', () => {
    // swept at 11:20: breachedAt 11:00
    const breached = planSweep(ticket(), [first()], MAX_LEVEL, groupFinder(), at('11:20')).timers[0];

    expect(followUpAllowedAt(breached, none, at('11:30'))).toEqual(at('11:00'));
  });
});

describe('maxLevelOf', () => {
  const policies = [
    { id: 'policy-normal', maxLevel: 3 },
    { id: 'policy-low', maxLevel: 1 },
  ];

  it.each([
    ['the policy’s own cap', 'policy-low', 1],
    ['a deleted policy (policy_id NULL): the seeded cap', null, 3],
    ['a policy no longer listed: the seeded cap', 'policy-gone', 3],
  ])('%s', (_case, policyId, expected) => {
    expect({ level: maxLevelOf(policies, policyId), DEFAULT_MAX_LEVEL }).toEqual({
      level: expected,
      DEFAULT_MAX_LEVEL: 3,
    });
  });
});
