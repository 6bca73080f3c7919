import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/**
 * The sweep and follow-ups compare due times with the database's clock, which a test cannot move.
 * Moving a ticket's stored SLA moments back by `minutes` is the same, for that ticket, as moving
 * that clock forward: its timers' points and its next check come `minutes` nearer. The timeline is
 * append-only and keeps its times (so this is no tool for follow-up spacing).
 */
export async function ageTickets(t: TestApp, ticketIds: string[], minutes: number): Promise<void> {
  const db = t.app.get(DataSource);
  const by = `${minutes} minutes`;
  await db.query(
    `UPDATE sla_timers SET started_at = started_at - $2::interval, due_at = due_at - $2::interval,
       at_risk_at = at_risk_at - $2::interval, paused_at = paused_at - $2::interval,
       breached_at = breached_at - $2::interval, achieved_at = achieved_at - $2::interval,
       stopped_at = stopped_at - $2::interval, next_escalation_at = next_escalation_at - $2::interval
     WHERE ticket_id = ANY($1::uuid[])`,
    [ticketIds, by],
  );
  await db.query(
    `UPDATE tickets SET sla_due_at = sla_due_at - $2::interval, sla_next_check_at = sla_next_check_at - $2::interval
     WHERE id = ANY($1::uuid[])`,
    [ticketIds, by],
  );
}

/** How many timeline records of each type each ticket has: `{[ticketId]: {[type]: n}}`. */
export async function eventCounts(
  t: TestApp,
  ticketIds: string[],
  types: string[],
): Promise<Record<string, Record<string, number>>> {
  const rows: { ticketId: string; type: string; n: number }[] = await t.app.get(DataSource).query(
    `SELECT ticket_id AS "ticketId", type, count(*)::int AS n FROM ticket_events
       WHERE ticket_id = ANY($1::uuid[]) AND type = ANY($2::text[]) GROUP BY ticket_id, type`,
    [ticketIds, types],
  );
  const counts: Record<string, Record<string, number>> = {};
  for (const id of ticketIds) counts[id] = Object.fromEntries(types.map((type) => [type, 0]));
  for (const row of rows) counts[row.ticketId][row.type] = row.n;
  return counts;
}
