import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PreparedQuery } from '../database/prepared-query';
import { CALENDAR_24X7, type CalendarSpec } from './calendar/business-calendar';
import type { PolicyConditions } from './policy-matcher';
import { elapsedMinutes, type Timer } from './sla-timers';

/** A policy as the timer engine needs it: conditions, targets and its calendar. */
export interface EnginePolicy {
  id: string;
  position: number;
  conditions: PolicyConditions;
  targets: { firstResponse: number; nextResponse: number; resolution: number };
  calendarId: string;
  calendar: CalendarSpec;
  atRiskPercent: number;
  maxLevel: number;
}

/** A timer's state columns, written from one array each (in `save`'s order) through `unnest`. */
const TIMER_STATE_COLUMNS = `id, status, running, target_minutes, at_risk_percent, calendar_id, due_at, at_risk_at,
  at_risk_notified, paused_at, paused_minutes, breached_at, achieved_at, stopped_at, escalations, next_escalation_at,
  elapsed_minutes, carried_minutes, counting_since`;
const TIMER_STATE_ARRAYS = `$1::uuid[], $2::text[], $3::boolean[], $4::int[], $5::smallint[], $6::uuid[],
  $7::timestamptz[], $8::timestamptz[], $9::boolean[], $10::timestamptz[], $11::float8[], $12::timestamptz[],
  $13::timestamptz[], $14::timestamptz[], $15::int[], $16::timestamptz[], $17::float8[], $18::float8[],
  $19::timestamptz[]`;

const UPDATE_TIMERS = new PreparedQuery(
  `UPDATE sla_timers s SET status = u.status, running = u.running, target_minutes = u.target_minutes,
     at_risk_percent = u.at_risk_percent, calendar_id = u.calendar_id, due_at = u.due_at, at_risk_at = u.at_risk_at,
     at_risk_notified = u.at_risk_notified, paused_at = u.paused_at, paused_minutes = u.paused_minutes,
     breached_at = u.breached_at, achieved_at = u.achieved_at, stopped_at = u.stopped_at,
     escalations = u.escalations, next_escalation_at = u.next_escalation_at, elapsed_minutes = u.elapsed_minutes,
     carried_minutes = u.carried_minutes, counting_since = u.counting_since
   FROM unnest(${TIMER_STATE_ARRAYS}) AS u(${TIMER_STATE_COLUMNS})
   WHERE s.id = u.id`,
);
const INSERT_TIMERS = new PreparedQuery(
  `INSERT INTO sla_timers (${TIMER_STATE_COLUMNS}, kind, cycle, started_at, ticket_id)
   SELECT *, $23::uuid
   FROM unnest(${TIMER_STATE_ARRAYS}, $20::text[], $21::int[], $22::timestamptz[])
     AS u(${TIMER_STATE_COLUMNS}, kind, cycle, started_at)`,
);

/** Every policy with its calendar, in order of position. */
export const POLICIES_SQL = `SELECT p.id, p.position, p.conditions, p.calendar_id AS "calendarId",
     json_build_object('firstResponse', p.first_response_minutes, 'nextResponse', p.next_response_minutes,
       'resolution', p.resolution_minutes) AS targets,
     json_build_object('type', c.type, 'timezone', c.timezone, 'businessHours', c.business_hours,
       'holidays', c.holidays) AS calendar,
     p.at_risk_percent AS "atRiskPercent", p.max_level AS "maxLevel"
   FROM sla_policies p JOIN calendars c ON c.id = p.calendar_id
   ORDER BY p.position`;
const POLICIES = new PreparedQuery(POLICIES_SQL);

/** Policies as POLICIES_SQL reads them, ready for the engine. */
export function toEnginePolicies(rows: EnginePolicy[]): EnginePolicy[] {
  return rows.map((row) => ({ ...row, calendar: row.calendar ?? CALENDAR_24X7 }));
}

@Injectable()
export class SlaTimersRepository {
  async policies(manager: EntityManager): Promise<EnginePolicy[]> {
    return toEnginePolicies(await POLICIES.run<EnginePolicy[]>(manager, []));
  }

  /**
   * Writes back changed timers, then inserts new ones (a stopped timer frees its kind's running
   * slot for the one that replaces it), each in one statement; returns them with their ids.
   */
  async save(manager: EntityManager, ticketId: string, timers: Timer[]): Promise<Timer[]> {
    const saved = timers.map((timer) => (timer.id ? timer : { ...timer, id: randomUUID() }));
    const changed = saved.filter((timer, index) => timers[index].id);
    const fresh = saved.filter((timer, index) => !timers[index].id);
    const columns = (list: Timer[]) => [
      list.map((timer) => timer.id),
      list.map((timer) => timer.status),
      list.map((timer) => timer.running),
      list.map((timer) => timer.targetMinutes),
      list.map((timer) => timer.atRiskPercent),
      list.map((timer) => timer.calendarId),
      list.map((timer) => timer.dueAt),
      list.map((timer) => timer.atRiskAt),
      list.map((timer) => timer.atRiskNotified),
      list.map((timer) => timer.pausedAt),
      list.map((timer) => timer.pausedMinutes),
      list.map((timer) => timer.breachedAt),
      list.map((timer) => timer.achievedAt),
      list.map((timer) => timer.stoppedAt),
      list.map((timer) => timer.escalations),
      list.map((timer) => timer.nextEscalationAt),
      // What a stopped timer counted, for the report's percentiles (see the timer-elapsed migration).
      list.map((timer) => (timer.stoppedAt ? elapsedMinutes(timer, timer.stoppedAt) : null)),
      list.map((timer) => timer.carriedMinutes ?? 0),
      list.map((timer) => timer.countingSince ?? null),
    ];
    if (changed.length > 0) await UPDATE_TIMERS.run(manager, columns(changed));
    if (fresh.length > 0) {
      await INSERT_TIMERS.run(manager, [
        ...columns(fresh),
        fresh.map((timer) => timer.kind),
        fresh.map((timer) => timer.cycle),
        fresh.map((timer) => timer.startedAt),
        ticketId,
      ]);
    }
    return saved;
  }

  /** What a sweep changes on timers (at-risk, breach, escalation clock), for a whole batch in one statement. */
  async saveSweep(manager: EntityManager, timers: Timer[]): Promise<void> {
    if (timers.length === 0) return;
    await manager.query(
      `UPDATE sla_timers s SET status = u.status, at_risk_notified = u.at_risk_notified, breached_at = u.breached_at,
         escalations = u.escalations, next_escalation_at = u.next_escalation_at
       FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::int[], $6::timestamptz[])
         AS u(id, status, at_risk_notified, breached_at, escalations, next_escalation_at)
       WHERE s.id = u.id`,
      [
        timers.map((timer) => timer.id),
        timers.map((timer) => timer.status),
        timers.map((timer) => timer.atRiskNotified),
        timers.map((timer) => timer.breachedAt),
        timers.map((timer) => timer.escalations),
        timers.map((timer) => timer.nextEscalationAt),
      ],
    );
  }
}
