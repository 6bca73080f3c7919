import type { Viewer } from '../../src/auth/roles';
import { AppError } from '../../src/common/errors/app-error';
import { encodeCursor } from '../../src/common/validation/list-query';
import type { ListTicketsQuery } from '../../src/tickets/dto/ticket.requests';
import { buildTicketList, type ListRow, searchTerms } from '../../src/tickets/ticket-list.query';

const AGENT: Viewer = { id: 'agent-7', role: 'agent', vip: 0 };
const CUSTOMER: Viewer = { id: 'cust-42', role: 'customer', vip: 0 };

/** A list query as the validation pipe leaves it: defaults limit 25 and sort -createdAt. */
function query(overrides: Partial<ListTicketsQuery> = {}): ListTicketsQuery {
  return { limit: 25, sort: '-createdAt', ...overrides };
}

const TICKET_ID = '0b6f2c1e-4a57-4d8e-9a53-2f1c8e7d6b10';
const GROUP_ID = '5d0c7f9a-1b2e-4c3d-8e4f-a5b6c7d8e9f0';
const WORD = '(^|[^[:alnum:]_])';

describe('searchTerms', () => {
  type Term = { text: string; substring: boolean };
  const word = (text: string): Term => ({ text, substring: false });
  const chinese = (text: string): Term => ({ text, substring: true });

  type Row = [scenario: string, q: string, terms: Term[]];
  it.each<Row>([
    ['English words are lower-cased', 'Withdrawal DELAYED', [word('withdrawal'), word('delayed')]],
    ['punctuation around words is trimmed', '"Hello", world!?', [word('hello'), word('world')]],
    ['punctuation inside a word is kept', 'TRC-20 e-mail', [word('trc-20'), word('e-mail')]],
    [
      'several spaces, tabs and commas separate words',
      '  usdt,\ttron ;  fee ',
      [word('usdt'), word('tron'), word('fee')],
    ],
    ['Chinese is kept as a substring term', '提现', [chinese('提现')]],
    ['mixed Chinese and English', '提现 USDT', [chinese('提现'), word('usdt')]],
    ['Chinese punctuation separates terms', '提现，到账。', [chinese('提现'), chinese('到账')]],
    ['a transaction hash is one lower-cased word', '0xC698E5B69FDA9DF9', [word('0xc698e5b69fda9df9')]],
    [
      // 12 words given → the first 10 kept
      'at most 10 terms',
      'one two three four five six seven eight nine ten eleven twelve',
      ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map(word),
    ],
    ['only punctuation → none', '!!! ... -- ？', []],
    ['empty → none', '', []],
  ])('%s', (_scenario, q, terms) => {
    expect(searchTerms(q)).toEqual(terms);
  });
});

