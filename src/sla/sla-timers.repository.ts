import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CALENDAR_24X7, type CalendarSpec } from './calendar/business-calendar';
import type { PolicyConditions } from './policy-matcher';
import type { Timer } from './sla-timers';

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

@Injectable()
export class SlaTimersRepository {
  async policies(manager: EntityManager): Promise<EnginePolicy[]> {
    const rows = await manager.query(
      `SELECT p.id, p.position, p.conditions, p.calendar_id AS "calendarId",
         json_build_object('firstResponse', p.first_response_minutes, 'nextResponse', p.next_response_minutes,
           'resolution', p.resolution_minutes) AS targets,
         json_build_object('type', c.type, 'timezone', c.timezone, 'businessHours', c.business_hours,
           'holidays', c.holidays) AS calendar,
         p.at_risk_percent AS "atRiskPercent", p.max_level AS "maxLevel"
       FROM sla_policies p JOIN calendars c ON c.id = p.calendar_id
       ORDER BY p.position`,
    );
    return rows.map((row: EnginePolicy) => ({ ...row, calendar: row.calendar ?? CALENDAR_24X7 }));
  }

  /** Inserts new timers and writes back changed ones; returns them with their ids. */
  async save(manager: EntityManager, ticketId: string, timers: Timer[]): Promise<Timer[]> {
    const saved: Timer[] = [];
    for (const timer of timers) {
      const values = [
        timer.status,
        timer.running,
        timer.targetMinutes,
        timer.atRiskPercent,
        timer.calendarId,
        timer.dueAt,
        timer.atRiskAt,
        timer.atRiskNotified,
        timer.pausedAt,
        timer.pausedMinutes,
        timer.breachedAt,
        timer.achievedAt,
        timer.stoppedAt,
        timer.escalations,
        timer.nextEscalationAt,
      ];
      if (timer.id) {
        await manager.query(
          `UPDATE sla_timers SET status = $2, running = $3, target_minutes = $4, at_risk_percent = $5,
             calendar_id = $6, due_at = $7, at_risk_at = $8, at_risk_notified = $9, paused_at = $10,
             paused_minutes = $11, breached_at = $12, achieved_at = $13, stopped_at = $14, escalations = $15,
             next_escalation_at = $16
           WHERE id = $1`,
          [timer.id, ...values],
        );
        saved.push(timer);
      } else {
        const [row] = await manager.query(
          `INSERT INTO sla_timers (status, running, target_minutes, at_risk_percent, calendar_id, due_at, at_risk_at,
             at_risk_notified, paused_at, paused_minutes, breached_at, achieved_at, stopped_at, escalations,
             next_escalation_at, ticket_id, kind, cycle, started_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
           RETURNING id`,
          [...values, ticketId, timer.kind, timer.cycle, timer.startedAt],
        );
        saved.push({ ...timer, id: row.id });
      }
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
