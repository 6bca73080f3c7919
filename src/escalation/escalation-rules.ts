import { breachTimer, scheduleNextEscalation, type Timer } from '../sla/sla-timers';
import type { Ticket } from '../tickets/ticket.types';
import { SYSTEM_ACTOR } from '../tickets/ticket.types';
import { type Priority, raisePriority } from '../tickets/ticket-rules';
import type { TimelineEvent } from '../tickets/timeline';

/** The tier a ticket at an escalation level belongs to: level 1 → tier 2, levels 2 and 3 → tier 3. */
export function tierForLevel(level: number): number {
  return level <= 0 ? 1 : level === 1 ? 2 : 3;
}

export type EscalationReason = 'breach' | 'repeat' | 'follow_up' | 'manual';

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
 * Each record carries a de-duplication key (timer, cycle, level), so it can exist only once.
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
    events.push({ ...step.event, dedupeKey: `escalate:${timer.id}:${current.escalationLevel}` });
    counts.escalations += 1;
    return true;
  };

  // In due order, so levels follow the order in which the breaches happened.
  const byDue = [...timers].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  for (const original of byDue) {
    let timer = original;
    if (!timer.running || timer.pausedAt) continue;
    const sla = (type: TimelineEvent['type'], key: string, extra: Record<string, unknown> = {}) =>
      events.push({
        type,
        actor: SYSTEM_ACTOR,
        data: { timer: timer.kind, dueAt: timer.dueAt.toISOString(), ...extra },
        dedupeKey: `${key}:${timer.id}`,
      });

    if (timer.status === 'active' && !timer.atRiskNotified && timer.atRiskAt <= now && timer.dueAt > now) {
      timer = { ...timer, atRiskNotified: true };
      sla('sla.at_risk', 'at_risk', { atRiskAt: timer.atRiskAt.toISOString() });
      counts.atRisk += 1;
    }
    if (timer.status === 'active' && timer.dueAt <= now) {
      timer = breachTimer(timer);
      sla('sla.breached', 'breach', { breachedAt: timer.breachedAt!.toISOString() });
      counts.breaches += 1;
      if (escalate(timer, 'breach', timer.dueAt)) timer = { ...timer, escalations: timer.escalations + 1 };
    }
    while (timer.status === 'breached' && timer.nextEscalationAt && timer.nextEscalationAt <= now) {
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
