import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isStaff, type Viewer } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PreparedQuery } from '../database/prepared-query';
import type { CalendarSpec } from '../sla/calendar/business-calendar';
import { SlaEngine } from '../sla/sla-engine';
import { nearestDueAt, nextCheckAt, scheduleNextEscalation, type Timer } from '../sla/sla-timers';
import { SlaTimersRepository } from '../sla/sla-timers.repository';
import { toTicketResponse } from '../tickets/ticket.mapper';
import { SYSTEM_ACTOR, type Ticket, type TicketWithSla } from '../tickets/ticket.types';
import { Timeline, type TimelineEvent } from '../tickets/timeline';
import { type SweepRow, TicketsRepository, timerFromJson } from '../tickets/tickets.repository';
import { etagOf } from '../common/http/etag';
import { TicketsService, type TicketResult } from '../tickets/tickets.service';
import {
  escalateOnce,
  followUpAllowedAt,
  type GroupFinder,
  maxLevelOf,
  planSweep,
  rearmRepeatClocks,
  type SweepPlan,
  tierForLevel,
} from './escalation-rules';

/**
 * A ticket the sweep cannot plan (planning it failed) or whose sweep plan the database has partly
 * seen already (its records and state disagree, which the row locks should make impossible) is
 * left alone for this long: it is logged, and it cannot take the head of every batch meanwhile.
 */
