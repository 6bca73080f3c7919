import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { QueryFailedError } from 'typeorm';
import { toProblem } from '../../src/common/errors/problem';
import { openTicket, ticketBody } from '../support/given';
import { type Session, TestApp, TestClock } from '../support/test-app';

/**
 * Hostile JSON bodies, endpoint by endpoint (SPEC §2): JSON `null` where a value is optional, wrong
 * types, huge strings and unknown fields are a 400 problem naming each field, and change nothing.
 * Only where null means something (`assigneeId: null` unassigns) is it accepted.
 *
 * The PostgreSQL database is shared by the suites of a run: everything made here is made for this
 * suite (fresh customers, a category of its own) and removed afterwards.
 */

const PROBLEM = 'application/problem+json';
const HUGE = 'x'.repeat(100_000);

type Body = Record<string, unknown>;

/** The fields a 400 names, each once (a field failing several rules has one message per rule). */
function fieldsOf(res: Response): string[] {
  return [...new Set(((res.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field))];
}

/** A 400 validation problem that names every one of `fields`. */
function expectInvalid(res: Response, ...fields: string[]): void {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status: 400,
    body: { status: 400, type: expect.stringMatching(/validation_failed$/) },
  });
  expect(res.headers['content-type']).toContain(PROBLEM);
  expect(fieldsOf(res)).toEqual(expect.arrayContaining(fields));
}

/** Any 400 problem: a body that is not even JSON of the right shape has no field to name. */
function expectBadRequest(res: Response): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { status: 400 } });
  expect(res.headers['content-type']).toContain(PROBLEM);
}

/** `[name, body, field the 400 names]` rows: a valid body with one member made null. */
function nulls(fields: string[]): [string, Body, string][] {
  return fields.map((field) => [field, { [field]: null }, field]);
}

/** Members no body has: refused on every endpoint (SPEC §2), server-owned ones included. */
const UNKNOWN_FIELDS: [string, Body, string][] = [
  ['an unknown field', { colour: 'red' }, 'colour'],
  ['a server-owned field', { id: randomUUID() }, 'id'],
  ['an unknown nested object', { extra: { a: 1 } }, 'extra'],
];

/**
 * Whole bodies that are not an object: never reach a service. A body of JSON `null` is left out:
 * Nest's ValidationPipe reads it as an absent body, `{}`, so a PATCH with it is an empty PATCH
 * (no 500; a 400 would need the pipe in src/common/validation/validation.ts to refuse it).
 */
const NOT_OBJECTS: [string, string][] = [
  ['an array', '[]'],
  ['an array of objects', '[{"name":"x"}]'],
  ['a string', '"text"'],
  ['a number', '42'],
  ['true', 'true'],
  ['a __proto__ key', '{"__proto__":{"admin":true}}'],
  ['a constructor key', '{"constructor":{"prototype":{"admin":true}}}'],
];

function sendRaw(session: Session, method: 'post' | 'patch', url: string, json: string) {
  return session[method](url).set('Content-Type', 'application/json').send(json);
}

