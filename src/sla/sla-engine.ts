import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PolicyTargets, Ticket, TicketWithSla } from '../tickets/ticket.types';
import { SYSTEM_ACTOR } from '../tickets/ticket.types';
import type { TimelineEvent } from '../tickets/timeline';
import type { TicketStatus } from '../tickets/ticket-rules';
import { maxLevelOf } from '../escalation/escalation-rules';
import { type PolicyFacts, selectPolicy } from './policy-matcher';
import {
  achieveTimer,
  nearestDueAt,
  nextCheckAt,
  pauseTimer,
  resumeTimer,
  retargetTimer,
  startTimer,
  type Timer,
  type TimerKind,
  type TimerTarget,
} from './sla-timers';
import { SlaBreachFeed } from './sla-breach-feed';
import { type EnginePolicy, SlaTimersRepository } from './sla-timers.repository';

/** Something that happened to a ticket that its SLA timers react to. */
export type SlaTrigger =
  | { type: 'created' }
  | { type: 'statusChanged'; from: TicketStatus; to: TicketStatus }
  | { type: 'agentReplied' }
  | { type: 'customerReplied' }
  /** Priority, category, channel or requester VIP changed by a person: choose the policy again. */
  | { type: 'policyInputsChanged' };

export interface SlaOutcome {
  changes: Pick<Ticket, 'policyId' | 'slaDueAt' | 'slaNextCheckAt'>;
  /** The targets of the policy that now applies (null when none does). */
  targets: PolicyTargets | null;
  /** Timers to write with `save` once the ticket row exists. */
  timers: Timer[];
  events: TimelineEvent[];
}

const REPLY_TIMERS: TimerKind[] = ['firstResponse', 'nextResponse'];
const PAUSED_WHILE_PENDING: TimerKind[] = ['nextResponse', 'resolution'];

/**
 * Applies SLA triggers to a ticket's timers inside the caller's transaction (SPEC §6): starts,
 * pauses, resumes, achieves and retargets timers, and returns the timers to save, the ticket's new
 * SLA columns and the timeline records to write with the change.
 */
@Injectable()
export class SlaEngine {
  private readonly logger = new Logger(SlaEngine.name);

  constructor(
    private readonly timersRepository: SlaTimersRepository,
    private readonly breaches: SlaBreachFeed,
  ) {}

  /**
   * Writes the outcome's timers. A breach the outcome records (answered, solved or closed after the
   * due time, before a sweep noticed) is counted with the sweep's once the transaction commits; it
   * escalates nothing, the awaited answer having come.
   */
  save(manager: EntityManager, ticketId: string, outcome: SlaOutcome): Promise<Timer[]> {
    this.breaches.recorded(manager, outcome.events.filter((event) => event.type === 'sla.breached').length);
    return this.timersRepository.save(manager, ticketId, outcome.timers);
  }

  policies(manager: EntityManager): Promise<EnginePolicy[]> {
    return this.timersRepository.policies(manager);
  }

  async apply(
    manager: EntityManager,
    state: TicketWithSla,
    triggers: SlaTrigger[],
    now: Date,
    policies?: EnginePolicy[],
  ): Promise<SlaOutcome> {
    const { ticket } = state;
    const all = policies ?? (await this.policies(manager));
    let policy = all.find((candidate) => candidate.id === ticket.policyId);
    // A ticket without a policy (its policy deleted, or none matched before) gets one again when a
    // new timer is due to start, rather than never running one again.
    const policyForNewTimer = () => (policy ??= selectPolicy(all, factsOf(ticket)));
    const book = new TimerBook(state.timers, now);

    for (const trigger of triggers) {
      switch (trigger.type) {
        case 'created':
          policy = selectPolicy(all, factsOf(ticket));
          if (policy) {
            book.start('firstResponse', targetOf(policy, 'firstResponse'));
            book.start('resolution', targetOf(policy, 'resolution'));
          }
          break;
        case 'agentReplied':
          for (const kind of REPLY_TIMERS) book.achieve(kind);
          break;
        case 'customerReplied':
          // The next-reply clock starts with the first customer reply after an agent's public reply.
          if (ticket.firstRespondedAt && !book.running('nextResponse') && !book.running('firstResponse')) {
            const chosen = policyForNewTimer();
            if (chosen) book.start('nextResponse', targetOf(chosen, 'nextResponse'));
          }
          break;
        case 'statusChanged':
          if (trigger.from === 'pending') for (const kind of PAUSED_WHILE_PENDING) book.resume(kind);
          if (trigger.to === 'pending') for (const kind of PAUSED_WHILE_PENDING) book.pause(kind);
          if (trigger.to === 'solved' || trigger.to === 'closed') {
            for (const timer of book.runningTimers()) book.achieve(timer.kind);
          }
          if (trigger.from === 'solved' && trigger.to === 'open') {
            const chosen = policyForNewTimer();
            if (chosen) book.start('resolution', targetOf(chosen, 'resolution'));
          }
          break;
        case 'policyInputsChanged': {
          const chosen = selectPolicy(all, factsOf(ticket));
          if (chosen && chosen.id !== policy?.id) {
            policy = chosen;
            for (const timer of book.runningTimers()) book.retarget(timer.kind, targetOf(chosen, timer.kind));
          }
          break;
        }
      }
    }

    for (const { kind, calendarId } of book.roundTheClock) {
      this.logger.warn(
        { ticketId: ticket.id, timer: kind, calendarId },
        'SLA calendar has no business time: the timer counts round the clock',
      );
    }
    const latest = book.latest();
    const canEscalate = ticket.escalationLevel < maxLevelOf(all, policy?.id ?? null);
    return {
      changes: {
        policyId: policy?.id ?? null,
        slaDueAt: nearestDueAt(latest),
        slaNextCheckAt: nextCheckAt(latest, canEscalate),
      },
      targets: policy?.targets ?? null,
      timers: book.changed(),
      events: book.events,
    };
  }
}