const REFUSED_PLAN_RETRY_MS = 60 * 60_000;

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
   * escalation to each, then auto-closes solved tickets past AUTO_CLOSE_DAYS. The batches of one
   * scheduler run pass the same `run`, so they read policies, groups and calendars once (SweepRun).
   *
   * A plan none of whose records exist yet is written at once; the unique index on the records'
   * keys is the check. If it refuses one (the ticket's records and state disagree, which the row
   * locks should make impossible) the whole batch is rolled back and done again checking every plan
   * first: a ticket with a record already is then written not at all and set aside, the others go
   * through. A ticket whose plan cannot be made is set aside the same way, never failing the batch.
   */
  async runBatch(limit: number, run?: SweepRun): Promise<BatchResult> {
    try {
      return await this.sweepBatch(limit, run, false);
    } catch (error) {
      if (!(error instanceof RecordRefused)) throw error;
      return this.sweepBatch(limit, run, true);
    }
  }

  private sweepBatch(limit: number, run: SweepRun | undefined, checkFirst: boolean): Promise<BatchResult> {
    return this.dataSource.transaction(async (manager) => {
      // Everything a sweep writes is derived again by the next sweep if a crash loses it, so its
      // commit need not wait for the WAL flush. now() is the database's clock for the whole batch.
      const [session] = await SWEEP_SESSION.run<{ now: Date | string }[]>(manager, []);
      const now = new Date(session.now);
      const due = await claimDue(limit).run<{ id: string }[]>(manager, []);
      const result: BatchResult = {
        claimed: due.length,
        atRisk: 0,
        breaches: 0,
        escalations: 0,
        autoClosed: 0,
      };
      if (due.length > 0) {
        const loaded: SweepState[] = await this.tickets.findManyForSweep<TimerRow>(
          manager,
          due.map((row) => row.id),
        );
        const { policies, findGroup, calendars } = await this.sweepContext(manager, run, loaded);
        const states = loaded.map(({ ticket, timers }) => ({
          ticket,
          // The run's calendars; one deleted meanwhile counts as 24x7, as every timer read has it.
          timers: timers.map((timer) =>
            timerFromJson(timer, timer.calendarId === null ? undefined : calendars.get(timer.calendarId)),
          ),
        }));
        const plans = states.map((state) => {
          const maxLevel = maxLevelOf(policies, state.ticket.policyId);
          const plan = this.plan(state, maxLevel, findGroup, now);
          return { state, maxLevel, plan, keys: plan ? keysOf(plan) : [] };
        });
        // A ticket that could not be planned is written not at all, only set aside (below).
        const planned = plans.filter(
          (entry): entry is (typeof plans)[number] & { plan: SweepPlan } => entry.plan !== undefined,
        );
        let applied = planned;
        if (checkFirst) {
          // All or nothing per ticket: a plan one of whose records exists already is not applied at all
          // (the claimed rows are locked, so nothing can write these keys between this check and the insert).
          const taken = await this.takenKeys(
            manager,
            planned.flatMap((entry) => entry.keys),
          );
          applied = planned.filter(({ state, keys }) => {
            const repeated = keys.find((key) => taken.has(key));
            if (repeated) {
              this.logger.error({ ticketId: state.ticket.id, key: repeated }, 'Escalation already recorded');
            }
            return !repeated;
          });
        }
        // The whole batch is written in three statements: timeline (de-duplicated), timers, tickets.
        const fresh = await this.timeline.recordMany(
          manager,
          applied.map(({ state, plan }) => ({ ticketId: state.ticket.id, events: plan.events })),
          now,
        );
        const refused = applied.flatMap((entry) => entry.keys).find((key) => !fresh.has(key));
        if (refused) {
          // Nothing of the batch is written: rolled back, and done again checking each plan first.
          if (!checkFirst) throw new RecordRefused(refused);
          // Cannot happen under the row locks once checked; if it does, the unique index spoke.
          throw new Error(`Sweep record ${refused} was refused as a duplicate`);
        }
        const appliedPlans = new Set<(typeof plans)[number]>(applied);
        const rows: SweepRow[] = plans.map((entry) => {
          const { state, maxLevel, plan } = entry;
          const apply = plan !== undefined && appliedPlans.has(entry);
          if (apply) {
            result.atRisk += plan.counts.atRisk;
            result.breaches += plan.counts.breaches;
            result.escalations += plan.counts.escalations;
          }
          const ticket = { ...state.ticket, ...(apply ? plan.changes : {}) };
          const timers = apply ? mergeTimers(state.timers, plan.timers) : state.timers;
          return {
            id: ticket.id,
            version: ticket.version,
            priority: ticket.priority,
            escalationLevel: ticket.escalationLevel,
            groupId: ticket.groupId,
            tier: ticket.tier,
            slaDueAt: nearestDueAt(timers),
            slaNextCheckAt: apply
              ? nextCheckAt(timers, ticket.escalationLevel < maxLevel)
              : new Date(now.getTime() + REFUSED_PLAN_RETRY_MS),
            changed: apply && plan.events.length > 0,
          };
        });
        await this.timers.saveSweep(
          manager,
          applied.flatMap(({ plan }) => plan.timers),
        );
        const written = await this.tickets.updateSweep(manager, rows, now);
        if (written !== rows.length) throw new Error('A claimed ticket changed during the sweep');
      }
      result.autoClosed = await this.autoClose(manager, limit, now);
      return result;
    });
  }

  /**
   * The ticket's sweep plan, or undefined when planning it fails (a calendar the arithmetic
   * rejects, say): logged, and the ticket is set aside for REFUSED_PLAN_RETRY_MS, so one bad
   * ticket neither aborts its batch nor takes the head of every batch meanwhile.
   */
  private plan(
    state: TicketWithSla | { ticket: Ticket; timers: Timer[] },
    maxLevel: number,
    findGroup: GroupFinder,
    now: Date,
  ): SweepPlan | undefined {
    try {
      return planSweep(state.ticket, state.timers, maxLevel, findGroup, now);
    } catch (error) {
      this.logger.error(
        { ticketId: state.ticket.id, err: error },
        'Sweep could not plan this ticket; set aside and retried later',
      );
      return undefined;
    }
  }

  /**
   * The policies, groups and calendars a batch plans with: read once per scheduler run (in the
   * transaction of its first batch, which the other loops' first batches wait for), or in the batch
   * itself without a run. A ticket of a policy (or a timer of a calendar) created since is planned
   * after reading them again, so its cap is never mistaken for the default.
   */
  private async sweepContext(
    manager: EntityManager,
    run: SweepRun | undefined,
    states: readonly SweepState[],
  ): Promise<SweepContext> {
    const read = async (): Promise<SweepContext> => {
      const [row] = await SWEEP_CONTEXT.run<SweepContextRow[]>(manager, []);
      return {
        policies: row.policies ?? [],
        findGroup: groupFinderOf(row.groups ?? []),
        calendars: new Map((row.calendars ?? []).map(({ id, ...calendar }) => [id, calendar])),
      };
    };
    if (!run) return read();
    // A failed read is not kept: the run's next batch reads again.
    const share = (): Promise<SweepContext> => {
      const reading = read();
      run.context = reading;
      reading.catch(() => {
        if (run.context === reading) run.context = undefined;
      });
      return reading;
    };
    const context = await (run.context ?? share());
    const known = new Set(context.policies.map((policy) => policy.id));
    const unknown = states.some(
      ({ ticket, timers }) =>
        (ticket.policyId !== null && !known.has(ticket.policyId)) ||
        timers.some((timer) => timer.calendarId !== null && !context.calendars.has(timer.calendarId)),
    );
    return unknown ? share() : context;
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
      // Below the cap again: a repeat clock that had run out (or stopped at the cap) starts over.
      return { changes, events: [event], now, timers: rearmRepeatClocks(state.timers, now) };
    });
  }

  /**
   * The requester's "no reply yet?": allowed once the running reply target is breached, or from half
   * of it for a VIP (vip ≥ 3), and after a follow-up on that timer only once the repeat clock it
   * restarted has run a full target (see followUpAllowedAt), all by the database's clock. Raises one
   * level at once and restarts the timer's repeat clock; at the cap it is recorded and the level
   * stays. 409 with allowedAt otherwise.
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
        const lastFollowUpAt = await this.lastFollowUpAt(manager, state.ticket.id, timer);
        const allowedAt = followUpAllowedAt(timer, { vip, lastFollowUpAt }, now);
        if (allowedAt > now) {
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
          { type: 'ticket.follow_up', actor, data: { level, timer: timer.kind, timerId: timer.id } },
        ];
        if (step) events.push({ ...step.event, actor });
        // The repeat clock starts again from the follow-up (a sweep that records the breach later keeps it).
        return { changes: step?.changes ?? {}, events, now, timers: [scheduleNextEscalation(timer, now)] };
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
      // Due times are compared with the database's clock, as the sweep does: a process whose clock
      // is ahead cannot let a follow-up through early.
      const now = await databaseNow(manager);
      const state = await this.tickets.findWithSla(manager, id, { requesterId, lock: true });
      if (!state) throw AppError.notFound('Ticket');
      if (state.ticket.status === 'closed') throw new AppError('invalid_transition', 'The ticket is closed.');
      const maxLevel = maxLevelOf(await this.sla.policies(manager), state.ticket.policyId);
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
   * Writes the timeline, then timers and the ticket (its next SLA moment recomputed) under the
   * version guard. A keyed record the database refuses means this change was applied before: then
   * nothing of it is written.
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
    const repeated = events.find((event) => event.dedupeKey && !fresh.has(event.dedupeKey));
    if (repeated) {
      this.logger.error(
        { ticketId: state.ticket.id, key: repeated.dedupeKey },
        'Escalation already recorded',
      );
      throw new AppError('precondition_failed', 'The ticket changed meanwhile; retry.');
    }
    await this.timers.save(manager, state.ticket.id, timers);
    await this.refreshNextCheck(
      manager,
      { ...state, timers: mergeTimers(state.timers, timers) },
      changes,
      maxLevel,
      now,
    );
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
    const rows = await claimSolved(limit).run<{ id: string }[]>(manager, [this.config.AUTO_CLOSE_DAYS]);
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

  /** The de-duplication keys among `keys` that the timeline holds already. */
  private async takenKeys(manager: EntityManager, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { key: string }[] = await manager.query(
      `SELECT dedupe_key AS key FROM ticket_events WHERE dedupe_key = ANY($1::text[])`,
      [keys],
    );
    return new Set(rows.map((row) => row.key));
  }

  /** When the requester last followed up on this timer (its cycle), if ever. */
  private async lastFollowUpAt(manager: EntityManager, ticketId: string, timer: Timer): Promise<Date | null> {
    const [row]: { at: Date | string | null }[] = await manager.query(
      `SELECT max(created_at) AS at FROM ticket_events
       WHERE ticket_id = $1 AND type = 'ticket.follow_up' AND data->>'timerId' = $2`,
      [ticketId, timer.id],
    );
    return row?.at ? new Date(row.at) : null;
  }

  private async groupFinder(manager: EntityManager): Promise<GroupFinder> {
    const groups: GroupRow[] = await manager.query(
      `SELECT id, tier, categories FROM groups ORDER BY created_at, id`,
    );
    return groupFinderOf(groups);
  }
}