describe('buildTicketList filters', () => {
  // An agent with one filter: the filter is $1 and the limit $2 (25 + 1 = 26).
  type Row = [filter: string, overrides: Partial<ListTicketsQuery>, condition: string, params: unknown[]];
  it.each<Row>([
    ['status', { status: ['open', 'pending'] }, 't.status = ANY($1::text[])', [['open', 'pending']]],
    ['category', { category: 'kyc' }, 't.category = $1', ['kyc']],
    ['priority', { priority: 'high' }, 't.priority = $1', ['high']],
    ['assigneeId', { assigneeId: 'agent-9' }, 't.assignee_id = $1', ['agent-9']],
    ['groupId', { groupId: GROUP_ID }, 't.group_id = $1::uuid', [GROUP_ID]],
    ['requesterId', { requesterId: "cust-77' OR '1'='1" }, 't.requester_id = $1', ["cust-77' OR '1'='1"]],
    ['tag', { tag: "vip');DROP--" }, 't.tags @> ARRAY[$1]::text[]', ["vip');DROP--"]],
    [
      'createdFrom (inclusive)',
      { createdFrom: '2025-03-01T00:00:00Z' },
      't.created_at >= $1::timestamptz',
      ['2025-03-01T00:00:00Z'],
    ],
    [
      'createdTo (exclusive)',
      { createdTo: '2025-03-08T00:00:00Z' },
      't.created_at < $1::timestamptz',
      ['2025-03-08T00:00:00Z'],
    ],
    [
      // staff search public and internal text: one parameter each, prefix of a word
      'q (agent: public and internal text)',
      { q: "o'brien" },
      'x.public_text ~ $1 OR x.internal_text ~ $2',
      [`${WORD}o'brien`, `${WORD}o'brien`],
    ],
  ])('%s adds its condition with a parameter', (_filter, overrides, condition, params) => {
    const list = buildTicketList(query(overrides), AGENT);

    expect({ hasCondition: list.sql.includes(condition), params: list.params }).toEqual({
      hasCondition: true,
      params: [...params, 26],
    });
  });

  type Inlined = [filter: string, overrides: Partial<ListTicketsQuery>, raw: string];
  it.each<Inlined>([
    ['q', { q: "o'brien" }, "o'brien"],
    ['q (Chinese)', { q: '提现' }, '提现'],
    ['tag', { tag: "vip');DROP--" }, "vip');DROP--"],
    ['requesterId', { requesterId: "cust-77' OR '1'='1" }, 'cust-77'],
    ['assigneeId', { assigneeId: 'agent-9' }, 'agent-9'],
  ])('never inlines the value of %s into the SQL', (_filter, overrides, raw) => {
    expect(buildTicketList(query(overrides), AGENT).sql).not.toContain(raw);
  });

  it('all filters together: one parameter each, in order, then the limit', () => {
    const list = buildTicketList(
      query({
        requesterId: 'cust-77',
        status: ['open'],
        category: 'kyc',
        priority: 'low',
        assigneeId: 'agent-9',
        groupId: GROUP_ID,
        tag: 'vip',
        createdFrom: '2025-03-01T00:00:00Z',
        createdTo: '2025-03-08T00:00:00Z',
      }),
      AGENT,
    );

    // 9 filters → $1..$9, limit $10 = 26
    expect({ params: list.params, limit: list.sql.includes('LIMIT $10::int') }).toEqual({
      params: [
        'cust-77',
        ['open'],
        'kyc',
        'low',
        'agent-9',
        GROUP_ID,
        'vip',
        '2025-03-01T00:00:00Z',
        '2025-03-08T00:00:00Z',
        26,
      ],
      limit: true,
    });
  });

  // breached: the ticket's nearest running, unpaused due time (sla_due_at, indexed) has passed.
  it.each<[filter: string, overrides: Partial<ListTicketsQuery>, condition: string]>([
    ['breached=true', { breached: true }, 'WHERE t.sla_due_at <= now() ORDER BY'],
    ['breached=false', { breached: false }, 'WHERE (t.sla_due_at IS NULL OR t.sla_due_at > now()) ORDER BY'],
  ])('%s compares the indexed due time with the database clock, no parameter', (_f, overrides, condition) => {
    const list = buildTicketList(query(overrides), AGENT);

    expect({
      condition: list.sql.replace(/\s+/g, ' ').includes(condition),
      timers: list.sql.includes('sla_timers'),
      params: list.params,
    }).toEqual({ condition: true, timers: false, params: [26] });
  });

  // atRisk: an active timer past its at-risk point, not yet due; only tickets with a due time can be.
  it.each<[filter: string, overrides: Partial<ListTicketsQuery>, negated: boolean, prefilter: boolean]>([
    ['atRisk=true', { atRisk: true }, false, true],
    ['atRisk=false', { atRisk: false }, true, false],
  ])('%s compares with the database clock and takes no parameter', (_f, overrides, negated, prefilter) => {
    const list = buildTicketList(query(overrides), AGENT);

    expect({
      exists: list.sql.includes('EXISTS (SELECT 1 FROM sla_timers s'),
      negated: list.sql.includes('NOT EXISTS'),
      comparison: list.sql.includes('s.at_risk_at <= now() AND s.due_at > now()'),
      prefilter: list.sql.includes('t.sla_due_at IS NOT NULL AND EXISTS'),
      params: list.params,
    }).toEqual({ exists: true, negated, comparison: true, prefilter, params: [26] });
  });

  it('without filters there is no WHERE clause, only the limit parameter', () => {
    const list = buildTicketList(query(), AGENT);

    expect({ where: list.sql.includes('WHERE'), params: list.params }).toEqual({
      where: false,
      params: [26],
    });
  });
});

