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

type TimerColumn = readonly [column: string, sqlType: string, value: (timer: Timer) => unknown];

/** A timer's state columns: name, SQL type and value, in the order every statement below takes them. */
const TIMER_STATE: readonly TimerColumn[] = [
  ['id', 'uuid', (timer) => timer.id],
  ['status', 'text', (timer) => timer.status],
  ['running', 'boolean', (timer) => timer.running],
  ['target_minutes', 'int', (timer) => timer.targetMinutes],
  ['at_risk_percent', 'smallint', (timer) => timer.atRiskPercent],
  ['calendar_id', 'uuid', (timer) => timer.calendarId],
  ['due_at', 'timestamptz', (timer) => timer.dueAt],
  ['at_risk_at', 'timestamptz', (timer) => timer.atRiskAt],
  ['at_risk_notified', 'boolean', (timer) => timer.atRiskNotified],
  ['paused_at', 'timestamptz', (timer) => timer.pausedAt],
  ['paused_minutes', 'float8', (timer) => timer.pausedMinutes],
  ['breached_at', 'timestamptz', (timer) => timer.breachedAt],
  ['achieved_at', 'timestamptz', (timer) => timer.achievedAt],
  ['stopped_at', 'timestamptz', (timer) => timer.stoppedAt],
  ['escalations', 'int', (timer) => timer.escalations],
  ['next_escalation_at', 'timestamptz', (timer) => timer.nextEscalationAt],
  // What a stopped timer counted, for the report's percentiles (see the timer-elapsed migration).
  ['elapsed_minutes', 'float8', (timer) => (timer.stoppedAt ? elapsedMinutes(timer, timer.stoppedAt) : null)],
  ['carried_minutes', 'float8', (timer) => timer.carriedMinutes ?? 0],
  ['counting_since', 'timestamptz', (timer) => timer.countingSince ?? null],
];
/** A new timer: its state and what never changes after insertion. */
const NEW_TIMER: readonly TimerColumn[] = [
  ...TIMER_STATE,
  ['kind', 'text', (timer) => timer.kind],
  ['cycle', 'int', (timer) => timer.cycle],
  ['started_at', 'timestamptz', (timer) => timer.startedAt],
];

const namesOf = (columns: readonly TimerColumn[]) => columns.map(([column]) => column).join(', ');
/** `$1::uuid[], $2::text[], …`: one array parameter per column, for `unnest`. */
const arraysOf = (columns: readonly TimerColumn[]) =>
  columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
/** One array of values per column, for the `arraysOf` parameters. */
const valuesOf = (columns: readonly TimerColumn[], timers: Timer[]) =>
  columns.map(([, , value]) => timers.map(value));

/** The columns a new timer is inserted with (its ticket aside). */
export const NEW_TIMER_COLUMNS = namesOf(NEW_TIMER);
/** The same columns with their types, for `jsonb_to_recordset(…) AS u(${NEW_TIMER_RECORDSET})`. */
export const NEW_TIMER_RECORDSET = NEW_TIMER.map(([column, type]) => `${column} ${type}`).join(', ');
/** A new timer as one `jsonb_to_recordset` record of NEW_TIMER_RECORDSET. */
export function newTimerRecord(timer: Timer): Record<string, unknown> {
  return Object.fromEntries(NEW_TIMER.map(([column, , value]) => [column, value(timer)]));
}

const UPDATE_TIMERS = new PreparedQuery(
  `UPDATE sla_timers s SET ${TIMER_STATE.slice(1)
    .map(([column]) => `${column} = u.${column}`)
    .join(', ')}
   FROM unnest(${arraysOf(TIMER_STATE)}) AS u(${namesOf(TIMER_STATE)})
   WHERE s.id = u.id`,
);
const INSERT_TIMERS = new PreparedQuery(
  `INSERT INTO sla_timers (${NEW_TIMER_COLUMNS}, ticket_id)
   SELECT *, $${NEW_TIMER.length + 1}::uuid
   FROM unnest(${arraysOf(NEW_TIMER)}) AS u(${NEW_TIMER_COLUMNS})`,
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
    if (changed.length > 0) await UPDATE_TIMERS.run(manager, valuesOf(TIMER_STATE, changed));
    if (fresh.length > 0) await INSERT_TIMERS.run(manager, [...valuesOf(NEW_TIMER, fresh), ticketId]);
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
