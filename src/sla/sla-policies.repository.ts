import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  BusinessHoursInterval,
  CalendarSpec,
  CalendarType,
  Holiday,
} from './calendar/business-calendar';
import type { PolicyChannel, PolicyPriority } from './dto/sla-policy.dto';

/** Every given condition must match a ticket; an absent one matches everything. */
export interface PolicyConditions {
  priorities?: PolicyPriority[];
  categories?: string[];
  channels?: PolicyChannel[];
  minVip?: number;
}

export interface PolicyTargets {
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
}

export interface PolicyEscalation {
  atRiskPercent: number;
  maxLevel: number;
}

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  calendarId: string;
  escalation: PolicyEscalation;
  /** Moves on with every change, a shift of its position by another policy's included: the ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A policy with the calendar its targets are counted in, as the SLA engine needs them together. */
export interface SlaPolicyWithCalendar extends SlaPolicy {
  calendar: CalendarSpec;
}

export interface NewSlaPolicy {
  name: string;
  /** Where to insert; last when absent. */
  position?: number;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  calendarId: string;
  escalation: PolicyEscalation;
}

/** The policy as it will be after a PATCH (the service merges the changes into the current one). */
export type SlaPolicyChanges = Omit<NewSlaPolicy, 'position'> & { position: number };

