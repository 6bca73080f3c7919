import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  BusinessHoursInterval,
  CalendarSpec,
  CalendarType,
  Holiday,
} from './calendar/business-calendar';

/** A stored calendar: a CalendarSpec the business-calendar arithmetic takes as it is. */
export interface Calendar extends CalendarSpec {
  id: string;
  name: string;
  /** Moves on with every change: the ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCalendar extends CalendarSpec {
  name: string;
}

interface CalendarRow {
  id: string;
  name: string;
  type: CalendarType;
  timezone: string;
  business_hours: BusinessHoursInterval[];
  holidays: Holiday[];
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, name, type, timezone, business_hours, holidays, version, created_at, updated_at';

/**
 * Business calendars' queries.
 * TypeORM answers UPDATE and DELETE with `[rows, affectedCount]`, other statements with the rows.
 */
@Injectable()
export class CalendarsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listByName(): Promise<Calendar[]> {
    const rows: CalendarRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM calendars ORDER BY name, id`,
    );
    return rows.map(toCalendar);
  }

  async findById(id: string): Promise<Calendar | undefined> {
    const rows: CalendarRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM calendars WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? undefined : toCalendar(rows[0]);
  }

  /** True when another calendar than `exceptId` has this name. */
  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM calendars WHERE name = $1 AND id IS DISTINCT FROM $2::uuid`,
      [name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async create(calendar: NewCalendar): Promise<Calendar> {
    const [row]: CalendarRow[] = await this.dataSource.query(
      `INSERT INTO calendars (name, type, timezone, business_hours, holidays)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [
        calendar.name,
        calendar.type,
        calendar.timezone,
        JSON.stringify(calendar.businessHours),
        JSON.stringify(calendar.holidays),
      ],
    );
    return toCalendar(row);
  }

  /**
   * Replaces the whole calendar while it is still at `expectedVersion` (any version when absent);
   * undefined when there is no such calendar or it has moved past that version.
   */
  async replace(id: string, calendar: NewCalendar, expectedVersion?: number): Promise<Calendar | undefined> {
    const [rows]: [CalendarRow[], number] = await this.dataSource.query(
      `UPDATE calendars SET name = $2, type = $3, timezone = $4, business_hours = $5, holidays = $6,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND ($7::int IS NULL OR version = $7) RETURNING ${COLUMNS}`,
      [
        id,
        calendar.name,
        calendar.type,
        calendar.timezone,
        JSON.stringify(calendar.businessHours),
        JSON.stringify(calendar.holidays),
        expectedVersion ?? null,
      ],
    );
    return rows.length === 0 ? undefined : toCalendar(rows[0]);
  }

  /**
   * Deletes a calendar no SLA policy uses. The row lock waits for policies being pointed at it
   * (their foreign key check holds a share lock), so one saved meanwhile is seen and keeps it.
   */
  async deleteUnused(id: string): Promise<'deleted' | 'in_use' | 'not_found'> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.query(`SELECT id FROM calendars WHERE id = $1 FOR UPDATE`, [id]);
      if (locked.length === 0) return 'not_found';
      const [{ used }] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM sla_policies WHERE calendar_id = $1) AS used`,
        [id],
      );
      if (used) return 'in_use';
      await manager.query(`DELETE FROM calendars WHERE id = $1`, [id]);
      return 'deleted';
    });
  }
}

function toCalendar(row: CalendarRow): Calendar {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    timezone: row.timezone,
    businessHours: row.business_hours,
    holidays: row.holidays,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
