import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { CALENDAR_24X7, type CalendarSpec } from './calendar/business-calendar';
import type { ReportGrouping, SlaReport, SlaReportQuery, SlaReportRow } from './dto/sla-report.dto';
import { elapsedMinutes } from './sla-timers';

const GROUP_KEY: Record<ReportGrouping, string> = {
  category: 't.category',
  priority: 't.priority',
  channel: 't.channel',
  group: "COALESCE(t.group_id::text, 'none')",
};

/**
 * A running timer past its due time as of now() (recorded breached, or overdue before a sweep,
 * also when paused after it); `x` is the timer.
 */
const RUNNING_BREACHED = `x.running AND (x.status = 'breached' OR (x.status = 'active' AND x.due_at <= now()))`;

/** Running breached timers of the tickets created in [$1, $2), with what elapsedMinutes reads. */
const RUNNING_BREACHED_TIMERS = `
  SELECT x.id, x.started_at AS "startedAt", x.counting_since AS "countingSince",
    x.carried_minutes AS "carriedMinutes", x.paused_at AS "pausedAt", x.paused_minutes AS "pausedMinutes",
    json_build_object('type', c.type, 'timezone', c.timezone, 'businessHours', c.business_hours,
      'holidays', c.holidays) AS calendar, now() AS now
  FROM tickets t JOIN sla_timers x ON x.ticket_id = t.id LEFT JOIN calendars c ON c.id = x.calendar_id
  WHERE t.created_at >= $1 AND t.created_at < $2 AND ${RUNNING_BREACHED}`;

interface RunningBreachedRow {
  id: string;
  startedAt: Date | string;
  countingSince: Date | string | null;
  carriedMinutes: number;
  pausedAt: Date | string | null;
  pausedMinutes: number;
  calendar: CalendarSpec | null;
  now: Date | string;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * SLA compliance per category, priority, channel or group for tickets created in [from, to),
 * computed in SQL. Every timer counts once: achieved (stopped within target), breached (recorded,
 * answered late, or still running past its due time as of now) or running (within target). A
 * reply timer (first or next reply) that stopped without a public agent reply (the ticket was
 * solved or closed first) is no reply: it is not counted achieved, nor running, and has no reply
 * time; one stopped that way after its due time still counts breached, the wait having been too
 * long. Durations are what each stopped timer counted, in its calendar's business minutes with
 * pauses excluded (stored when it stopped); a breached timer still running counts with what it has
 * counted until now (its reply or resolution will take at least that long), one still within its
 * target is left out of the medians and percentiles. One snapshot and one now() for all of it.
 */
@Injectable()
export class SlaReportsService {
  constructor(private readonly dataSource: DataSource) {}

