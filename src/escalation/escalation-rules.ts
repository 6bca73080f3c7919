import {
  breachTimer,
  effectiveStatus,
  elapsedMinutes,
  pointAfter,
  scheduleNextEscalation,
  type Timer,
} from '../sla/sla-timers';
import type { Ticket } from '../tickets/ticket.types';
import { SYSTEM_ACTOR } from '../tickets/ticket.types';
import { type Priority, raisePriority } from '../tickets/ticket-rules';
import type { TimelineEvent } from '../tickets/timeline';

/** The tier a ticket at an escalation level belongs to: level 1 → tier 2, levels 2 and 3 → tier 3. */
export function tierForLevel(level: number): number {
  return level <= 0 ? 1 : level === 1 ? 2 : 3;
}

export type EscalationReason = 'breach' | 'repeat' | 'follow_up' | 'manual';

/**
 * The cap of a ticket whose policy is gone (deleted: `policy_id` NULL). Its timers keep running and
 * breaching, so it keeps the seeded escalation rules (SPEC §6: up to level 3) rather than silently
 * never escalating again.
 */
export const DEFAULT_MAX_LEVEL = 3;

/** The one rule for a ticket's escalation cap: its policy's `maxLevel`, or DEFAULT_MAX_LEVEL without one. */
export function maxLevelOf(
  policies: readonly { id: string; maxLevel: number }[],
  policyId: string | null,
): number {
  return policies.find((policy) => policy.id === policyId)?.maxLevel ?? DEFAULT_MAX_LEVEL;
}

/**
 * De-duplication keys of the sweep's records. Each names one occurrence and is derived from the
 * timer's saved state alone, so the same state planned twice (a re-run, a second process) yields
 * the same key and the database's unique index refuses the second record, while a new occurrence
 * (a level reached again after a de-escalation, an at-risk point after a retarget) gets a new key.
 */
export const dedupeKeys = {
  /** One per at-risk point: a retarget that re-arms the mark always moves the point later. */
  atRisk: (timer: Timer) => `at_risk:${timer.id}:${timer.atRiskAt.toISOString()}`,
  /** One per timer: breached is final (the same key as a late answer's breach, see SlaEngine). */
  breach: (timer: Timer) => `breach:${timer.id}`,
  /** The timer's n-th escalation (its `escalations` count after it), whatever the ticket's level. */
  escalation: (timer: Timer, step: number) => `escalate:${timer.id}:${step}`,
};

/** What a group lookup answers: the group of a tier covering a category. */
export type GroupFinder = (category: string, tier: number) => { id: string; tier: number } | undefined;

export interface SweepPlan {
  changes: Partial<Ticket>;
  timers: Timer[];
  events: TimelineEvent[];
  counts: { atRisk: number; breaches: number; escalations: number };
}

/**
 * One escalation level up (SPEC §6, §12): priority one step up, the next tier's group of the
 * category, `escalationLevel` + 1 — unless the policy's cap is reached, in which case nothing
 * changes. Returns the changes and the timeline record, or undefined at the cap.
 */
export function escalateOnce(
  ticket: Pick<Ticket, 'escalationLevel' | 'priority' | 'category' | 'groupId' | 'tier'>,
  maxLevel: number,
  findGroup: GroupFinder,
  reason: EscalationReason,
  extra: Record<string, unknown> = {},
): { changes: Partial<Ticket>; event: TimelineEvent } | undefined {
  if (ticket.escalationLevel >= maxLevel) return undefined;
  const level = ticket.escalationLevel + 1;
  const priority: Priority = raisePriority(ticket.priority);
  const group = findGroup(ticket.category, tierForLevel(level));
  const changes: Partial<Ticket> = { escalationLevel: level, priority };
  if (group) Object.assign(changes, { groupId: group.id, tier: group.tier });
  return {
    changes,
    event: {
      type: 'ticket.escalated',
      actor: SYSTEM_ACTOR,
      data: {
        level,
        reason,
        priority: { from: ticket.priority, to: priority },
        groupId: changes.groupId ?? ticket.groupId,
        tier: changes.tier ?? ticket.tier,
        ...extra,
      },
    },
  };
}

/**
 * Everything due on one ticket at `now` (the database's clock): at-risk marks, breaches at their
 * true time, and escalations — one at each breach and one more for each further full target that
 * passes unanswered, up to the policy's cap, catching up on everything missed during downtime.
 * Each record carries a de-duplication key (see dedupeKeys), so it can exist only once.
 */