function factsOf(ticket: Ticket): PolicyFacts {
  return {
    priority: ticket.priority,
    category: ticket.category,
    channel: ticket.channel,
    vip: ticket.requesterVip,
  };
}

function targetOf(policy: EnginePolicy, kind: TimerKind): TimerTarget {
  return {
    targetMinutes: policy.targets[kind],
    atRiskPercent: policy.atRiskPercent,
    calendarId: policy.calendarId,
    calendar: policy.calendar,
  };
}

/** A ticket's latest timer of each kind, with what changed and the events to record. */
class TimerBook {
  private readonly byKind = new Map<TimerKind, Timer>();
  private readonly dirty = new Set<TimerKind>();
  private readonly finished: Timer[] = [];
  readonly events: TimelineEvent[] = [];
  /** Timers started or re-targeted round the clock because their calendar has no business time. */
  readonly roundTheClock: { kind: TimerKind; calendarId: string }[] = [];

  constructor(
    timers: Timer[],
    private readonly now: Date,
  ) {
    for (const timer of timers) this.byKind.set(timer.kind, timer);
  }

  running(kind: TimerKind): boolean {
    return this.byKind.get(kind)?.running ?? false;
  }

  runningTimers(): Timer[] {
    return [...this.byKind.values()].filter((timer) => timer.running);
  }

  latest(): Timer[] {
    return [...this.byKind.values()];
  }

  /** Timers to write, finished cycles before the new ones that replace them (one running per kind). */
  changed(): Timer[] {
    return [...this.finished, ...[...this.dirty].map((kind) => this.byKind.get(kind)!)];
  }

  start(kind: TimerKind, target: TimerTarget): void {
    const previous = this.byKind.get(kind);
    if (previous?.running) return;
    if (previous && this.dirty.has(kind)) this.finished.push(previous);
    const timer = startTimer(kind, (previous?.cycle ?? 0) + 1, target, this.now);
    this.noteFallback(timer, target);
    this.set(timer);
    this.event('sla.started', timer, { targetMinutes: timer.targetMinutes });
  }

  pause(kind: TimerKind): void {
    this.change(kind, (timer) => pauseTimer(timer, this.now), 'sla.paused');
  }

  resume(kind: TimerKind): void {
    this.change(kind, (timer) => resumeTimer(timer, this.now), 'sla.resumed');
  }

  achieve(kind: TimerKind): void {
    const before = this.byKind.get(kind);
    if (!before?.running) return;
    const after = achieveTimer(before, this.now);
    this.set(after);
    if (after.status === 'breached' && before.status !== 'breached') {
      // Answered after its due time but before a sweep recorded it: the breach is history too.
      this.event(
        'sla.breached',
        after,
        { breachedAt: after.breachedAt!.toISOString() },
        `breach:${before.id}`,
      );
    }
    this.event('sla.achieved', after, { withinTarget: after.status === 'achieved' });
  }

  retarget(kind: TimerKind, target: TimerTarget): void {
    const before = this.byKind.get(kind);
    if (!before) return;
    const after = retargetTimer(before, target, this.now);
    if (after === before) return;
    this.noteFallback(after, target);
    this.set(after);
  }

  private noteFallback(timer: Timer, target: TimerTarget): void {
    if (timer.calendarId === null && target.calendarId !== null) {
      this.roundTheClock.push({ kind: timer.kind, calendarId: target.calendarId });
    }
  }

  private change(kind: TimerKind, step: (timer: Timer) => Timer, type: 'sla.paused' | 'sla.resumed'): void {
    const before = this.byKind.get(kind);
    if (!before) return;
    const after = step(before);
    if (after === before) return;
    this.set(after);
    this.event(type, after);
  }

  private set(timer: Timer): void {
    this.byKind.set(timer.kind, timer);
    this.dirty.add(timer.kind);
  }

  private event(
    type: TimelineEvent['type'],
    timer: Timer,
    extra: Record<string, unknown> = {},
    dedupeKey?: string,
  ) {
    this.events.push({
      type,
      actor: SYSTEM_ACTOR,
      data: { timer: timer.kind, dueAt: timer.dueAt.toISOString(), ...extra },
      ...(dedupeKey && timer.id ? { dedupeKey } : {}),
    });
  }
}