  async report(query: SlaReportQuery): Promise<SlaReport> {
    const from = instantOf(query.from, 'from');
    const to = instantOf(query.to, 'to');
    if (from >= to) {
      throw AppError.validation([{ field: 'to', message: 'must be after from' }]);
    }
    const rows = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.rows(manager, query.groupBy, from, to),
    );
    const round = (value: number | null) => (value === null ? null : Math.round(Number(value) * 10) / 10);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy: query.groupBy,
      data: rows.map((row) => ({
        key: row.key,
        name: row.name ?? null,
        tickets: row.tickets,
        achieved: row.achieved,
        breached: row.breached,
        running: row.running,
        compliancePercent:
          row.achieved + row.breached === 0
            ? null
            : round((row.achieved * 100) / (row.achieved + row.breached)),
        firstResponseMinutes: { median: round(row.firstMedian), p90: round(row.firstP90) },
        resolutionMinutes: { median: round(row.resolutionMedian), p90: round(row.resolutionP90) },
      })),
    };
  }

  private async rows(
    manager: EntityManager,
    groupBy: ReportGrouping,
    from: Date,
    to: Date,
  ): Promise<
    (Omit<SlaReportRow, 'firstResponseMinutes' | 'resolutionMinutes'> & {
      firstMedian: number | null;
      firstP90: number | null;
      resolutionMedian: number | null;
      resolutionP90: number | null;
    })[]
  > {
    // What the running breached timers have counted so far needs their calendars: counted here.
    const running: RunningBreachedRow[] = await manager.query(RUNNING_BREACHED_TIMERS, [
      from.toISOString(),
      to.toISOString(),
    ]);
    const soFar = running.map((row) =>
      elapsedMinutes(
        {
          calendar: row.calendar?.type ? row.calendar : CALENDAR_24X7,
          startedAt: new Date(row.startedAt),
          countingSince: date(row.countingSince),
          carriedMinutes: Number(row.carriedMinutes),
          pausedAt: date(row.pausedAt),
          pausedMinutes: Number(row.pausedMinutes),
          stoppedAt: null,
        },
        new Date(row.now),
      ),
    );
    const key = GROUP_KEY[groupBy];
    return manager.query(
      `WITH scope AS (
         SELECT t.id, ${key} AS key FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2
       ), marked AS (
         SELECT s.key, x.*,
           -- A stopped reply timer was answered when a public agent reply came at the instant it stopped.
           x.kind <> 'resolution' AND NOT x.running AND NOT EXISTS (
             SELECT 1 FROM ticket_messages m
             WHERE m.ticket_id = x.ticket_id AND m.created_at = x.stopped_at AND m.visibility = 'public'
               AND m.author_role IN ('agent', 'supervisor', 'admin')) AS unanswered
         FROM scope s JOIN sla_timers x ON x.ticket_id = s.id
       ), timers AS (
         SELECT x.key, x.kind,
           CASE WHEN x.status = 'breached' OR (${RUNNING_BREACHED}) THEN 'breached'
                WHEN x.unanswered THEN 'no_reply'
                WHEN x.status = 'achieved' THEN 'achieved' ELSE 'running' END AS outcome,
           CASE WHEN x.running THEN r.minutes WHEN x.unanswered THEN NULL ELSE x.elapsed_minutes END AS minutes
         FROM marked x LEFT JOIN unnest($4::uuid[], $5::float8[]) AS r(id, minutes) ON r.id = x.id
       ), counts AS (
         SELECT key, count(*) AS tickets FROM scope GROUP BY key
       )
       SELECT c.key, g.name, c.tickets::int AS tickets,
         count(*) FILTER (WHERE m.outcome = 'achieved')::int AS achieved,
         count(*) FILTER (WHERE m.outcome = 'breached')::int AS breached,
         count(*) FILTER (WHERE m.outcome = 'running')::int AS running,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY m.minutes) FILTER (WHERE m.kind = 'firstResponse')
           AS "firstMedian",
         percentile_cont(0.9) WITHIN GROUP (ORDER BY m.minutes) FILTER (WHERE m.kind = 'firstResponse')
           AS "firstP90",
         percentile_cont(0.5) WITHIN GROUP (ORDER BY m.minutes) FILTER (WHERE m.kind = 'resolution')
           AS "resolutionMedian",
         percentile_cont(0.9) WITHIN GROUP (ORDER BY m.minutes) FILTER (WHERE m.kind = 'resolution')
           AS "resolutionP90"
       FROM counts c
       LEFT JOIN timers m ON m.key = c.key
       LEFT JOIN groups g ON $3 AND g.id::text = c.key
       GROUP BY c.key, c.tickets, g.name
       ORDER BY c.key`,
      [from.toISOString(), to.toISOString(), groupBy === 'group', running.map((row) => row.id), soFar],
    );
  }
}

/** A date-time that ends with its time, without a zone: read as UTC, as a date alone is. */
const WITHOUT_OFFSET = /[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * The instant a validated `from`/`to` names, read once here so that the query and the answer use
 * the same one (without an offset, UTC, whatever the process's or the session's time zone); 400 on
 * the field if it names none.
 */
function instantOf(value: string, field: 'from' | 'to'): Date {
  const ms = Date.parse(WITHOUT_OFFSET.test(value) ? `${value}Z` : value);
  if (Number.isNaN(ms)) {
    throw AppError.validation([
      { field, message: 'must be an ISO-8601 date-time such as 2024-01-31T09:00:00Z' },
    ]);
  }
  return new Date(ms);
}
