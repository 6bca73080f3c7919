import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FieldDefinition } from '../categories/category-fields';
import { PreparedQuery } from '../database/prepared-query';
import { CALENDAR_24X7, type CalendarSpec } from '../sla/calendar/business-calendar';
import type { Timer } from '../sla/sla-timers';
import {
  type EnginePolicy,
  NEW_TIMER_COLUMNS,
  NEW_TIMER_RECORDSET,
  newTimerRecord,
  POLICIES_SQL,
  toEnginePolicies,
} from '../sla/sla-timers.repository';
import type { PolicyTargets, Ticket, TicketWithSla } from './ticket.types';
import { isCustomerVisible, type TimelineEvent } from './timeline';

const TICKET_COLUMNS = `
  t.id, t.number, t.subject, t.description, t.category, t.subcategory, t.priority, t.status, t.channel,
  t.locale, t.requester_id AS "requesterId", t.requester_vip AS "requesterVip", t.assignee_id AS "assigneeId",
  t.group_id AS "groupId", t.tier, t.escalation_level AS "escalationLevel", t.fields, t.tags,
  t.policy_id AS "policyId", t.sla_due_at AS "slaDueAt", t.sla_next_check_at AS "slaNextCheckAt",
  t.satisfaction, t.version, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
  t.first_responded_at AS "firstRespondedAt", t.solved_at AS "solvedAt", t.closed_at AS "closedAt"`;

/** A timer's columns as JSON members (`s` is the timer). */
const TIMER_FIELDS = `
  'id', s.id, 'kind', s.kind, 'cycle', s.cycle, 'status', s.status, 'running', s.running,
  'targetMinutes', s.target_minutes, 'atRiskPercent', s.at_risk_percent, 'calendarId', s.calendar_id,
  'startedAt', s.started_at, 'dueAt', s.due_at, 'atRiskAt', s.at_risk_at, 'atRiskNotified', s.at_risk_notified,
  'pausedAt', s.paused_at, 'pausedMinutes', s.paused_minutes, 'breachedAt', s.breached_at,
  'achievedAt', s.achieved_at, 'stoppedAt', s.stopped_at, 'escalations', s.escalations,
  'nextEscalationAt', s.next_escalation_at, 'carriedMinutes', s.carried_minutes, 'countingSince', s.counting_since`;
/** The ticket's latest timer of each kind, as `s`. */
const LATEST_TIMERS = `(SELECT DISTINCT ON (kind) * FROM sla_timers WHERE ticket_id = t.id ORDER BY kind, cycle DESC) s`;

/** Each kind's latest timer with its calendar, and the policy's targets, as JSON beside the ticket. */
const SLA_COLUMNS = `
  (SELECT json_agg(json_build_object(${TIMER_FIELDS},
      'calendar', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('type', c.type, 'timezone', c.timezone,
        'businessHours', c.business_hours, 'holidays', c.holidays) END))
   FROM ${LATEST_TIMERS} LEFT JOIN calendars c ON c.id = s.calendar_id) AS timers,
  (SELECT json_build_object('firstResponse', p.first_response_minutes, 'nextResponse', p.next_response_minutes,
      'resolution', p.resolution_minutes) FROM sla_policies p WHERE p.id = t.policy_id) AS targets`;

/**
 * The claimed tickets of a sweep with their latest timers, without each timer's calendar and the
 * policy's targets: the sweep has its run's calendars and policies, and building that JSON for
 * every timer was most of the statement's time.
 */
const SWEEP_STATES = new PreparedQuery(
  `SELECT ${TICKET_COLUMNS},
     (SELECT json_agg(json_build_object(${TIMER_FIELDS})) FROM ${LATEST_TIMERS}) AS timers
   FROM tickets t WHERE t.id = ANY($1::uuid[])`,
);

const LOCK_TICKET = new PreparedQuery(
  `SELECT id FROM tickets WHERE id = $1 AND ($2::text IS NULL OR requester_id = $2) FOR UPDATE`,
);
const TICKET_WITH_SLA = new PreparedQuery(
  `SELECT ${TICKET_COLUMNS}, ${SLA_COLUMNS} FROM tickets t
   WHERE t.id = $1 AND ($2::text IS NULL OR t.requester_id = $2)`,
);

/**
 * A new ticket in one statement: the ticket, its search row, its first timers and its timeline
 * records (foreign keys are checked at the end of the statement, when the ticket exists). The
 * `ticket.created` record carries the ticket's number, which only this statement knows: it is
 * added to that record's data here. Timers and records come as one JSON array each, in order (a
 * record's `seq` follows the array). Returns the number and the dedupe keys that were new.
 */