/**
 * What a scheduler run's batches share: the policies, groups and calendars, read by the first
 * batch that needs them. One per run, so a run plans with them as they were when it began (a
 * policy or calendar created later is read when a ticket needs it; a change to an existing one
 * counts from the next run, at most ESCALATION_INTERVAL_S and one run's length later).
 */
export class SweepRun {
  context?: Promise<SweepContext>;
}

export interface SweepContext {
  policies: readonly { id: string; maxLevel: number }[];
  findGroup: GroupFinder;
  /** Every calendar by id; a timer without one (its calendar deleted) counts 24x7. */
  calendars: ReadonlyMap<string, CalendarSpec>;
}

/** A claimed ticket and the latest timer of each kind, as read (TicketsRepository.findManyForSweep). */
interface SweepState {
  ticket: Ticket;
  timers: TimerRow[];
}

/** A timer as findManyForSweep reads it: JSON (times as ISO strings), without its calendar. */
type TimerRow = Record<string, unknown> & { calendarId: string | null };

interface GroupRow {
  id: string;
  tier: number;
  categories: string[];
}

interface SweepContextRow {
  policies: { id: string; maxLevel: number }[] | null;
  groups: GroupRow[] | null;
  calendars: ({ id: string } & CalendarSpec)[] | null;
}

