import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import type { ReportGrouping, SlaReport, SlaReportQuery, SlaReportRow } from './dto/sla-report.dto';

const GROUP_KEY: Record<ReportGrouping, string> = {
  category: 't.category',
  priority: 't.priority',
  channel: 't.channel',
  group: "COALESCE(t.group_id::text, 'none')",
};

/**
 * SLA compliance per category, priority, channel or group for tickets created in [from, to),
 * computed in SQL. Every timer counts once: achieved (stopped within target), breached (recorded,
 * answered late, or still running past its due time as of now) or running (within target).
 * Durations are what each stopped timer counted, in its calendar's business minutes with pauses
 * excluded (stored when it stopped); a timer still running has no duration yet and is left out of
 * the medians and percentiles, as it is counted in `running` or `breached`.
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
    const key = GROUP_KEY[query.groupBy];
    const rows: (Omit<SlaReportRow, 'firstResponseMinutes' | 'resolutionMinutes'> & {
      firstMedian: number | null;
      firstP90: number | null;
      resolutionMedian: number | null;
      resolutionP90: number | null;
    })[] = await this.dataSource.query(
      `WITH scope AS (
         SELECT t.id, ${key} AS key FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2
       ), timers AS (
         SELECT s.key, x.kind,
           CASE WHEN x.status = 'breached' OR (x.running AND x.paused_at IS NULL AND x.due_at <= now()) THEN 'breached'
                WHEN x.status = 'achieved' THEN 'achieved' ELSE 'running' END AS outcome,
           x.elapsed_minutes AS minutes
         FROM scope s JOIN sla_timers x ON x.ticket_id = s.id
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
      [from.toISOString(), to.toISOString(), query.groupBy === 'group'],
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