const CREATE_TICKET = new PreparedQuery(
  `WITH ticket AS (
     INSERT INTO tickets (id, subject, description, category, subcategory, priority, status, channel, locale,
       requester_id, requester_vip, assignee_id, group_id, tier, escalation_level, fields, tags, policy_id,
       sla_due_at, sla_next_check_at, satisfaction, created_at, updated_at, first_responded_at, solved_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
       $22, $23, $24, $25)
     RETURNING number),
   search AS (INSERT INTO ticket_search (ticket_id, public_text) VALUES ($1, $26)),
   timers AS (
     INSERT INTO sla_timers (${NEW_TIMER_COLUMNS}, ticket_id)
     SELECT ${NEW_TIMER_COLUMNS}, $1 FROM jsonb_to_recordset($27::jsonb) AS u(${NEW_TIMER_RECORDSET})),
   events AS (
     INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key, created_at)
     SELECT $1, e.type, e.actor_id, e.actor_role, e.customer_visible,
       CASE WHEN e.type = 'ticket.created' THEN e.data || jsonb_build_object('number', (SELECT number FROM ticket))
         ELSE e.data END,
       e.dedupe_key, $22
     FROM ROWS FROM (jsonb_to_recordset($28::jsonb) AS (type text, actor_id text, actor_role text,
       customer_visible boolean, data jsonb, dedupe_key text)) WITH ORDINALITY
       AS e(type, actor_id, actor_role, customer_visible, data, dedupe_key, n)
     ORDER BY e.n
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key)
   SELECT number, ARRAY(SELECT dedupe_key FROM events WHERE dedupe_key IS NOT NULL) AS fresh FROM ticket`,
);

/** The group of a tier covering a category: the longest-standing when several do. */
const groupForTierSql = (tier: string, category: string) =>
  `SELECT id, tier, categories FROM groups WHERE tier = ${tier} AND ${category} = ANY(categories)
   ORDER BY created_at, id LIMIT 1`;
const GROUP_FOR_TIER = new PreparedQuery(groupForTierSql('$1', '$2'));
const CATEGORY_RULES_SQL = `SELECT c.key, c.enabled, c.fields, c.require_one_of AS "requireOneOf",
     COALESCE((SELECT json_agg(json_build_object('key', s.key, 'enabled', s.enabled))
               FROM subcategories s WHERE s.category_key = c.key), '[]') AS subcategories
   FROM categories c WHERE c.key = $1`;
const CATEGORY_RULES = new PreparedQuery(CATEGORY_RULES_SQL);
/** Everything a new ticket is checked and routed against, read in one round trip. */
const CREATION_CONTEXT = new PreparedQuery(
  `SELECT (SELECT row_to_json(r) FROM (${CATEGORY_RULES_SQL}) r) AS category,
     (SELECT row_to_json(g) FROM (${groupForTierSql('1', '$1')}) g) AS "tier1Group",
     (SELECT json_agg(p ORDER BY p.position) FROM (${POLICIES_SQL}) p) AS policies`,
);

const TIMESTAMPS = [
  'startedAt',
  'dueAt',
  'atRiskAt',
  'pausedAt',
  'breachedAt',
  'achievedAt',
  'stoppedAt',
  'nextEscalationAt',
  'countingSince',
];

/**
 * Timers read as JSON: timestamps become Dates; the calendar is the one given, else the one read
 * with the timer, and a deleted calendar counts as 24x7.
 */
export function timerFromJson(json: Record<string, unknown>, calendar?: CalendarSpec): Timer {
  const timer = { ...json } as Record<string, unknown>;
  for (const key of TIMESTAMPS) timer[key] = timer[key] ? new Date(timer[key] as string) : null;
  timer.calendar = calendar ?? (json.calendar as CalendarSpec | null) ?? CALENDAR_24X7;
  return timer as unknown as Timer;
}

/** A new ticket's columns in CREATE_TICKET's order ($1–$25). */
function ticketValues(ticket: Omit<Ticket, 'number' | 'version' | 'updatedAt'>): unknown[] {
  return [
    ticket.id,
    ticket.subject,
    ticket.description,
    ticket.category,
    ticket.subcategory,
    ticket.priority,
    ticket.status,
    ticket.channel,
    ticket.locale,
    ticket.requesterId,
    ticket.requesterVip,
    ticket.assigneeId,
    ticket.groupId,
    ticket.tier,
    ticket.escalationLevel,
    JSON.stringify(ticket.fields),
    ticket.tags,
    ticket.policyId,
    ticket.slaDueAt,
    ticket.slaNextCheckAt,
    ticket.satisfaction && JSON.stringify(ticket.satisfaction),
    ticket.createdAt,
    ticket.firstRespondedAt,
    ticket.solvedAt,
    ticket.closedAt,
  ];
}