describe('input validation', () => {
  let t: TestApp;
  let admin: Session;
  let supervisor: Session;
  let agent: Session;
  let customer: Session;
  const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
  /** Resources this suite made, deleted in reverse order: the policy before the category it uses. */
  const cleanup: string[] = [];
  let logged = 0;

  beforeAll(async () => {
    // Hundreds of requests a minute from one admin: the rate limiter is not under test here.
    t = await TestApp.start({ WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT_PER_MINUTE: '0' }, { clock });
    [admin, supervisor, agent] = await Promise.all([t.as('admin'), t.as('supervisor'), t.as('agent')]);
  });
  afterAll(async () => {
    for (const url of cleanup.reverse()) await admin.delete(url);
    await t.close();
  });
  beforeEach(async () => {
    customer = await t.as('customer');
    logged = t.logs.length;
  });
  afterEach(() => {
    // Whatever the answer was, no request of the test was a 5xx.
    const failures = t.logs.slice(logged).filter((line) => /"status":5\d\d/.test(line));
    expect(failures).toEqual([]);
  });

  /** The resource as an agent (or admin) reads it, with its ETag when it has one. */
  async function snapshot(session: Session, url: string) {
    const res = await session.get(url).expect(200);
    return { etag: res.headers['etag'] as string | undefined, body: res.body as unknown };
  }

  describe('POST /v1/tickets', () => {
    const FIELDS = [
      'category',
      'subcategory',
      'subject',
      'description',
      'channel',
      'priority',
      'locale',
      'fields',
      'tags',
      'requesterId',
    ];

    /** An agent opens tickets for a requester of its own, so "nothing was opened" can be listed. */
    async function expectNoTicketFor(requesterId: string): Promise<void> {
      const list = await agent.get(`/v1/tickets?requesterId=${requesterId}`).expect(200);
      expect(list.body.data).toEqual([]);
    }

    it.each(nulls(FIELDS))('is 400 on null %s (agent), and opens nothing', async (_name, patch, field) => {
      const requesterId = `cust-${randomUUID()}`;
      const res = await agent.post('/v1/tickets', { ...ticketBody({ requesterId }), ...patch });
      expectInvalid(res, field);
      await expectNoTicketFor(requesterId);
    });

    it.each(nulls(FIELDS.filter((field) => field !== 'requesterId')))(
      'is 400 on null %s (customer), and opens nothing',
      async (_name, patch, field) => {
        const res = await customer.post('/v1/tickets', { ...ticketBody(), ...patch });
        expectInvalid(res, field);
        expect((await customer.get('/v1/tickets').expect(200)).body.data).toEqual([]);
      },
    );

    it.each<[string, Body, string]>([
      ['a number for the subject', { subject: 123 }, 'subject'],
      ['an array for the description', { description: ['x'] }, 'description'],
      ['a boolean for the channel', { channel: true }, 'channel'],
      ['an unknown channel', { channel: 'fax' }, 'channel'],
      ['a number for the priority', { priority: 1 }, 'priority'],
      ['an array for fields', { fields: [] }, 'fields'],
      ['a string for fields', { fields: 'currency=USDT' }, 'fields'],
      ['null for a field value', { fields: { currency: null, orderId: 'ORD-1' } }, 'fields.currency'],
      [
        'an object for a field value',
        { fields: { currency: { a: 1 }, orderId: 'ORD-1' } },
        'fields.currency',
      ],
      ['an array for a field value', { fields: { currency: 'USDT', orderId: ['ORD-1'] } }, 'fields.orderId'],
      ['an object for tags', { tags: {} }, 'tags'],
      ['a string for tags', { tags: 'vip' }, 'tags'],
      ['null in tags', { tags: [null] }, 'tags'],
      ['numbers in tags', { tags: [1, 2] }, 'tags'],
      ['too many tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      ['a huge subject', { subject: HUGE }, 'subject'],
      ['a huge description', { description: HUGE }, 'description'],
      ['a huge locale', { locale: HUGE }, 'locale'],
      ['a huge field value', { fields: { currency: 'USDT', orderId: HUGE } }, 'fields.orderId'],
      ['a blank subject', { subject: '   ' }, 'subject'],
      // PostgreSQL cannot store NUL: refused up front and named, not left to the database.
      ['a NUL in the subject', { subject: 'a\u0000b' }, 'subject'],
      ['a NUL in the description', { description: 'line one\nline\u0000two' }, 'description'],
      ['a NUL in a tag', { tags: ['a\u0000b'] }, 'tags'],
      ['a control character in a tag', { tags: ['a\u0001b'] }, 'tags'],
      // A lone UTF-16 surrogate is no character: it would be stored as U+FFFD.
      ['a lone surrogate in the subject', { subject: 'deposit \ud800 missing' }, 'subject'],
      ['a lone surrogate in the description', { description: 'sent \udc00 USDT' }, 'description'],
      ['a lone surrogate in a tag', { tags: ['usdt\ud83d'] }, 'tags'],
      ['a blank description', { description: ' \n\t\r\n ' }, 'description'],
      ['a description of ideographic spaces', { description: '\u3000\u3000' }, 'description'],
      ['a status on create', { status: 'open' }, 'status'],
      ['an escalation level', { escalationLevel: 3 }, 'escalationLevel'],
      ['an sla', { sla: {} }, 'sla'],
      ...UNKNOWN_FIELDS,
    ])('is 400 on %s, and opens nothing', async (_name, patch, field) => {
      const res = await customer.post('/v1/tickets', { ...ticketBody(), ...patch });
      expectInvalid(res, field);
      expect((await customer.get('/v1/tickets').expect(200)).body.data).toEqual([]);
    });

    it.each(NOT_OBJECTS)('is 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(customer, 'post', '/v1/tickets', json));
      expectBadRequest(await sendRaw(agent, 'post', '/v1/tickets', json));
      expect((await customer.get('/v1/tickets').expect(200)).body.data).toEqual([]);
    });

    it.each<[string, unknown]>([
      ['a number', 42],
      ['an empty string', ''],
      ['a huge string', HUGE],
      ['a NUL', 'cust\u0000'],
      ['an object', { id: 'cust-1' }],
    ])('is 400 on %s for requesterId (agent), and opens nothing', async (_name, requesterId) => {
      expectInvalid(await agent.post('/v1/tickets', ticketBody({ requesterId })), 'requesterId');
    });

    it('still takes free text with line breaks, tabs and any script', async () => {
      const description = 'Line one\n\tindented line 二\r\nlast line 🚀';
      const ticket = await openTicket(customer, { description });
      expect(ticket.description).toBe(description);
    });

    it('keeps characters outside the BMP (surrogate pairs) in the subject, tags and messages', async () => {
      const ticket = await openTicket(customer, { subject: 'Withdrawal 🚀 stuck 𠀀', tags: ['🚀'] });
      expect(ticket).toMatchObject({ subject: 'Withdrawal 🚀 stuck 𠀀', tags: ['🚀'] });
      const message = await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: '𝄞 ok' }).expect(201);
      expect(message.body.body).toBe('𝄞 ok');
    });

    it('names every null field at once', async () => {
      const res = await agent.post('/v1/tickets', {
        ...ticketBody({ requesterId: `cust-${randomUUID()}` }),
        channel: null,
        priority: null,
        locale: null,
        tags: null,
      });
      expectInvalid(res, 'channel', 'priority', 'locale', 'tags');
    });
  });

  describe('GET /v1/tickets', () => {
    it.each<[string, string, string]>([
      ['an offset past +14:00', 'createdFrom=2024-01-01T00:00:00%2B23:00', 'createdFrom'],
      ['an offset PostgreSQL refuses (22009)', 'createdTo=2024-01-01T00:00:00-16:00', 'createdTo'],
      ['an offset with 60 minutes', 'createdFrom=2024-01-01T00:00:00%2B05:60', 'createdFrom'],
      ['a day that does not exist', 'createdFrom=2023-02-29T00:00:00Z', 'createdFrom'],
      ['a week date', 'createdTo=2024-W01-1', 'createdTo'],
      ['year zero', 'createdFrom=0000-01-01T00:00:00Z', 'createdFrom'],
    ])('is 400 on %s, naming the field', async (_name, query, field) => {
      expectInvalid(await agent.get(`/v1/tickets?${query}`), field);
    });

    it.each([
      '2024-01-01',
      '2024-01-01T00:00:00Z',
      '2024-01-01T09:00:00.123%2B14:00',
      '2024-01-01T09:00:00-12:00',
      '2024-01-01T09:00:00%2B0530',
    ])('takes createdFrom=%s', async (value) => {
      await agent.get(`/v1/tickets?createdFrom=${value}&createdTo=2999-01-01T00:00:00Z`).expect(200);
    });
  });

  describe('PATCH /v1/tickets/{id}', () => {
    const FIELDS = ['status', 'priority', 'category', 'subcategory', 'groupId', 'tags'];

    /** A ticket an agent has worked on, so every field holds a value null could wipe. */
    async function givenTicket() {
      const ticket = await openTicket(customer, { tags: ['usdt'] });
      const url = `/v1/tickets/${ticket.id}`;
      await agent.patch(url, { status: 'open', assigneeId: agent.id }).expect(200);
      return { url, before: await snapshot(agent, url) };
    }

    it.each(nulls(FIELDS))('is 400 on null %s, and changes nothing', async (_name, patch, field) => {
      const { url, before } = await givenTicket();
      expectInvalid(await agent.patch(url, patch), field);
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('is 400 on status null from the customer too (not 403 or 409)', async () => {
      const { url, before } = await givenTicket();
      expectInvalid(await customer.patch(url, { status: null }), 'status');
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('applies nothing of a body with one valid and one null member', async () => {
      const { url, before } = await givenTicket();
      const res = await agent
        .patch(url, { priority: 'high', tags: ['a'], status: null })
        .set('If-Match', before.etag!);
      expectInvalid(res, 'status');
      expect(fieldsOf(res)).toEqual(['status']);
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it.each<[string, Body, string]>([
      ['an unknown status', { status: 'reopened' }, 'status'],
      ['an array for the status', { status: ['open'] }, 'status'],
      ['a number for the priority', { priority: 2 }, 'priority'],
      ['an upper-case priority', { priority: 'HIGH' }, 'priority'],
      ['a number for the category', { category: 7 }, 'category'],
      ['an object for the subcategory', { subcategory: { key: 'spot' } }, 'subcategory'],
      ['a number for the assignee', { assigneeId: 42 }, 'assigneeId'],
      ['an empty assignee', { assigneeId: '' }, 'assigneeId'],
      ['a huge assignee', { assigneeId: HUGE }, 'assigneeId'],
      ['an object for the assignee', { assigneeId: {} }, 'assigneeId'],
      ['a NUL in the assignee', { assigneeId: 'agent\u0000' }, 'assigneeId'],
      ['a NUL in a tag', { tags: ['a\u0000b'] }, 'tags'],
      ['a lone surrogate in a tag', { tags: ['a\ud800'] }, 'tags'],
      ['a lone surrogate in the assignee', { assigneeId: 'agent-\udfff' }, 'assigneeId'],
      ['a group id that is not a UUID', { groupId: 'tier-2' }, 'groupId'],
      ['a group that does not exist', { groupId: randomUUID() }, 'groupId'],
      ['an object for tags', { tags: { a: 1 } }, 'tags'],
      ['a huge tag', { tags: [HUGE] }, 'tags'],
      ['the requester', { requesterId: 'someone-else' }, 'requesterId'],
      ['the version', { version: 99 }, 'version'],
      ['the SLA', { sla: null }, 'sla'],
      ...UNKNOWN_FIELDS,
    ])('is 400 on %s, and changes nothing', async (_name, patch, field) => {
      const { url, before } = await givenTicket();
      expectInvalid(await agent.patch(url, patch), field);
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it.each(NOT_OBJECTS)('is 400 on a body that is %s, and changes nothing', async (_name, json) => {
      const { url, before } = await givenTicket();
      expectBadRequest(await sendRaw(agent, 'patch', url, json));
      expectBadRequest(await sendRaw(customer, 'patch', url, json));
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('is 400, not 403, on an unknown field from the customer', async () => {
      const { url, before } = await givenTicket();
      expectInvalid(await customer.patch(url, { colour: 'red' }), 'colour');
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('accepts assigneeId null: it unassigns, recorded in the timeline', async () => {
      const { url, before } = await givenTicket();
      expect((before.body as { assigneeId: string }).assigneeId).toBe(agent.id);
      const res = await agent.patch(url, { assigneeId: null }).set('If-Match', before.etag!).expect(200);
      expect(res.body.assigneeId).toBeNull();
      expect(res.headers['etag']).not.toBe(before.etag);
      const events = await agent.get(`${url}/events`).expect(200);
      expect(events.body.data.at(-1)).toMatchObject({
        type: 'ticket.assigned',
        data: { from: agent.id, to: null },
      });
      // Unassigning an unassigned ticket changes nothing.
      const again = await agent.patch(url, { assigneeId: null }).expect(200);
      expect(again.headers['etag']).toBe(res.headers['etag']);
      expect((await agent.get(url).expect(200)).body.assigneeId).toBeNull();
    });

    it('accepts assigneeId null with other changes, and still refuses it from a customer (403)', async () => {
      const { url } = await givenTicket();
      const res = await agent.patch(url, { assigneeId: null, priority: 'high' }).expect(200);
      expect(res.body).toMatchObject({ assigneeId: null, priority: 'high' });
      await customer.patch(url, { assigneeId: null }).expect(403);
    });
  });

  describe('POST /v1/tickets/{id}/messages', () => {
    async function givenTicket() {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      return {
        url,
        before: await snapshot(agent, url),
        messages: await snapshot(agent, `${url}/messages`),
      };
    }

    async function expectUnchanged(given: Awaited<ReturnType<typeof givenTicket>>): Promise<void> {
      expect(await snapshot(agent, given.url)).toEqual(given.before);
      expect(await snapshot(agent, `${given.url}/messages`)).toEqual(given.messages);
    }

    it.each(nulls(['body', 'visibility', 'attachmentIds']))(
      'is 400 on null %s, and posts nothing',
      async (_name, patch, field) => {
        const given = await givenTicket();
        expectInvalid(await agent.post(`${given.url}/messages`, { body: 'Hello', ...patch }), field);
        expectInvalid(await customer.post(`${given.url}/messages`, { body: 'Hello', ...patch }), field);
        await expectUnchanged(given);
      },
    );

    it('is 400 on null visibility with an Idempotency-Key, and stores no response to replay', async () => {
      const given = await givenTicket();
      const key = randomUUID();
      const first = await agent
        .post(`${given.url}/messages`, { body: 'Hello', visibility: null })
        .set('Idempotency-Key', key);
      expectInvalid(first, 'visibility');
      await expectUnchanged(given);
      const real = await agent
        .post(`${given.url}/messages`, { body: 'Hello', visibility: 'internal' })
        .set('Idempotency-Key', key)
        .expect(201);
      expect(real.headers['idempotent-replayed']).toBeUndefined();
      expect(real.body.visibility).toBe('internal');
    });

    it.each<[string, Body, string]>([
      ['a number for the body', { body: 1 }, 'body'],
      ['an object for the body', { body: { text: 'hi' } }, 'body'],
      ['an empty body', { body: '' }, 'body'],
      ['a huge body', { body: HUGE }, 'body'],
      ['a NUL in the body', { body: 'a\u0000b' }, 'body'],
      ['a blank body', { body: '  \n\t ' }, 'body'],
      ['a lone surrogate in the body', { body: 'thanks \ud800' }, 'body'],
      ['an unknown visibility', { visibility: 'private' }, 'visibility'],
      ['a boolean visibility', { visibility: true }, 'visibility'],
      ['a string for attachmentIds', { attachmentIds: randomUUID() }, 'attachmentIds'],
      ['numbers in attachmentIds', { attachmentIds: [1] }, 'attachmentIds'],
      ['null in attachmentIds', { attachmentIds: [null] }, 'attachmentIds'],
      ['an attachment that does not exist', { attachmentIds: [randomUUID()] }, 'attachmentIds'],
      ['the author', { authorId: 'agent-1' }, 'authorId'],
      ...UNKNOWN_FIELDS,
    ])('is 400 on %s, and posts nothing', async (_name, patch, field) => {
      const given = await givenTicket();
      expectInvalid(await agent.post(`${given.url}/messages`, { body: 'Hello', ...patch }), field);
      await expectUnchanged(given);
    });

    it.each(NOT_OBJECTS)('is 400 on a body that is %s', async (_name, json) => {
      const given = await givenTicket();
      expectBadRequest(await sendRaw(agent, 'post', `${given.url}/messages`, json));
      await expectUnchanged(given);
    });

    it('still defaults an absent visibility to public', async () => {
      const given = await givenTicket();
      const res = await agent.post(`${given.url}/messages`, { body: 'Hello' }).expect(201);
      expect(res.body.visibility).toBe('public');
    });
  });

  describe('POST /v1/tickets/{id}/satisfaction', () => {
    async function givenSolvedTicket() {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await agent.patch(url, { status: 'solved' }).expect(200);
      return { url, before: await snapshot(agent, url) };
    }

    it.each<[string, Body, string]>([
      ['null rating', { rating: null }, 'rating'],
      ['a string rating', { rating: '5' }, 'rating'],
      ['a fractional rating', { rating: 4.5 }, 'rating'],
      ['a rating of 6', { rating: 6 }, 'rating'],
      ['an array rating', { rating: [5] }, 'rating'],
      ['a number comment', { rating: 5, comment: 5 }, 'comment'],
      ['an object comment', { rating: 5, comment: { text: 'ok' } }, 'comment'],
      ['a huge comment', { rating: 5, comment: HUGE }, 'comment'],
      ['a NUL in the comment', { rating: 5, comment: 'a\u0000b' }, 'comment'],
      ...UNKNOWN_FIELDS.map(([name, body, field]): [string, Body, string] => [
        name,
        { rating: 5, ...body },
        field,
      ]),
    ])('is 400 on %s, and rates nothing', async (_name, body, field) => {
      const { url, before } = await givenSolvedTicket();
      expectInvalid(await customer.post(`${url}/satisfaction`, body), field);
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it.each(NOT_OBJECTS)('is 400 on a body that is %s', async (_name, json) => {
      const { url, before } = await givenSolvedTicket();
      expectBadRequest(await sendRaw(customer, 'post', `${url}/satisfaction`, json));
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('accepts comment null as no comment: stored and recorded as when it is left out', async () => {
      const rated = async (body: Body) => {
        const { url } = await givenSolvedTicket();
        const res = await customer.post(`${url}/satisfaction`, body).expect(201);
        const events = await agent.get(`${url}/events`).expect(200);
        const event = events.body.data.find((e: { type: string }) => e.type === 'ticket.satisfaction');
        return { comment: res.body.satisfaction.comment, event: event.data };
      };
      const withNull = await rated({ rating: 4, comment: null });
      expect(withNull.comment).toBeNull();
      expect(withNull).toEqual(await rated({ rating: 4 }));
    });
  });

  describe.each(['escalate', 'de-escalate'])('POST /v1/tickets/{id}/%s', (action) => {
    it.each<[string, Body, string]>([
      ['null reason', { reason: null }, 'reason'],
      ['no reason', {}, 'reason'],
      ['a number reason', { reason: 1 }, 'reason'],
      ['an array reason', { reason: ['VIP'] }, 'reason'],
      ['an empty reason', { reason: '' }, 'reason'],
      ['a huge reason', { reason: HUGE }, 'reason'],
      ['a level', { reason: 'VIP', level: 3 }, 'level'],
      ...UNKNOWN_FIELDS.map(([name, body, field]): [string, Body, string] => [
        name,
        { reason: 'VIP', ...body },
        field,
      ]),
    ])('is 400 on %s, and changes nothing', async (_name, body, field) => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const before = await snapshot(agent, url);
      expectInvalid(await supervisor.post(`${url}/${action}`, body), field);
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it.each(NOT_OBJECTS)('is 400 on a body that is %s', async (_name, json) => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const before = await snapshot(agent, url);
      expectBadRequest(await sendRaw(supervisor, 'post', `${url}/${action}`, json));
      expect(await snapshot(agent, url)).toEqual(before);
    });
  });

  describe('groups', () => {
    /** Tier 3 with no categories: no ticket of another suite is ever routed to it. */
    const validGroup = (): Body => ({
      name: `Validation ${randomUUID()}`,
      tier: 3,
      categories: [],
      members: [],
    });
    let url: string;
    let before: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      const res = await admin.post('/v1/groups', validGroup()).expect(201);
      url = `/v1/groups/${res.body.id}`;
      cleanup.push(url);
    });
    beforeEach(async () => {
      before = await snapshot(admin, url);
    });
    afterEach(async () => {
      expect(await snapshot(admin, url)).toEqual(before);
    });

    async function expectNoGroupNamed(name: unknown): Promise<void> {
      const list = await admin.get('/v1/groups').expect(200);
      expect(list.body.data.filter((group: { name: string }) => group.name === name)).toEqual([]);
    }

    const HOSTILE: [string, Body, string][] = [
      ['a number name', { name: 5 }, 'name'],
      ['a huge name', { name: HUGE }, 'name'],
      ['a name with NUL', { name: 'a\u0000b' }, 'name'],
      ['a string tier', { tier: '1' }, 'tier'],
      ['tier 4', { tier: 4 }, 'tier'],
      ['a string for categories', { categories: 'account' }, 'categories'],
      ['null in categories', { categories: [null] }, 'categories'],
      ['an unknown category', { categories: ['no_such_category'] }, 'categories'],
      ['an object for members', { members: { 'agent-1': true } }, 'members'],
      ['numbers in members', { members: [1] }, 'members'],
      ['a huge member', { members: [HUGE] }, 'members'],
      ...UNKNOWN_FIELDS,
    ];

    it.each([...nulls(['name', 'tier', 'categories', 'members']), ...HOSTILE])(
      'POST is 400 on %s, and creates nothing',
      async (_name, patch, field) => {
        const body = { ...validGroup(), ...patch };
        expectInvalid(await admin.post('/v1/groups', body), field);
        await expectNoGroupNamed(body.name);
      },
    );

    it.each([...nulls(['name', 'tier', 'categories', 'members']), ...HOSTILE])(
      'PATCH is 400 on %s, and changes nothing',
      async (_name, patch, field) => {
        expectInvalid(await admin.patch(url, patch), field);
      },
    );

    it.each(NOT_OBJECTS)('POST and PATCH are 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(admin, 'post', '/v1/groups', json));
      expectBadRequest(await sendRaw(admin, 'patch', url, json));
    });
  });

  describe('calendars', () => {
    const HOURS = [{ day: 1, start: '09:00', end: '18:00' }];
    const HOLIDAYS = [{ date: '2026-12-25', name: 'Christmas Day', recurring: true }];
    const validCalendar = (): Body => ({
      name: `Validation ${randomUUID()}`,
      type: 'business_hours',
      timezone: 'Europe/Berlin',
      businessHours: HOURS,
      holidays: HOLIDAYS,
    });
    let url: string;
    let before: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      const res = await admin.post('/v1/calendars', validCalendar()).expect(201);
      url = `/v1/calendars/${res.body.id}`;
      cleanup.push(url);
    });
    beforeEach(async () => {
      before = await snapshot(admin, url);
    });
    afterEach(async () => {
      expect(await snapshot(admin, url)).toEqual(before);
    });

    async function expectNoCalendarNamed(name: unknown): Promise<void> {
      const list = await admin.get('/v1/calendars').expect(200);
      expect(list.body.data.filter((calendar: { name: string }) => calendar.name === name)).toEqual([]);
    }

    const NESTED_NULLS: [string, Body, string][] = [
      ['a null interval', { businessHours: [null] }, 'businessHours.0'],
      ...['day', 'start', 'end'].map((member): [string, Body, string] => [
        `null businessHours.0.${member}`,
        { businessHours: [{ ...HOURS[0], [member]: null }] },
        `businessHours.0.${member}`,
      ]),
      ['a null holiday', { holidays: [null] }, 'holidays.0'],
      ...['date', 'name', 'recurring'].map((member): [string, Body, string] => [
        `null holidays.0.${member}`,
        { holidays: [{ ...HOLIDAYS[0], [member]: null }] },
        `holidays.0.${member}`,
      ]),
    ];
    const HOSTILE: [string, Body, string][] = [
      ['a number name', { name: 1 }, 'name'],
      ['a huge name', { name: HUGE }, 'name'],
      ['an unknown type', { type: 'weekdays' }, 'type'],
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['a huge time zone', { timezone: HUGE }, 'timezone'],
      ['an object for businessHours', { businessHours: { day: 1 } }, 'businessHours'],
      ['a string day', { businessHours: [{ ...HOURS[0], day: '1' }] }, 'businessHours.0.day'],
      ['day 8', { businessHours: [{ ...HOURS[0], day: 8 }] }, 'businessHours.0.day'],
      ['a number start', { businessHours: [{ ...HOURS[0], start: 900 }] }, 'businessHours.0.start'],
      ['an unknown interval member', { businessHours: [{ ...HOURS[0], tz: 'UTC' }] }, 'businessHours.0.tz'],
      ['an object for holidays', { holidays: { date: '2026-12-25' } }, 'holidays'],
      ['a number date', { holidays: [{ ...HOLIDAYS[0], date: 20261225 }] }, 'holidays.0.date'],
      [
        'a date that does not exist',
        { holidays: [{ ...HOLIDAYS[0], date: '2026-13-45' }] },
        'holidays.0.date',
      ],
      ['a string recurring', { holidays: [{ ...HOLIDAYS[0], recurring: 'yes' }] }, 'holidays.0.recurring'],
      ['a huge holiday name', { holidays: [{ ...HOLIDAYS[0], name: HUGE }] }, 'holidays.0.name'],
      ...UNKNOWN_FIELDS,
    ];
    const CASES = [
      ...nulls(['name', 'type', 'timezone', 'businessHours', 'holidays']),
      ...NESTED_NULLS,
      ...HOSTILE,
    ];

    it.each(CASES)('POST is 400 on %s, and creates nothing', async (_name, patch, field) => {
      const body = { ...validCalendar(), ...patch };
      expectInvalid(await admin.post('/v1/calendars', body), field);
      await expectNoCalendarNamed(body.name);
    });

    it.each(CASES)('PATCH is 400 on %s, and changes nothing', async (_name, patch, field) => {
      expectInvalid(await admin.patch(url, patch), field);
    });

    it.each(NOT_OBJECTS)('POST and PATCH are 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(admin, 'post', '/v1/calendars', json));
      expectBadRequest(await sendRaw(admin, 'patch', url, json));
    });
  });

  describe('SLA policies', () => {
    const TARGETS = { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 480 };
    /** A category of this suite's own in the conditions: no other suite's ticket matches the policy. */
    const category = `val_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    let calendarId: string;
    let url: string;
    let before: Awaited<ReturnType<typeof snapshot>>;
    const validPolicy = (): Body => ({
      name: `Validation ${randomUUID()}`,
      conditions: { categories: [category], priorities: ['high'], channels: ['chat'], minVip: 1 },
      targets: TARGETS,
      calendarId,
      escalation: { atRiskPercent: 75, maxLevel: 2 },
    });

    beforeAll(async () => {
      await admin.post('/v1/categories', { key: category, name: 'Validation category' }).expect(201);
      cleanup.push(`/v1/categories/${category}`);
      const calendars = await admin.get('/v1/calendars').expect(200);
      calendarId = calendars.body.data.find((calendar: { name: string }) => calendar.name === '24x7').id;
      const res = await admin.post('/v1/sla-policies', validPolicy()).expect(201);
      url = `/v1/sla-policies/${res.body.id}`;
      cleanup.push(url);
    });
    beforeEach(async () => {
      before = await snapshot(admin, url);
    });
    afterEach(async () => {
      expect(await snapshot(admin, url)).toEqual(before);
    });

    async function expectNoPolicyNamed(name: unknown): Promise<void> {
      const list = await admin.get('/v1/sla-policies').expect(200);
      expect(list.body.data.filter((policy: { name: string }) => policy.name === name)).toEqual([]);
    }

    const conditions = (member: string, value: unknown): Body => ({
      conditions: { categories: [category], [member]: value },
    });
    const NESTED_NULLS: [string, Body, string][] = [
      ...['priorities', 'channels', 'minVip'].map((member): [string, Body, string] => [
        `null conditions.${member}`,
        conditions(member, null),
        `conditions.${member}`,
      ]),
      ['null conditions.categories', { conditions: { categories: null } }, 'conditions.categories'],
      ...Object.keys(TARGETS).map((member): [string, Body, string] => [
        `null targets.${member}`,
        { targets: { ...TARGETS, [member]: null } },
        `targets.${member}`,
      ]),
      ...['atRiskPercent', 'maxLevel'].map((member): [string, Body, string] => [
        `null escalation.${member}`,
        { escalation: { [member]: null } },
        `escalation.${member}`,
      ]),
    ];
    const HOSTILE: [string, Body, string][] = [
      ['a number name', { name: 1 }, 'name'],
      ['a huge name', { name: HUGE }, 'name'],
      ['a string position', { position: '1' }, 'position'],
      ['a huge position', { position: 1e12 }, 'position'],
      ['an array for conditions', { conditions: [] }, 'conditions'],
      ['a string for conditions', { conditions: 'urgent' }, 'conditions'],
      ['an unknown condition', conditions('requesterId', 'cust-1'), 'conditions.requesterId'],
      ['an unknown priority', conditions('priorities', ['critical']), 'conditions.priorities'],
      ['a string for priorities', conditions('priorities', 'urgent'), 'conditions.priorities'],
      ['minVip 8', conditions('minVip', 8), 'conditions.minVip'],
      ['an unknown category', { conditions: { categories: ['no_such_category'] } }, 'conditions.categories'],
      ['an array for targets', { targets: [60, 120, 480] }, 'targets'],
      [
        'fractional minutes',
        { targets: { ...TARGETS, firstResponseMinutes: 1.5 } },
        'targets.firstResponseMinutes',
      ],
      ['string minutes', { targets: { ...TARGETS, resolutionMinutes: '480' } }, 'targets.resolutionMinutes'],
      ['huge minutes', { targets: { ...TARGETS, resolutionMinutes: 1e15 } }, 'targets.resolutionMinutes'],
      ['a calendar id that is not a UUID', { calendarId: '24x7' }, 'calendarId'],
      ['a calendar that does not exist', { calendarId: randomUUID() }, 'calendarId'],
      ['a number for escalation', { escalation: 80 }, 'escalation'],
      ['an array for escalation', { escalation: [{ atRiskPercent: 80 }] }, 'escalation'],
      ['atRiskPercent 100', { escalation: { atRiskPercent: 100 } }, 'escalation.atRiskPercent'],
      ...UNKNOWN_FIELDS,
    ];
    const CASES = [
      ...nulls(['name', 'position', 'conditions', 'targets', 'calendarId', 'escalation']),
      ...NESTED_NULLS,
      ...HOSTILE,
    ];

    it.each(CASES)('POST is 400 on %s, and creates nothing', async (_name, patch, field) => {
      const body = { ...validPolicy(), ...patch };
      expectInvalid(await admin.post('/v1/sla-policies', body), field);
      await expectNoPolicyNamed(body.name);
    });

    it.each(CASES)('PATCH is 400 on %s, and changes nothing', async (_name, patch, field) => {
      expectInvalid(await admin.patch(url, patch), field);
    });

    it.each(NOT_OBJECTS)('POST and PATCH are 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(admin, 'post', '/v1/sla-policies', json));
      expectBadRequest(await sendRaw(admin, 'patch', url, json));
    });
  });

  describe('webhooks', () => {
    /** Inactive, on a closed loopback port: it never receives another suite's events. */
    const validWebhook = (): Body => ({
      url: `http://127.0.0.1:9/hooks/${randomUUID()}`,
      events: ['ticket.created'],
      secret: 'whsec_validation_0123456789',
      active: false,
    });
    let url: string;
    let before: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      const res = await admin.post('/v1/webhooks', validWebhook()).expect(201);
      url = `/v1/webhooks/${res.body.id}`;
      cleanup.push(url);
    });
    beforeEach(async () => {
      before = await snapshot(admin, url);
    });
    afterEach(async () => {
      expect(await snapshot(admin, url)).toEqual(before);
    });

    async function expectNoWebhookTo(target: unknown): Promise<void> {
      const list = await admin.get('/v1/webhooks?limit=100').expect(200);
      expect(list.body.data.filter((webhook: { url: string }) => webhook.url === target)).toEqual([]);
    }

    const CASES: [string, Body, string][] = [
      ...nulls(['url', 'events', 'secret', 'active']),
      ['a number url', { url: 80 }, 'url'],
      ['a huge url', { url: `http://127.0.0.1/${HUGE}` }, 'url'],
      ['a url that is not one', { url: 'not a url' }, 'url'],
      ['an ftp url', { url: 'ftp://127.0.0.1/hooks' }, 'url'],
      ['a string for events', { events: 'ticket.created' }, 'events'],
      ['no events', { events: [] }, 'events'],
      ['an unknown event', { events: ['ticket.deleted'] }, 'events'],
      ['null in events', { events: [null] }, 'events'],
      ['a number secret', { secret: 1234567890123456 }, 'secret'],
      ['a short secret', { secret: 'short' }, 'secret'],
      ['a huge secret', { secret: HUGE }, 'secret'],
      ['a string active', { active: 'yes' }, 'active'],
      ...UNKNOWN_FIELDS,
    ];

    it.each(CASES)('POST is 400 on %s, and creates nothing', async (_name, patch, field) => {
      const body = { ...validWebhook(), ...patch };
      expectInvalid(await admin.post('/v1/webhooks', body), field);
      await expectNoWebhookTo(body.url);
    });

    it.each(CASES)('PATCH is 400 on %s, and changes nothing', async (_name, patch, field) => {
      expectInvalid(await admin.patch(url, patch), field);
    });

    it.each(NOT_OBJECTS)('POST and PATCH are 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(admin, 'post', '/v1/webhooks', json));
      expectBadRequest(await sendRaw(admin, 'patch', url, json));
    });
  });

  describe('categories', () => {
    const FIELD = {
      name: 'ref',
      type: 'string',
      required: false,
      pattern: '^[A-Z0-9]+$',
      transform: 'upper',
    };
    const NUMBER_FIELD = { name: 'count', type: 'integer', required: false, minimum: 0, maximum: 9 };
    const SUB = { key: 'general', name: 'General' };
    const validCategory = (): Body => ({
      key: `val_${randomUUID().replace(/-/g, '').slice(0, 12)}`,
      name: 'Validation',
      fields: [FIELD, NUMBER_FIELD],
      requireOneOf: [['ref', 'count']],
      subcategories: [SUB],
    });
    let key: string;
    let before: Awaited<ReturnType<typeof snapshot>>;
    const url = () => `/v1/categories/${key}`;

    beforeAll(async () => {
      const body = validCategory();
      key = body.key as string;
      await admin.post('/v1/categories', body).expect(201);
      cleanup.push(url());
    });
    beforeEach(async () => {
      before = await snapshot(admin, url());
    });
    afterEach(async () => {
      expect(await snapshot(admin, url())).toEqual(before);
    });

    const fieldWith = (member: string, value: unknown): Body => ({
      fields: [{ ...FIELD, [member]: value }, NUMBER_FIELD],
    });
    const numberFieldWith = (member: string, value: unknown): Body => ({
      fields: [FIELD, { ...NUMBER_FIELD, [member]: value }],
    });
    const SHARED: [string, Body, string][] = [
      ...nulls(['name', 'fields', 'requireOneOf']),
      ...['name', 'type', 'required', 'pattern', 'transform'].map((member): [string, Body, string] => [
        `null fields.0.${member}`,
        fieldWith(member, null),
        `fields.0.${member}`,
      ]),
      ...['minimum', 'maximum'].map((member): [string, Body, string] => [
        `null fields.1.${member}`,
        numberFieldWith(member, null),
        `fields.1.${member}`,
      ]),
      ['a null field', { fields: [null] }, 'fields.0'],
      ['null in requireOneOf', { requireOneOf: [null] }, 'requireOneOf'],
      ['a number name', { name: 1 }, 'name'],
      ['a huge name', { name: HUGE }, 'name'],
      ['an object for fields', { fields: { ref: FIELD } }, 'fields'],
      ['an unknown field type', fieldWith('type', 'date'), 'fields.0.type'],
      ['a string required', fieldWith('required', 'no'), 'fields.0.required'],
      ['an invalid pattern', fieldWith('pattern', '(['), 'fields.0.pattern'],
      ['a huge pattern', fieldWith('pattern', HUGE), 'fields.0.pattern'],
      ['a string minimum', numberFieldWith('minimum', '0'), 'fields.1.minimum'],
      ['an unknown field member', fieldWith('default', 'X'), 'fields.0.default'],
      ['a string for requireOneOf', { requireOneOf: 'ref' }, 'requireOneOf'],
      ['strings in requireOneOf', { requireOneOf: ['ref'] }, 'requireOneOf'],
      ['numbers in a requireOneOf group', { requireOneOf: [[1]] }, 'requireOneOf.0.0'],
      ['null in a requireOneOf group', { requireOneOf: [[null]] }, 'requireOneOf.0.0'],
      ['an undefined field in requireOneOf', { requireOneOf: [['nope']] }, 'requireOneOf.0.0'],
      ...UNKNOWN_FIELDS,
    ];
    const CREATE: [string, Body, string][] = [
      ...SHARED,
      ...nulls(['key', 'subcategories']),
      ['null subcategories.0.key', { subcategories: [{ ...SUB, key: null }] }, 'subcategories.0.key'],
      ['null subcategories.0.name', { subcategories: [{ ...SUB, name: null }] }, 'subcategories.0.name'],
      ['a null subcategory', { subcategories: [null] }, 'subcategories.0'],
      ['a number key', { key: 1 }, 'key'],
      ['a huge key', { key: HUGE }, 'key'],
      ['an object for subcategories', { subcategories: SUB }, 'subcategories'],
      [
        'an unknown subcategory member',
        { subcategories: [{ ...SUB, enabled: true }] },
        'subcategories.0.enabled',
      ],
    ];
    const UPDATE: [string, Body, string][] = [
      ...SHARED,
      ...nulls(['enabled']),
      ['a string enabled', { enabled: 'false' }, 'enabled'],
      ['the key', { key: 'renamed' }, 'key'],
    ];

    it.each(CREATE)('POST is 400 on %s, and creates nothing', async (_name, patch, field) => {
      const body = { ...validCategory(), ...patch };
      expectInvalid(await admin.post('/v1/categories', body), field);
      if (typeof body.key === 'string' && body.key.length <= 50) {
        await admin.get(`/v1/categories/${body.key}`).expect(404);
      }
    });

    it.each(UPDATE)('PATCH is 400 on %s, and changes nothing', async (_name, patch, field) => {
      expectInvalid(await admin.patch(url(), patch), field);
    });

    it.each<[string, Body, string]>([
      ...nulls(['key', 'name']),
      ['a number key', { key: 7 }, 'key'],
      ['a huge name', { name: HUGE }, 'name'],
      ['enabled on create', { enabled: false }, 'enabled'],
      ...UNKNOWN_FIELDS,
    ])('POST subcategories is 400 on %s, and adds nothing', async (_name, patch, field) => {
      expectInvalid(
        await admin.post(`${url()}/subcategories`, { key: 'extra', name: 'Extra', ...patch }),
        field,
      );
    });

    it.each<[string, Body, string]>([
      ...nulls(['name', 'enabled']),
      ['a number name', { name: 1 }, 'name'],
      ['a string enabled', { enabled: 'no' }, 'enabled'],
      ['the key', { key: 'renamed' }, 'key'],
      ...UNKNOWN_FIELDS,
    ])('PATCH subcategories is 400 on %s, and changes nothing', async (_name, patch, field) => {
      expectInvalid(await admin.patch(`${url()}/subcategories/${SUB.key}`, patch), field);
    });

    it.each(NOT_OBJECTS)('POST and PATCH are 400 on a body that is %s', async (_name, json) => {
      expectBadRequest(await sendRaw(admin, 'post', '/v1/categories', json));
      expectBadRequest(await sendRaw(admin, 'patch', url(), json));
      expectBadRequest(await sendRaw(admin, 'post', `${url()}/subcategories`, json));
      expectBadRequest(await sendRaw(admin, 'patch', `${url()}/subcategories/${SUB.key}`, json));
    });
  });

  describe('forged list cursors', () => {
    const cursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    const ID = '00000000-0000-4000-8000-000000000001';
    const AT = '2026-03-02T09:00:00.000Z';
    /** Positions of the right length whose parts no list issues. */
    const forgedParts = (shape: unknown[]): [string, unknown[]][] =>
      [
        ['an object', { a: 1 }],
        ['true', true],
        ['false', false],
        ['an array', [1]],
        ['a fraction', 1.5],
        ['a huge number', 1e300],
        ['a word', 'x'],
        ['a long string', 'x'.repeat(100)],
        ['a sequence past bigint', '99999999999999999999'],
      ].flatMap(([name, part]) =>
        shape.map((_, index): [string, unknown[]] => [
          `${String(name)} at ${index}`,
          shape.map((value, at) => (at === index ? part : value)),
        ]),
      );
    let ticketUrl: string;
    let webhookUrl: string;

    beforeAll(async () => {
      const owner = await t.as('customer');
      ticketUrl = `/v1/tickets/${(await openTicket(owner)).id}`;
      await openTicket(owner, { priority: 'high' });
      const webhook = await admin
        .post('/v1/webhooks', {
          url: `http://127.0.0.1:9/hooks/${randomUUID()}`,
          events: ['ticket.created'],
          active: false,
        })
        .expect(201);
      webhookUrl = `/v1/webhooks/${webhook.body.id}`;
      cleanup.push(webhookUrl);
    });

    /** `[name, query, position]` rows for one sort of the ticket list. */
    const ticketCases = (sort: string, shape: unknown[]): [string, string, unknown][] =>
      forgedParts(shape).map(([name, position]) => [`${sort}: ${name}`, `&sort=${sort}`, position]);

    it.each<[string, string, unknown]>([
      ...ticketCases('-createdAt', ['-createdAt', AT, ID]),
      ...ticketCases('slaDueAt', ['slaDueAt', AT, ID]),
      ...ticketCases('-priority', ['-priority', 2, AT, ID]),
      ['a sort that is not a word', '', ['{"a":1}', AT, ID]],
      ['a position of the wrong length', '', ['-createdAt', AT]],
      ['a position that is not an array', '', { sort: '-createdAt' }],
    ])('GET /v1/tickets: 400 on cursor for %s', async (_name, sort, position) => {
      expectInvalid(await agent.get(`/v1/tickets?cursor=${cursor(position)}${sort}`), 'cursor');
    });

    it.each(forgedParts([AT, ID]))(
      'GET /v1/tickets/{id}/messages: 400 on cursor for %s',
      async (_name, position) => {
        expectInvalid(await agent.get(`${ticketUrl}/messages?cursor=${cursor(position)}`), 'cursor');
      },
    );

    it.each(forgedParts(['12']))(
      'GET /v1/tickets/{id}/events: 400 on cursor for %s',
      async (_name, position) => {
        expectInvalid(await agent.get(`${ticketUrl}/events?cursor=${cursor(position)}`), 'cursor');
      },
    );

    it.each(forgedParts([AT, ID]))('GET /v1/webhooks: 400 on cursor for %s', async (_name, position) => {
      expectInvalid(await admin.get(`/v1/webhooks?cursor=${cursor(position)}`), 'cursor');
    });

    it.each(forgedParts(['12']))(
      'GET /v1/webhooks/{id}/deliveries: 400 on cursor for %s',
      async (_name, position) => {
        expectInvalid(await admin.get(`${webhookUrl}/deliveries?cursor=${cursor(position)}`), 'cursor');
      },
    );

    it('is 400, never 500, on well-formed parts in each other’s places', async () => {
      expectBadRequest(await agent.get(`/v1/tickets?cursor=${cursor(['-createdAt', ID, AT])}`));
      expectBadRequest(await agent.get(`${ticketUrl}/messages?cursor=${cursor([ID, AT])}`));
      expectBadRequest(await agent.get(`${ticketUrl}/events?cursor=${cursor([AT])}`));
    });

    it('still pages with the cursors the lists issue', async () => {
      const first = await agent.get(`${ticketUrl}/events?limit=1`).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await agent.get(`${ticketUrl}/events?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
      for (const sort of ['-createdAt', 'createdAt', 'slaDueAt', '-priority']) {
        const page = await agent.get(`/v1/tickets?limit=1&sort=${sort}`).expect(200);
        await agent.get(`/v1/tickets?limit=1&sort=${sort}&cursor=${page.body.nextCursor}`).expect(200);
      }
    });
  });

  describe('deeply nested bodies', () => {
    /** `depth` levels of `{"a": …}` around 1: `nest(1)` is `{"a":1}`. */
    const nest = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    /** A ticket body as JSON text with `member` holding `json`. */
    const ticketWith = (member: string, json: string) =>
      JSON.stringify({ ...ticketBody(), [member]: '__NESTED__' }).replace('"__NESTED__"', json);

    function expectTooDeep(res: Response, field: string): void {
      expectInvalid(res, field);
      expect(res.body.errors).toEqual([{ field, message: expect.stringContaining('nested more than 32') }]);
    }

    it('is 400 on fields nested 3000 levels deep (an 18 KB body), and opens nothing', async () => {
      const json = ticketWith('fields', nest(3000));
      expect(json.length).toBeLessThan(20_000);
      expectTooDeep(await sendRaw(customer, 'post', '/v1/tickets', json), 'fields');
      expect((await customer.get('/v1/tickets').expect(200)).body.data).toEqual([]);
    });

    it('is 400 on an unknown member holding deep nesting', async () => {
      expectTooDeep(await sendRaw(customer, 'post', '/v1/tickets', ticketWith('extra', nest(100))), 'extra');
    });

    it.each([
      ['3000 levels', 3000],
      ['half a million levels (a 1 MB body)', 500_000],
    ])('is 400 on a bare array nested %s deep', async (_name, depth) => {
      const json = '['.repeat(depth) + ']'.repeat(depth);
      expectTooDeep(await sendRaw(customer, 'post', '/v1/tickets', json), 'body');
    });

    it('is 400 on deep nesting in a PATCH and a message', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const before = await snapshot(agent, url);
      expectTooDeep(await sendRaw(agent, 'patch', url, `{"tags":${nest(40)}}`), 'tags');
      expectTooDeep(await sendRaw(agent, 'post', `${url}/messages`, `{"body":${nest(40)}}`), 'body');
      expect(await snapshot(agent, url)).toEqual(before);
    });

    it('leaves 32 levels to the usual validation', async () => {
      // The body is level 1, `fields` level 2, so 30 levels of {"a": …} inside it make 32.
      const json = ticketWith('fields', `{"currency":"USDT","orderId":"ORD-1","extra":${nest(30)}}`);
      const res = await sendRaw(customer, 'post', '/v1/tickets', json);
      expectInvalid(res, 'fields.extra');
      expect(JSON.stringify(res.body)).not.toContain('nested more than');
    });
  });

  describe('a JSON null as the whole body of a POST', () => {
    it.each<[string, (ticket: string) => [Session, string], string]>([
      ['POST /v1/tickets', () => [customer, '/v1/tickets'], 'category'],
      ['POST /v1/tickets/{id}/messages', (ticket) => [customer, `/v1/tickets/${ticket}/messages`], 'body'],
      [
        'POST /v1/tickets/{id}/satisfaction',
        (ticket) => [customer, `/v1/tickets/${ticket}/satisfaction`],
        'rating',
      ],
      [
        'POST /v1/tickets/{id}/escalate',
        (ticket) => [supervisor, `/v1/tickets/${ticket}/escalate`],
        'reason',
      ],
      ['POST /v1/groups', () => [admin, '/v1/groups'], 'name'],
      ['POST /v1/calendars', () => [admin, '/v1/calendars'], 'name'],
      ['POST /v1/sla-policies', () => [admin, '/v1/sla-policies'], 'targets'],
      ['POST /v1/webhooks', () => [admin, '/v1/webhooks'], 'url'],
      ['POST /v1/categories', () => [admin, '/v1/categories'], 'key'],
      [
        'POST /v1/categories/{key}/subcategories',
        () => [admin, '/v1/categories/account/subcategories'],
        'key',
      ],
    ])('%s refuses a null body: 400 on body (not an empty body missing %s)', async (_name, target) => {
      const ticket = await openTicket(customer);
      const [session, url] = target(ticket.id);
      expectInvalid(await sendRaw(session, 'post', url, 'null'), 'body');
    });

    it('PATCH with a null body is 400, not an empty change', async () => {
      const ticket = await openTicket(customer);
      const before = await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
      expectInvalid(await sendRaw(agent, 'patch', `/v1/tickets/${ticket.id}`, 'null'), 'body');
      const after = await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
      expect(after.headers.etag).toBe(before.headers.etag);
    });
  });

  describe('POST /v1/tickets/{id}/attachments', () => {
    it('is 400 or 415 on a JSON body, never a 500', async () => {
      const ticket = await openTicket(customer);
      const res = await customer.post(`/v1/tickets/${ticket.id}/attachments`, {
        file: null,
        visibility: null,
      });
      expect([400, 415]).toContain(res.status);
      expect(res.headers['content-type']).toContain(PROBLEM);
    });
  });
});

/** The database's own refusals are the last line, for input validation missed: 400, nothing internal. */
describe('database constraint errors', () => {
  function violation(code: string, column: string): QueryFailedError {
    const driverError = Object.assign(new Error(`violates constraint on ${column}`), { code, column });
    return new QueryFailedError('UPDATE tickets SET priority = $1', [null], driverError);
  }

  it.each([
    ['23502', 'not_null_violation', 'A required value is missing.'],
    ['23514', 'check_violation', 'A value is not allowed.'],
    // Class 22, data exceptions, whatever the condition.
    ['22009', 'invalid_time_zone_displacement_value', 'A value is out of range.'],
    ['22001', 'string_data_right_truncation', 'A value is out of range.'],
    ['22P02', 'invalid_text_representation', 'A value is out of range.'],
    ['2200G', 'most_specific_type_mismatch', 'A value is out of range.'],
  ])('maps %s (%s) to a 400 problem that names no table, column or query', (code, _name, detail) => {
    const { problem, unexpected } = toProblem(violation(code, 'priority'));
    expect(problem).toEqual({
      type: expect.stringMatching(/validation_failed$/),
      title: 'Invalid request',
      status: 400,
      detail,
    });
    expect(JSON.stringify(problem)).not.toMatch(/priority|tickets|UPDATE|constraint/);
    expect(unexpected).toBeUndefined();
  });
});

/** A transaction PostgreSQL rolled back for a concurrent one is the client's to retry, not a 500. */
describe('concurrency failures', () => {
  it.each([
    ['40P01', 'deadlock_detected'],
    ['40001', 'serialization_failure'],
  ])('maps %s (%s) to 503 with Retry-After and no internals', (code) => {
    const driverError = Object.assign(new Error('deadlock detected'), { code });
    const { problem, unexpected } = toProblem(
      new QueryFailedError('DELETE FROM webhooks WHERE id = $1', ['x'], driverError),
    );
    expect(problem).toEqual({
      type: expect.stringMatching(/concurrent_change$/),
      title: 'Service unavailable',
      status: 503,
      detail: expect.stringContaining('send it again'),
      retryAfter: 1,
    });
    expect(JSON.stringify(problem)).not.toMatch(/webhooks|DELETE|deadlock/);
    expect(unexpected).toBeUndefined();
  });
});