export function planSweep(
  ticket: Ticket,
  timers: Timer[],
  maxLevel: number,
  findGroup: GroupFinder,
  now: Date,
): SweepPlan {
  let current: Ticket = { ...ticket };
  const changes: Partial<Ticket> = {};
  const events: TimelineEvent[] = [];
  const changed = new Map<string, Timer>();
  const counts = { atRisk: 0, breaches: 0, escalations: 0 };

  const escalate = (timer: Timer, reason: EscalationReason, at: Date) => {
    const step = escalateOnce(current, maxLevel, findGroup, reason, {
      timer: timer.kind,
      at: at.toISOString(),
    });
    if (!step) return false;
    current = { ...current, ...step.changes };
    Object.assign(changes, step.changes);
    events.push({ ...step.event, dedupeKey: dedupeKeys.escalation(timer, timer.escalations + 1) });
    counts.escalations += 1;
    return true;
  };

  // In due order, so levels follow the order in which the breaches happened.
  const byDue = [...timers].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  for (const original of byDue) {
    let timer = original;
    if (!timer.running) continue;
    // A paused timer's clock stands still: only what fell due before its pause is recorded (see pauseTimer).
    const paused = timer.pausedAt !== null;
    const until = timer.pausedAt ?? now;
    const sla = (type: TimelineEvent['type'], dedupeKey: string, extra: Record<string, unknown> = {}) =>
      events.push({
        type,
        actor: SYSTEM_ACTOR,
        data: { timer: timer.kind, dueAt: timer.dueAt.toISOString(), ...extra },
        dedupeKey,
      });

    if (
      !paused &&
      timer.status === 'active' &&
      !timer.atRiskNotified &&
      timer.atRiskAt <= now &&
      timer.dueAt > now
    ) {
      timer = { ...timer, atRiskNotified: true };
      sla('sla.at_risk', dedupeKeys.atRisk(timer), { atRiskAt: timer.atRiskAt.toISOString() });
      counts.atRisk += 1;
    }
    if (timer.status === 'active' && timer.dueAt <= until) {
      // A follow-up after the due time, before this sweep, restarted the repeat clock: it stays.
      const restarted = timer.nextEscalationAt;
      timer = breachTimer(timer);
      if (restarted && restarted > timer.nextEscalationAt!) timer = { ...timer, nextEscalationAt: restarted };
      sla('sla.breached', dedupeKeys.breach(timer), { breachedAt: timer.breachedAt!.toISOString() });
      counts.breaches += 1;
      if (escalate(timer, 'breach', timer.dueAt)) timer = { ...timer, escalations: timer.escalations + 1 };
    }
    while (timer.status === 'breached' && timer.nextEscalationAt && timer.nextEscalationAt <= until) {
      const at = timer.nextEscalationAt;
      if (!escalate(timer, 'repeat', at)) {
        timer = { ...timer, nextEscalationAt: null };
        break;
      }
      timer = scheduleNextEscalation({ ...timer, escalations: timer.escalations + 1 }, at);
    }
    if (timer !== original) changed.set(timer.id!, timer);
  }
  return { changes, timers: [...changed.values()], events, counts };
}

/**
 * After a de-escalation, a breached timer whose repeat point has passed (or was dropped at the cap)
 * repeats one full target from now: the supervisor's lower level holds for a target instead of
 * being undone by the next sweep. A repeat point still ahead stays where it is. Returns the timers
 * that changed.
 */
export function rearmRepeatClocks(timers: readonly Timer[], now: Date): Timer[] {
  return timers
    .filter((timer) => timer.running && timer.status === 'breached')
    .filter((timer) => !timer.nextEscalationAt || timer.nextEscalationAt <= now)
    .map((timer) => scheduleNextEscalation(timer, now));
}

/**
 * From when the requester may follow up on the awaited reply (SPEC §5, §12 "Escalation"): once its
 * timer is breached, or from half of its target for a VIP; and after a follow-up on the same timer,
 * only once the repeat clock that follow-up restarted has run a full target, so follow-ups cannot
 * be stacked (also at the cap, where they are recorded without raising the level). A moment at or
 * before `now` means allowed.
 */
export function followUpAllowedAt(
  timer: Timer,
  options: { vip: boolean; lastFollowUpAt: Date | null },
  now: Date,
): Date {
  let allowedAt = timer.dueAt;
  if (effectiveStatus(timer, now) === 'breached') {
    allowedAt = timer.breachedAt ?? timer.dueAt;
  } else if (options.vip) {
    const remaining = timer.targetMinutes / 2 - elapsedMinutes(timer, now);
    allowedAt = remaining > 0 ? pointAfter(timer.calendar, now, remaining) : now;
  }
  if (options.lastFollowUpAt) {
    const repeat = scheduleNextEscalation(timer, options.lastFollowUpAt).nextEscalationAt!;
    if (repeat > allowedAt) allowedAt = repeat;
  }
  return allowedAt;
}