/** A timeline record as CREATE_TICKET reads it (timeline.ts's RECORD_EVENTS writes the same columns). */
function eventRecord(event: TimelineEvent): Record<string, unknown> {
  return {
    type: event.type,
    actor_id: event.actor.id,
    actor_role: event.actor.role,
    customer_visible: isCustomerVisible(event.type, event.data),
    data: event.data,
    dedupe_key: event.dedupeKey ?? null,
  };
}

type Row = Ticket & { timers: Record<string, unknown>[] | null; targets: PolicyTargets | null };

function toTicketWithSla(row: Row): TicketWithSla {
  const { timers, targets, ...ticket } = row;
  return { ticket, timers: (timers ?? []).map((timer) => timerFromJson(timer)), targets };
}

/** A ticket as the sweep writes it back; `changed` bumps the version (a moved check time alone does not). */
export type SweepRow = Pick<
  Ticket,
  'id' | 'version' | 'priority' | 'escalationLevel' | 'groupId' | 'tier' | 'slaDueAt' | 'slaNextCheckAt'
> & { changed: boolean };

export interface CategoryRules {
  key: string;
  enabled: boolean;
  fields: FieldDefinition[];
  requireOneOf: string[][];
  subcategories: { key: string; enabled: boolean }[];
}

/** What a new ticket is checked against and routed by. */
export interface CreationContext {
  category: CategoryRules | null;
  /** Where a new ticket of the category goes; null when no tier-1 group covers it. */
  tier1Group: GroupRef | null;
  policies: EnginePolicy[];
}

export interface GroupRef {
  id: string;
  tier: number;
  categories: string[];
}