interface PolicyRow {
  id: string;
  name: string;
  position: number;
  conditions: PolicyConditions;
  first_response_minutes: number;
  next_response_minutes: number;
  resolution_minutes: number;
  calendar_id: string;
  at_risk_percent: number;
  max_level: number;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

interface PolicyWithCalendarRow extends PolicyRow {
  calendar_type: CalendarType;
  calendar_timezone: string;
  calendar_business_hours: BusinessHoursInterval[];
  calendar_holidays: Holiday[];
}

const COLUMNS = `id, name, position, conditions, first_response_minutes, next_response_minutes,
  resolution_minutes, calendar_id, at_risk_percent, max_level, version, created_at, updated_at`;

/**
 * SLA policies in the order they are tried. Writers that move positions take a table lock that
 * only they need (readers and ticket writes are not blocked), so positions never collide; the
 * unique position constraint is deferred inside those transactions while a range shifts.
 * TypeORM answers UPDATE and DELETE with `[rows, affectedCount]`, other statements with the rows.
 */
@Injectable()
export class SlaPoliciesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listInOrder(): Promise<SlaPolicy[]> {
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sla_policies ORDER BY position`,
    );
    return rows.map(toPolicy);
  }

  /** Every policy in the order they are tried, each with its calendar: what policy selection reads. */
  async listInOrderWithCalendars(): Promise<SlaPolicyWithCalendar[]> {
    const rows: PolicyWithCalendarRow[] = await this.dataSource.query(
      `SELECT p.id, p.name, p.position, p.conditions, p.first_response_minutes, p.next_response_minutes,
              p.resolution_minutes, p.calendar_id, p.at_risk_percent, p.max_level, p.version, p.created_at, p.updated_at,
              c.type AS calendar_type, c.timezone AS calendar_timezone,
              c.business_hours AS calendar_business_hours, c.holidays AS calendar_holidays
         FROM sla_policies p JOIN calendars c ON c.id = p.calendar_id
        ORDER BY p.position`,
    );
    return rows.map((row) => ({
      ...toPolicy(row),
      calendar: {
        type: row.calendar_type,
        timezone: row.calendar_timezone,
        businessHours: row.calendar_business_hours,
        holidays: row.calendar_holidays,
      },
    }));
  }

  async findById(id: string): Promise<SlaPolicy | undefined> {
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sla_policies WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? undefined : toPolicy(rows[0]);
  }

  /** True when another policy than `exceptId` has this name. */
  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM sla_policies WHERE name = $1 AND id IS DISTINCT FROM $2::uuid`,
      [name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  /** Inserts at `position`, moving the policies from there down one if it is taken; last without one. */
  async create(policy: NewSlaPolicy): Promise<SlaPolicy> {
    return this.dataSource.transaction(async (manager) => {
      await lockPositions(manager);
      let position = policy.position;
      if (position === undefined) {
        const [last] = await manager.query(
          `SELECT COALESCE(MAX(position), 0) + 1 AS position FROM sla_policies`,
        );
        position = Number(last.position);
      } else {
        const taken = await manager.query(`SELECT 1 FROM sla_policies WHERE position = $1`, [position]);
        if (taken.length > 0) {
          await manager.query(
            `UPDATE sla_policies SET position = position + 1, version = version + 1 WHERE position >= $1`,
            [position],
          );
        }
      }
      const [row]: PolicyRow[] = await manager.query(
        `INSERT INTO sla_policies (name, position, conditions, first_response_minutes, next_response_minutes,
           resolution_minutes, calendar_id, at_risk_percent, max_level)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [policy.name, position, ...policyValues(policy)],
      );
      return toPolicy(row);
    });
  }

  /**
   * Saves the policy as given; a new position moves it there and shifts the policies in between by
   * one towards its old place. Undefined when there is no such policy, or when it has moved past
   * `expectedVersion` (any version when absent).
   */
  async update(
    id: string,
    policy: SlaPolicyChanges,
    expectedVersion?: number,
  ): Promise<SlaPolicy | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await lockPositions(manager);
      const current: { position: number; version: number }[] = await manager.query(
        `SELECT position, version FROM sla_policies WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (current.length === 0) return undefined;
      if (expectedVersion !== undefined && current[0].version !== expectedVersion) return undefined;
      const from = current[0].position;
      const to = policy.position;
      if (to < from) {
        await manager.query(
          `UPDATE sla_policies SET position = position + 1, version = version + 1
            WHERE position >= $1 AND position < $2`,
          [to, from],
        );
      } else if (to > from) {
        await manager.query(
          `UPDATE sla_policies SET position = position - 1, version = version + 1
            WHERE position > $1 AND position <= $2`,
          [from, to],
        );
      }
      const [[row]]: [PolicyRow[], number] = await manager.query(
        `UPDATE sla_policies SET name = $2, position = $3, conditions = $4, first_response_minutes = $5,
           next_response_minutes = $6, resolution_minutes = $7, calendar_id = $8, at_risk_percent = $9,
           max_level = $10, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, policy.name, to, ...policyValues(policy)],
      );
      return toPolicy(row);
    });
  }

  /** Removes a policy; tickets that ran under it keep their timers (their policy_id is cleared). */
  async delete(id: string): Promise<boolean> {
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM sla_policies WHERE id = $1`,
      [id],
    );
    return deleted > 0;
  }
}

/** Serializes the writers that assign positions; neither readers nor ticket writes take this lock. */
async function lockPositions(manager: EntityManager): Promise<void> {
  await manager.query(`LOCK TABLE sla_policies IN SHARE ROW EXCLUSIVE MODE`);
  await manager.query(`SET CONSTRAINTS sla_policies_position_key DEFERRED`);
}

function policyValues(policy: Omit<NewSlaPolicy, 'name' | 'position'>): unknown[] {
  return [
    JSON.stringify(policy.conditions),
    policy.targets.firstResponseMinutes,
    policy.targets.nextResponseMinutes,
    policy.targets.resolutionMinutes,
    policy.calendarId,
    policy.escalation.atRiskPercent,
    policy.escalation.maxLevel,
  ];
}

function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    conditions: row.conditions,
    targets: {
      firstResponseMinutes: row.first_response_minutes,
      nextResponseMinutes: row.next_response_minutes,
      resolutionMinutes: row.resolution_minutes,
    },
    calendarId: row.calendar_id,
    escalation: { atRiskPercent: row.at_risk_percent, maxLevel: row.max_level },
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