describe('buildTicketList for a customer', () => {
  it('is restricted to their own requester id even when they pass another', () => {
    const list = buildTicketList(query({ requesterId: 'cust-77' }), CUSTOMER);

    expect({
      condition: list.sql.includes('t.requester_id = $1'),
      params: list.params,
      inlined: list.sql.includes('cust-'),
    }).toEqual({ condition: true, params: ['cust-42', 26], inlined: false });
  });

  it('is restricted to their own requester id when they pass none', () => {
    const list = buildTicketList(query(), CUSTOMER);

    expect({ condition: list.sql.includes('t.requester_id = $1'), params: list.params }).toEqual({
      condition: true,
      params: ['cust-42', 26],
    });
  });

  it('searches public text only, never internal notes', () => {
    // $1 requester, $2 the search term, $3 the limit
    const list = buildTicketList(query({ q: 'withdrawal' }), CUSTOMER);

    expect({
      publicText: list.sql.includes('x.public_text ~ $2'),
      internalText: list.sql.includes('internal_text'),
      params: list.params,
    }).toEqual({ publicText: true, internalText: false, params: ['cust-42', `${WORD}withdrawal`, 26] });
  });

  it('a staff member with no requesterId sees every requester', () => {
    expect(buildTicketList(query(), AGENT).sql).not.toContain('requester_id');
  });
});

describe('buildTicketList search', () => {
  it('each term is its own condition: Chinese by substring, English by word prefix', () => {
    // 提现 → LIKE '%提现%' ($1 public, $2 internal); usdt → regex ($3, $4); limit $5
    const list = buildTicketList(query({ q: '提现 USDT' }), AGENT);

    expect({
      like: list.sql.includes('x.public_text LIKE $1 OR x.internal_text LIKE $2'),
      regex: list.sql.includes('x.public_text ~ $3 OR x.internal_text ~ $4'),
      params: list.params,
    }).toEqual({
      like: true,
      regex: true,
      params: ['%提现%', '%提现%', `${WORD}usdt`, `${WORD}usdt`, 26],
    });
  });

  it('escapes regular-expression characters in a word', () => {
    // "a.b" must match the text "a.b", not "axb"
    expect(buildTicketList(query({ q: 'a.b' }), CUSTOMER).params[1]).toBe(`${WORD}a\\.b`);
  });

  it('escapes LIKE wildcards in a Chinese term', () => {
    // 提现_100 → the underscore is literal: %提现\_100%
    expect(buildTicketList(query({ q: '提现_100' }), CUSTOMER).params[1]).toBe('%提现\\_100%');
  });

  it('a q of only punctuation matches nothing, not everything', () => {
    const list = buildTicketList(query({ q: '?!…' }), AGENT);

    expect({ where: /WHERE false\s/.test(list.sql), params: list.params }).toEqual({
      where: true,
      params: [26],
    });
  });
});