/** Named queries over tickets and what a ticket is checked against. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A ticket with its SLA state; `requesterId` restricts it to that customer's tickets; `lock` takes the row lock. */
  async findWithSla(
    manager: EntityManager | undefined,
    id: string,
    options: { requesterId?: string; lock?: boolean } = {},
  ): Promise<TicketWithSla | undefined> {
    const db = manager ?? this.dataSource.manager;
    const params = [id, options.requesterId ?? null];
    if (options.lock) {
      const locked = await LOCK_TICKET.run<unknown[]>(db, params);
      if (locked.length === 0) return undefined;
    }
    const rows = await TICKET_WITH_SLA.run<Row[]>(db, params);
    return rows[0] && toTicketWithSla(rows[0]);
  }

  async findManyWithSla(ids: string[], manager?: EntityManager): Promise<TicketWithSla[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await (manager ?? this.dataSource.manager).query(
      `SELECT ${TICKET_COLUMNS}, ${SLA_COLUMNS} FROM tickets t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, toTicketWithSla(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** A sweep's claimed tickets with their latest timers as JSON (no calendars), in the order of `ids`. */
  async findManyForSweep<TimerJson>(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ ticket: Ticket; timers: TimerJson[] }[]> {
    const rows = await SWEEP_STATES.run<(Ticket & { timers: TimerJson[] | null })[]>(manager, [ids]);
    const byId = new Map(rows.map(({ timers, ...ticket }) => [ticket.id, { ticket, timers: timers ?? [] }]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Inserts a new ticket with its search text, its first timers and its timeline records in one
   * statement (see CREATE_TICKET); returns the ticket's number and the timers with their ids.
   * `ticket.created` records get the number in their data, in the row and in `events`.
   */
  async create(
    manager: EntityManager,
    ticket: Omit<Ticket, 'number' | 'version' | 'updatedAt'>,
    searchText: string,
    timers: Timer[],
    events: TimelineEvent[],
  ): Promise<{ number: number; timers: Timer[]; fresh: Set<string> }> {
    const saved = timers.map((timer) => (timer.id ? timer : { ...timer, id: randomUUID() }));
    const [row] = await CREATE_TICKET.run<{ number: number; fresh: string[] }[]>(manager, [
      ...ticketValues(ticket),
      searchText,
      JSON.stringify(saved.map(newTimerRecord)),
      JSON.stringify(events.map(eventRecord)),
    ]);
    for (const event of events) if (event.type === 'ticket.created') event.data.number = row.number;
    return { number: row.number, timers: saved, fresh: new Set(row.fresh) };
  }

  /**
   * Writes the changed columns, guarded by the version read: 0 rows means another writer got
   * there first. Returns the new version, or undefined when the guard failed.
   */
  async update(
    manager: EntityManager,
    id: string,
    expectedVersion: number,
    changes: Partial<Ticket>,
    at: Date,
  ): Promise<number | undefined> {
    const columns: Record<string, unknown> = {};
    const map: Record<string, string> = {
      subject: 'subject',
      description: 'description',
      category: 'category',
      subcategory: 'subcategory',
      priority: 'priority',
      status: 'status',
      locale: 'locale',
      requesterVip: 'requester_vip',
      assigneeId: 'assignee_id',
      groupId: 'group_id',
      tier: 'tier',
      escalationLevel: 'escalation_level',
      tags: 'tags',
      policyId: 'policy_id',
      slaDueAt: 'sla_due_at',
      slaNextCheckAt: 'sla_next_check_at',
      firstRespondedAt: 'first_responded_at',
      solvedAt: 'solved_at',
      closedAt: 'closed_at',
    };
    for (const [key, column] of Object.entries(map)) {
      if (key in changes) columns[column] = changes[key as keyof Ticket];
    }
    if ('fields' in changes) columns.fields = JSON.stringify(changes.fields);
    if ('satisfaction' in changes) columns.satisfaction = JSON.stringify(changes.satisfaction);
    const names = Object.keys(columns);
    const assignments = names.map((name, index) => `${name} = $${index + 4}`);
    // For an UPDATE, TypeORM answers [rows, affected count].
    const [rows]: [{ version: number }[], number] = await manager.query(
      `UPDATE tickets SET ${[...assignments, 'updated_at = $3', 'version = version + 1'].join(', ')}
       WHERE id = $1 AND version = $2 RETURNING version`,
      [id, expectedVersion, at, ...names.map((name) => columns[name])],
    );
    return rows[0]?.version;
  }

  /**
   * A sweep's ticket changes for a whole batch in one statement, each row guarded by the version
   * read; returns how many rows were written (fewer means another writer got there first).
   */
  async updateSweep(manager: EntityManager, rows: SweepRow[], at: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const [, count]: [unknown, number] = await manager.query(
      `UPDATE tickets t SET priority = u.priority, escalation_level = u.escalation_level, group_id = u.group_id,
         tier = u.tier, sla_due_at = u.sla_due_at, sla_next_check_at = u.sla_next_check_at,
         version = t.version + CASE WHEN u.changed THEN 1 ELSE 0 END,
         updated_at = CASE WHEN u.changed THEN $10::timestamptz ELSE t.updated_at END
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::smallint[], $5::uuid[], $6::smallint[], $7::timestamptz[],
         $8::timestamptz[], $9::boolean[])
         AS u(id, version, priority, escalation_level, group_id, tier, sla_due_at, sla_next_check_at, changed)
       WHERE t.id = u.id AND t.version = u.version`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.version),
        rows.map((row) => row.priority),
        rows.map((row) => row.escalationLevel),
        rows.map((row) => row.groupId),
        rows.map((row) => row.tier),
        rows.map((row) => row.slaDueAt),
        rows.map((row) => row.slaNextCheckAt),
        rows.map((row) => row.changed),
        at,
      ],
    );
    return count;
  }

  async categoryRules(manager: EntityManager | undefined, key: string): Promise<CategoryRules | undefined> {
    const [row] = await CATEGORY_RULES.run<CategoryRules[]>(manager ?? this.dataSource.manager, [key]);
    return row;
  }

  /** The category's rules, its tier-1 group and the SLA policies, for a ticket about to be created. */
  async creationContext(category: string): Promise<CreationContext> {
    const [row] = await CREATION_CONTEXT.run<CreationContext[]>(this.dataSource.manager, [category]);
    return { ...row, policies: toEnginePolicies(row.policies ?? []) };
  }

  /** The group of that tier covering the category (the longest-standing when several do). */
  async groupForTier(
    manager: EntityManager | undefined,
    category: string,
    tier: number,
  ): Promise<GroupRef | undefined> {
    const [row] = await GROUP_FOR_TIER.run<GroupRef[]>(manager ?? this.dataSource.manager, [tier, category]);
    return row;
  }

  async group(manager: EntityManager, id: string): Promise<GroupRef | undefined> {
    const [row] = await manager.query(`SELECT id, tier, categories FROM groups WHERE id = $1`, [id]);
    return row;
  }
}
