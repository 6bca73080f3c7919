import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isStaff, type Viewer } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { addBusinessMinutes } from '../sla/calendar/business-calendar';
import { SlaEngine } from '../sla/sla-engine';
import {
  effectiveStatus,
  elapsedMinutes,
  nearestDueAt,
  nextCheckAt,
  scheduleNextEscalation,
} from '../sla/sla-timers';
import { SlaTimersRepository } from '../sla/sla-timers.repository';
import { toTicketResponse } from '../tickets/ticket.mapper';
import { SYSTEM_ACTOR, type Ticket, type TicketWithSla } from '../tickets/ticket.types';
import { Timeline, type TimelineEvent } from '../tickets/timeline';
import { type SweepRow, TicketsRepository } from '../tickets/tickets.repository';
import { etagOf, TicketsService, type TicketResult } from '../tickets/tickets.service';
import { escalateOnce, type GroupFinder, planSweep, tierForLevel } from './escalation-rules';

export interface BatchResult {
  claimed: number;
  atRisk: number;
  breaches: number;
  escalations: number;
  autoClosed: number;
}

/** Escalation: the scheduler's batches, supervisors' manual levels and customers' follow-ups. */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly ticketsService: TicketsService,
    private readonly sla: SlaEngine,
    private readonly timers: SlaTimersRepository,
    private readonly timeline: Timeline,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One batch in one transaction: claims up to `limit` tickets whose next SLA moment has come by
   * the database's clock (rows other processes hold are skipped), applies at-risk, breach and
   * escalation to each, then auto-closes solved tickets past AUTO_CLOSE_DAYS.
   */
  runBatch(limit: number): Promise<BatchResult> {
    return this.dataSource.transaction(async (manager) => {
      // Everything a sweep writes is derived again by the next sweep if a crash loses it, so its
      // commit need not wait for the WAL flush.
      await manager.query(`SET LOCAL synchronous_commit = off`);
      const [{ now }]: { now: Date }[] = await manager.query(`SELECT now() AS now`);
      const due: { id: string }[] = await manager.query(
        `SELECT id FROM tickets WHERE sla_next_check_at <= now()
         ORDER BY sla_next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const result: BatchResult = {
        claimed: due.length,
        atRisk: 0,
        breaches: 0,
        escalations: 0,
        autoClosed: 0,
      };
      if (due.length > 0) {
        const [policies, findGroup] = await Promise.all([
          this.sla.policies(manager),
          this.groupFinder(manager),
        ]);
        const maxLevels = new Map(policies.map((policy) => [policy.id, policy.maxLevel]));
        const states = await this.tickets.findManyWithSla(
          due.map((row) => row.id),
          manager,
        );
        const plans = states.map((state) => {
          const maxLevel = maxLevels.get(state.ticket.policyId ?? '') ?? 0;
          return { state, maxLevel, plan: planSweep(state.ticket, state.timers, maxLevel, findGroup, now) };
        });
        // The whole batch is written in three statements: timeline (de-duplicated), timers, tickets.
        const fresh = await this.timeline.recordMany(
          manager,
          plans.map(({ state, plan }) => ({ ticketId: state.ticket.id, events: plan.events })),
          now,
        );
        const rows: SweepRow[] = plans.map(({ state, maxLevel, plan }) => {
          const repeated = plan.events.find((event) => event.dedupeKey && !fresh.has(event.dedupeKey));
          if (repeated) {
            // Applied before (the database refused the records again): move the timers on, change nothing else.
            this.logger.error(
              { ticketId: state.ticket.id, key: repeated.dedupeKey },
              'Escalation already recorded',
            );
          } else {
            result.atRisk += plan.counts.atRisk;
            result.breaches += plan.counts.breaches;
            result.escalations += plan.counts.escalations;
          }
          const ticket = { ...state.ticket, ...(repeated ? {} : plan.changes) };
          const timers = state.timers.map(
            (timer) => plan.timers.find((next) => next.id === timer.id) ?? timer,
          );
          return {
            id: ticket.id,
            version: ticket.version,
            priority: ticket.priority,
            escalationLevel: ticket.escalationLevel,
            groupId: ticket.groupId,
            tier: ticket.tier,
            slaDueAt: nearestDueAt(timers),
            slaNextCheckAt: nextCheckAt(timers, ticket.escalationLevel < maxLevel),
            changed: !repeated && plan.events.length > 0,
          };
        });
        await this.timers.saveSweep(
          manager,
          plans.flatMap(({ plan }) => plan.timers),
        );
        const written = await this.tickets.updateSweep(manager, rows, now);
        if (written !== rows.length) throw new Error('A claimed ticket changed during the sweep');
      }
      result.autoClosed = await this.autoClose(manager, limit, now);
      return result;
    });
  }

  /** Supervisors raise a ticket one level by hand (up to its policy's cap). */
  async escalate(viewer: Viewer, id: string, reason: string): Promise<TicketResult> {
    return this.change(id, async (manager, state, maxLevel, now) => {
      const step = escalateOnce(state.ticket, maxLevel, await this.groupFinder(manager), 'manual', {
        note: reason,
      });
      if (!step) throw new AppError('conflict', `The ticket is already at its maximum level (${maxLevel}).`);
      const event = { ...step.event, actor: { id: viewer.id, role: viewer.role } };
      return { changes: step.changes, events: [event], now };
    });
  }

  /** Supervisors lower a ticket one level: back to the group of that level's tier. */
  async deEscalate(viewer: Viewer, id: string, reason: string): Promise<TicketResult> {
    return this.change(id, async (manager, state, _maxLevel, now) => {
      const { ticket } = state;
      if (ticket.escalationLevel === 0) throw new AppError('conflict', 'The ticket is not escalated.');
      const level = ticket.escalationLevel - 1;
      const group = (await this.groupFinder(manager))(ticket.category, tierForLevel(level));
      const changes: Partial<Ticket> = {
        escalationLevel: level,
        ...(group && { groupId: group.id, tier: group.tier }),
      };
      const event: TimelineEvent = {
        type: 'ticket.de_escalated',
        actor: { id: viewer.id, role: viewer.role },
        data: {
          level,
          from: ticket.escalationLevel,
          note: reason,
          groupId: changes.groupId ?? ticket.groupId,
        },
      };
      return { changes, events: [event], now };
    });
  }

  /**
   * The requester's "no reply yet?": allowed once the running reply target has passed its due
   * time, or half of it has elapsed for a VIP (vip ≥ 3). Raises one level at once and restarts
   * that timer's repeat clock; at the cap it is recorded and the level stays. 409 with allowedAt otherwise.
   */
  async followUp(viewer: Viewer, id: string): Promise<TicketResult> {
    if (isStaff(viewer)) throw new AppError('forbidden', 'Only the requester may follow up.');
    return this.change(
      id,
      async (manager, state, maxLevel, now) => {
        const timer = ['firstResponse', 'nextResponse']
          .map((kind) => state.timers.find((candidate) => candidate.kind === kind && candidate.running))
          .find((candidate) => candidate !== undefined);
        if (!timer || timer.pausedAt) {
          throw new AppError('conflict', 'No reply is awaited on this ticket right now.', {
            allowedAt: null,
          });
        }
        const vip = Math.max(viewer.vip, state.ticket.requesterVip) >= 3;
        const remaining = vip ? timer.targetMinutes / 2 - elapsedMinutes(timer, now) : 0;
        const allowedAt = vip
          ? remaining > 0
            ? addBusinessMinutes(timer.calendar, now, remaining)
            : now
          : timer.dueAt;
        if (effectiveStatus(timer, now) !== 'breached' && allowedAt > now) {
          throw new AppError('conflict', `A follow-up is possible from ${allowedAt.toISOString()}.`, {
            allowedAt: allowedAt.toISOString(),
          });
        }
        const step = escalateOnce(state.ticket, maxLevel, await this.groupFinder(manager), 'follow_up', {
          timer: timer.kind,
        });
        const level = step?.changes.escalationLevel ?? state.ticket.escalationLevel;
        const actor = { id: viewer.id, role: viewer.role };
        const events: TimelineEvent[] = [
          { type: 'ticket.follow_up', actor, data: { level, timer: timer.kind } },
        ];
        if (step) events.push({ ...step.event, actor });
        // The repeat clock starts again from the follow-up.
        const restarted = timer.status === 'breached' ? scheduleNextEscalation(timer, now) : timer;
        return { changes: step?.changes ?? {}, events, now, timers: restarted === timer ? [] : [restarted] };
      },
      viewer.id,
    );
  }

  /** Due backlog and the lag of the oldest due ticket, by the database's clock. */
  async backlog(): Promise<{ due: number; oldestDueAt: Date | null; lagSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS due, min(sla_next_check_at) AS "oldestDueAt",
         COALESCE(EXTRACT(EPOCH FROM now() - min(sla_next_check_at)), 0)::float AS "lagSeconds"
       FROM tickets WHERE sla_next_check_at <= now()`,
    );
    return row;
  }

  private async change(
    id: string,
    decide: (
      manager: EntityManager,
      state: TicketWithSla,
      maxLevel: number,
      now: Date,
    ) => Promise<{
      changes: Partial<Ticket>;
      events: TimelineEvent[];
      now: Date;
      timers?: TicketWithSla['timers'];
    }>,
    requesterId?: string,
  ): Promise<TicketResult> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const state = await this.tickets.findWithSla(manager, id, { requesterId, lock: true });
      if (!state) throw AppError.notFound('Ticket');
      if (state.ticket.status === 'closed') throw new AppError('invalid_transition', 'The ticket is closed.');
      const policies = await this.sla.policies(manager);
      const maxLevel = policies.find((policy) => policy.id === state.ticket.policyId)?.maxLevel ?? 3;
      const decision = await decide(manager, state, maxLevel, now);
      await this.applyPlan(
        manager,
        state,
        decision.changes,
        decision.timers ?? [],
        decision.events,
        maxLevel,
        now,
      );
      return (await this.tickets.findWithSla(manager, id))!;
    });
    const at = this.clock.now();
    return { ticket: toTicketResponse(updated, at), etag: etagOf(updated.ticket.version) };
  }

  /**
   * Writes the timeline first: a record whose de-duplication key exists already was applied by an
   * earlier run, so its change is not applied twice. Then timers and the ticket (its next SLA
   * moment recomputed) under the version guard.
   */
  private async applyPlan(
    manager: EntityManager,
    state: TicketWithSla,
    changes: Partial<Ticket>,
    timers: TicketWithSla['timers'],
    events: TimelineEvent[],
    maxLevel: number,
    now: Date,
  ): Promise<void> {
    if (events.length === 0 && timers.length === 0) {
      // Nothing due after all (e.g. paused meanwhile): move the ticket's next check on.
      await this.refreshNextCheck(manager, state, {}, maxLevel, now);
      return;
    }
    const fresh = await this.timeline.record(manager, state.ticket.id, events, now);
    const repeated = events.filter((event) => event.dedupeKey && !fresh.has(event.dedupeKey));
    if (repeated.length > 0) {
      // Applied before (the database refused the records again): move the timers on, change nothing else.
      this.logger.error(
        { ticketId: state.ticket.id, key: repeated[0].dedupeKey },
        'Escalation already recorded',
      );
      changes = {};
    }
    await this.timers.save(manager, state.ticket.id, timers);
    const merged = state.timers.map((timer) => timers.find((changed) => changed.id === timer.id) ?? timer);
    await this.refreshNextCheck(manager, { ...state, timers: merged }, changes, maxLevel, now);
  }

  private async refreshNextCheck(
    manager: EntityManager,
    state: TicketWithSla,
    changes: Partial<Ticket>,
    maxLevel: number,
    now: Date,
  ): Promise<void> {
    const level = changes.escalationLevel ?? state.ticket.escalationLevel;
    const all: Partial<Ticket> = {
      ...changes,
      slaDueAt: nearestDueAt(state.timers),
      slaNextCheckAt: nextCheckAt(state.timers, level < maxLevel),
    };
    const version = await this.tickets.update(manager, state.ticket.id, state.ticket.version, all, now);
    if (version === undefined)
      throw new AppError('precondition_failed', 'The ticket changed meanwhile; retry.');
  }

  /** Solved tickets close by themselves AUTO_CLOSE_DAYS after being solved (0: at the next sweep). */
  private async autoClose(manager: EntityManager, limit: number, now: Date): Promise<number> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM tickets WHERE status = 'solved' AND solved_at <= now() - make_interval(days => $1)
       ORDER BY solved_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [this.config.AUTO_CLOSE_DAYS, limit],
    );
    for (const { id } of rows) {
      const state = (await this.tickets.findWithSla(manager, id))!;
      const event: TimelineEvent = {
        type: 'ticket.status_changed',
        actor: SYSTEM_ACTOR,
        data: { from: 'solved', to: 'closed', reason: 'auto_close' },
        dedupeKey: `auto_close:${id}:${state.ticket.solvedAt?.toISOString()}`,
      };
      await this.ticketsService.commitChange(
        manager,
        state,
        { status: 'closed', closedAt: now },
        [event],
        [{ type: 'statusChanged', from: 'solved', to: 'closed' }],
        now,
      );
    }
    return rows.length;
  }

  private async groupFinder(manager: EntityManager): Promise<GroupFinder> {
    const groups: { id: string; tier: number; categories: string[] }[] = await manager.query(
      `SELECT id, tier, categories FROM groups ORDER BY created_at, id`,
    );
    return (category, tier) =>
      groups.find((group) => group.tier === tier && group.categories.includes(category));
  }
}