describe('buildTicketList sorting and paging', () => {
  type Sort = [sort: ListTicketsQuery['sort'], order: string];
  it.each<Sort>([
    ['-createdAt', 'ORDER BY t.created_at DESC, t.id DESC'],
    ['createdAt', 'ORDER BY t.created_at ASC, t.id ASC'],
    // the agent queue: nearest deadline first, tickets without one last
    ['slaDueAt', 'ORDER BY t.sla_due_at ASC NULLS LAST, t.id ASC'],
    ['-priority', 'ORDER BY t.priority_rank DESC, t.created_at DESC, t.id DESC'],
  ])('sort %s → %s', (sort, order) => {
    expect(buildTicketList(query({ sort }), AGENT).sql).toContain(order);
  });

  it.each([
    [1, 2],
    [25, 26],
    [100, 101],
  ])('limit %i asks for %i rows (limit + 1, the extra one tells there is a next page)', (limit, rows) => {
    const list = buildTicketList(query({ limit }), AGENT);

    expect({ last: list.params.at(-1), sql: /LIMIT \$1::int$/.test(list.sql) }).toEqual({
      last: rows,
      sql: true,
    });
  });

  const ROW: ListRow = {
    id: TICKET_ID,
    createdAt: new Date('2025-03-03T10:00:00.000Z'),
    slaDueAt: new Date('2025-03-04T10:00:00.000Z'),
    priorityRank: 2,
  };

  type Position = [sort: ListTicketsQuery['sort'], row: ListRow, position: unknown[]];
  it.each<Position>([
    ['-createdAt', ROW, ['2025-03-03T10:00:00.000Z', TICKET_ID]],
    ['createdAt', ROW, ['2025-03-03T10:00:00.000Z', TICKET_ID]],
    ['slaDueAt', ROW, ['2025-03-04T10:00:00.000Z', TICKET_ID]],
    ['slaDueAt', { ...ROW, slaDueAt: null }, [null, TICKET_ID]],
    ['-priority', ROW, [2, '2025-03-03T10:00:00.000Z', TICKET_ID]],
  ])('sort %s: a row’s keyset position', (sort, row, position) => {
    // The cursor's position names its sort first.
    expect(buildTicketList(query({ sort }), AGENT).position(row)).toEqual([sort, ...position]);
  });

  it('a cursor of the same sort continues after its position, as parameters', () => {
    const cursor = encodeCursor(['-createdAt', '2025-03-03T10:00:00.000Z', TICKET_ID]);

    const list = buildTicketList(query({ cursor }), AGENT);

    expect({
      after: list.sql.includes('(t.created_at, t.id) < ($1::timestamptz, $2::uuid)'),
      params: list.params,
    }).toEqual({ after: true, params: ['2025-03-03T10:00:00.000Z', TICKET_ID, 26] });
  });

  it('a slaDueAt cursor of a ticket without a deadline continues among those without one', () => {
    const cursor = encodeCursor(['slaDueAt', null, TICKET_ID]);

    const list = buildTicketList(query({ sort: 'slaDueAt', cursor }), AGENT);

    expect({ case: list.sql.includes('CASE WHEN $1::timestamptz IS NULL'), params: list.params }).toEqual({
      case: true,
      params: [null, TICKET_ID, 26],
    });
  });

  type Rejected = [scenario: string, sort: ListTicketsQuery['sort'], cursor: string];
  it.each<Rejected>([
    [
      'a -priority cursor on the -createdAt list',
      '-createdAt',
      encodeCursor(['-priority', 2, '2025-03-03T10:00:00.000Z', TICKET_ID]),
    ],
    [
      'a -createdAt cursor on the -priority list',
      '-priority',
      encodeCursor(['-createdAt', '2025-03-03T10:00:00.000Z', TICKET_ID]),
    ],
    ['a slaDueAt cursor on the -priority list', '-priority', encodeCursor(['slaDueAt', null, TICKET_ID])],
    ['something that is not a cursor', '-createdAt', 'not-a-cursor'],
  ])('rejects %s as a validation error on cursor', (_scenario, sort, cursor) => {
    let thrown: unknown;
    try {
      buildTicketList(query({ sort, cursor }), AGENT);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect({ code: (thrown as AppError).code, errors: (thrown as AppError).extensions.errors }).toEqual({
      code: 'validation_failed',
      errors: [{ field: 'cursor', message: 'is not a cursor this list issued' }],
    });
  });

  it('rejects a cursor of another sort with the same shape (a -createdAt cursor on the createdAt list)', () => {
    const cursor = encodeCursor(['-createdAt', '2025-03-03T10:00:00.000Z', TICKET_ID]);
    expect(() => buildTicketList(query({ sort: 'createdAt', cursor }), AGENT)).toThrow(AppError);
  });
});