/** What a sweep run plans with, in one round trip: the policies' caps, the groups, the calendars. */
const SWEEP_CONTEXT = new PreparedQuery(
  `SELECT (SELECT json_agg(json_build_object('id', p.id, 'maxLevel', p.max_level)) FROM sla_policies p) AS policies,
     (SELECT json_agg(json_build_object('id', g.id, 'tier', g.tier, 'categories', g.categories)
        ORDER BY g.created_at, g.id) FROM groups g) AS groups,
     (SELECT json_agg(json_build_object('id', c.id, 'type', c.type, 'timezone', c.timezone,
        'businessHours', c.business_hours, 'holidays', c.holidays)) FROM calendars c) AS calendars`,
);

/** The group of a tier covering a category: the longest-standing when several do (`groups` in that order). */
function groupFinderOf(groups: readonly GroupRow[]): GroupFinder {
  return (category, tier) =>
    groups.find((group) => group.tier === tier && group.categories.includes(category));
}

/** The unique index refused one of a batch's records: the batch is rolled back (see runBatch). */
class RecordRefused extends Error {
  constructor(key: string) {
    super(`Sweep record ${key} exists already`);
  }
}

/** A sweep batch's session settings and the database's clock, in one round trip. */
const SWEEP_SESSION = new PreparedQuery(`SELECT set_config('synchronous_commit', 'off', true), now() AS now`);

/**
 * A claim as a named statement with its LIMIT written into the text (one statement per batch
 * size), so the plan cached for it is made for that limit: an ordered index scan stopping after
 * `limit` rows, whatever the parameters.
 */
function limitedClaim(sql: string): (limit: number) => PreparedQuery {
  const byLimit = new Map<number, PreparedQuery>();
  return (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`Not a batch size: ${limit}`);
    let query = byLimit.get(limit);
    if (!query)
      byLimit.set(limit, (query = new PreparedQuery(`${sql} LIMIT ${limit} FOR UPDATE SKIP LOCKED`)));
    return query;
  };
}

/** Due by the database's clock, by the indexed next-check column (partial index), rows others hold skipped. */
const claimDue = limitedClaim(
  `SELECT id FROM tickets WHERE sla_next_check_at <= now() ORDER BY sla_next_check_at`,
);
/** Solved at least AUTO_CLOSE_DAYS ($1) ago, rows others hold skipped. */
const claimSolved = limitedClaim(
  `SELECT id FROM tickets WHERE status = 'solved' AND solved_at <= now() - make_interval(days => $1)
   ORDER BY solved_at`,
);

/** The database's clock: `now()`, the start of the current transaction. */
async function databaseNow(manager: EntityManager): Promise<Date> {
  const [{ now }]: { now: Date | string }[] = await manager.query(`SELECT now() AS now`);
  return new Date(now);
}

function keysOf(plan: SweepPlan): string[] {
  return plan.events.flatMap((event) => (event.dedupeKey ? [event.dedupeKey] : []));
}

/** The ticket's timers with the changed ones in their place. */
function mergeTimers(timers: readonly Timer[], changed: readonly Timer[]): Timer[] {
  return timers.map((timer) => changed.find((next) => next.id === timer.id) ?? timer);
}
