import type { Viewer } from '../auth/roles';
import { AppError } from '../common/errors/app-error';
import { type CursorPart, decodeCursor } from '../common/validation/list-query';
import type { ListTicketsQuery, TicketSort } from './dto/ticket.requests';

export interface ListSql {
  sql: string;
  params: unknown[];
  /** The keyset position of a row, for the next cursor. */
  position: (row: ListRow) => unknown[];
}

export interface ListRow {
  id: string;
  createdAt: Date;
  slaDueAt: Date | null;
  priorityRank: number;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/** Words of `q`: each must match (Chinese, Japanese, Korean by substring; others as a word prefix). */
export function searchTerms(q: string): { text: string; substring: boolean }[] {
  return q
    .toLowerCase()
    .split(/[\s,;，；。、]+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length > 0)
    .slice(0, 10)
    .map((text) => ({ text, substring: CJK.test(text) }));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

interface Keyset {
  order: string;
  /** Rows strictly after the cursor position ($a, $b, $c are the cursor's values). */
  after: (a: string, b: string, c: string) => string;
  position: (row: ListRow) => unknown[];
  casts: CursorPart[];
}

const KEYSETS: Record<TicketSort, Keyset> = {
  '-createdAt': {
    order: 't.created_at DESC, t.id DESC',
    after: (a, b) => `(t.created_at, t.id) < (${a}, ${b})`,
    position: (row) => [new Date(row.createdAt).toISOString(), row.id],
    casts: ['timestamptz', 'uuid'],
  },
  createdAt: {
    order: 't.created_at ASC, t.id ASC',
    after: (a, b) => `(t.created_at, t.id) > (${a}, ${b})`,
    position: (row) => [new Date(row.createdAt).toISOString(), row.id],
    casts: ['timestamptz', 'uuid'],
  },
  // The agent queue: nearest running deadline first, tickets without one last.
  slaDueAt: {
    order: 't.sla_due_at ASC NULLS LAST, t.id ASC',
    after: (a, b) =>
      `(CASE WHEN ${a} IS NULL THEN t.sla_due_at IS NULL AND t.id > ${b}
             ELSE t.sla_due_at IS NULL OR (t.sla_due_at, t.id) > (${a}, ${b}) END)`,
    position: (row) => [row.slaDueAt && new Date(row.slaDueAt).toISOString(), row.id],
    casts: ['timestamptz', 'uuid'],
  },
  '-priority': {
    order: 't.priority_rank DESC, t.created_at DESC, t.id DESC',
    after: (a, b, c) => `(t.priority_rank, t.created_at, t.id) < (${a}, ${b}, ${c})`,
    position: (row) => [row.priorityRank, new Date(row.createdAt).toISOString(), row.id],
    casts: ['smallint', 'timestamptz', 'uuid'],
  },
};

/**
 * The ticket list as one keyset-paginated query: filters, search and sort all use indexed
 * columns, and a page is the `limit + 1` rows after the cursor (stable under concurrent inserts).
 */
export function buildTicketList(query: ListTicketsQuery, viewer: Viewer): ListSql {
  const params: unknown[] = [];
  const param = (value: unknown, cast?: string) => {
    params.push(value);
    return cast ? `$${params.length}::${cast}` : `$${params.length}`;
  };
  const where: string[] = [];
  const staff = viewer.role !== 'customer';
  const requester = staff ? query.requesterId : viewer.id;

  if (requester !== undefined) where.push(`t.requester_id = ${param(requester)}`);
  if (query.status?.length) where.push(`t.status = ANY(${param(query.status, 'text[]')})`);
  if (query.category) where.push(`t.category = ${param(query.category)}`);
  if (query.priority) where.push(`t.priority = ${param(query.priority)}`);
  if (query.assigneeId) where.push(`t.assignee_id = ${param(query.assigneeId)}`);
  if (query.groupId) where.push(`t.group_id = ${param(query.groupId, 'uuid')}`);
  if (query.tag) where.push(`t.tags @> ARRAY[${param(query.tag)}]::text[]`);
  if (query.createdFrom) where.push(`t.created_at >= ${param(query.createdFrom, 'timestamptz')}`);
  if (query.createdTo) where.push(`t.created_at < ${param(query.createdTo, 'timestamptz')}`);
  // `sla_due_at` is the nearest due time among the running, unpaused timers (kept with every timer
  // change): a ticket is breached exactly when it has passed, which its partial index answers.
  if (query.breached === true) where.push(`t.sla_due_at <= now()`);
  if (query.breached === false) where.push(`(t.sla_due_at IS NULL OR t.sla_due_at > now())`);
  if (query.atRisk !== undefined) {
    const atRisk = `EXISTS (SELECT 1 FROM sla_timers s WHERE s.ticket_id = t.id AND s.running
         AND s.status = 'active' AND s.at_risk_at <= now() AND s.due_at > now())`;
    // An at-risk timer is running and unpaused, so the ticket has a due time: only those are looked at.
    where.push(query.atRisk ? `t.sla_due_at IS NOT NULL AND ${atRisk}` : `NOT ${atRisk}`);
  }
  const terms = searchTerms(query.q ?? '');
  // A query with no searchable word (only punctuation) matches nothing, not everything.
  if (query.q !== undefined && terms.length === 0) where.push('false');
  for (const term of terms) {
    const condition = term.substring
      ? (column: string) => `${column} LIKE ${param(`%${escapeLike(term.text)}%`)}`
      : (column: string) => `${column} ~ ${param(`(^|[^[:alnum:]_])${escapeRegex(term.text)}`)}`;
    where.push(
      staff
        ? `EXISTS (SELECT 1 FROM ticket_search x WHERE x.ticket_id = t.id AND (${condition('x.public_text')} OR ${condition('x.internal_text')}))`
        : `EXISTS (SELECT 1 FROM ticket_search x WHERE x.ticket_id = t.id AND ${condition('x.public_text')})`,
    );
  }

  const keyset = KEYSETS[query.sort];
  if (query.cursor) {
    // A cursor names its sort, so one issued by another sort of the same shape is refused.
    const [sort, ...values] = decodeCursor(query.cursor, ['text', ...keyset.casts]);
    if (sort !== query.sort) {
      throw AppError.validation([{ field: 'cursor', message: 'is not a cursor this list issued' }]);
    }
    const placeholders = values.map((value, index) => param(value, keyset.casts[index]));
    where.push(keyset.after(placeholders[0], placeholders[1], placeholders[2]));
  }
  const sql = `SELECT t.id, t.created_at AS "createdAt", t.sla_due_at AS "slaDueAt", t.priority_rank AS "priorityRank"
    FROM tickets t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${keyset.order} LIMIT ${param(query.limit + 1, 'int')}`;
  return { sql, params, position: (row) => [query.sort, ...keyset.position(row)] };
}
