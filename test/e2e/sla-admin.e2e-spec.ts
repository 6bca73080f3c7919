import { randomUUID } from 'node:crypto';
import { type Session, TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

interface Policy {
  id: string;
  name: string;
  position: number;
  conditions: Record<string, unknown>;
  targets: { firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number };
  calendarId: string;
  escalation: { atRiskPercent: number; maxLevel: number };
}

/** The fields a 400 names, each once (a field failing several rules has one message per rule). */
function fieldsOf(res: { body: { errors?: { field: string }[] } }): string[] {
  return [...new Set((res.body.errors ?? []).map((error) => error.field))];
}

function unique(prefix: string): string {
  return `${prefix} ${randomUUID()}`;
}

const SEEDED_NAMES = ['VIP', 'Urgent', 'High', 'Normal', 'Low'];

const OFFICE_HOURS = [1, 2, 3, 4, 5].flatMap((day) => [
  { day, start: '09:00', end: '12:30' },
  { day, start: '13:30', end: '18:00' },
]);

describe('calendars', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let customer: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    [admin, agent, customer] = await Promise.all([t.as('admin'), t.as('agent'), t.as('customer')]);
  });
  afterAll(() => t.close());

  async function givenCalendar(overrides: object = {}) {
    const res = await admin
      .post('/v1/calendars', {
        name: unique('Berlin office'),
        type: 'business_hours',
        timezone: 'Europe/Berlin',
        businessHours: OFFICE_HOURS,
        ...overrides,
      })
      .expect(201);
    return res.body as { id: string; name: string };
  }

  it('lists the seeded 24x7 calendar to staff', async () => {
    for (const caller of [agent, admin, await t.as('supervisor')]) {
      const res = await caller.get('/v1/calendars').expect(200);
      expect(res.body.nextCursor).toBeNull();
      const seeded = res.body.data.find((calendar: { name: string }) => calendar.name === '24x7');
      expect(seeded).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: '24x7',
        type: '24x7',
        timezone: 'UTC',
        businessHours: [],
        holidays: [],
      });
    }
  });

  it('creates a business-hours calendar with several intervals a day and holidays', async () => {
    const name = unique('Singapore desk');
    const res = await admin
      .post('/v1/calendars', {
        name,
        type: 'business_hours',
        timezone: 'Asia/Singapore',
        businessHours: OFFICE_HOURS,
        holidays: [
          { date: '2026-01-01', name: "New Year's Day", recurring: true },
          { date: '2026-02-17', name: 'Chinese New Year' },
        ],
      })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name,
      type: 'business_hours',
      timezone: 'Asia/Singapore',
      businessHours: OFFICE_HOURS,
      holidays: [
        { date: '2026-01-01', name: "New Year's Day", recurring: true },
        { date: '2026-02-17', name: 'Chinese New Year', recurring: false },
      ],
    });
    const read = await agent.get(`/v1/calendars/${res.body.id}`).expect(200);
    expect(read.body).toEqual(res.body);
  });

  it('defaults a 24x7 calendar to UTC without hours or holidays', async () => {
    const name = unique('Round the clock');
    const res = await admin.post('/v1/calendars', { name, type: '24x7' }).expect(201);
    expect(res.body).toMatchObject({ name, type: '24x7', timezone: 'UTC', businessHours: [], holidays: [] });
  });

  it('lists every invalid field by path: bad time zone, bad HH:MM, day 8, unknown members', async () => {
    const res = await admin
      .post('/v1/calendars', {
        name: unique('Broken'),
        type: 'business_hours',
        timezone: 'Mars/Olympus_Mons',
        businessHours: [
          { day: 1, start: '09:00', end: '17:00' },
          { day: 8, start: '9am', end: '25:00' },
          { day: 2, start: '09:00', end: '17:00', lunch: true },
        ],
        holidays: [{ date: '25/12/2025', name: 'Christmas', recurring: 'yes' }],
        owner: 'me',
      })
      .expect(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining([
        'timezone',
        'businessHours.1.day',
        'businessHours.1.start',
        'businessHours.1.end',
        'businessHours.2.lunch',
        'holidays.0.date',
        'holidays.0.recurring',
        'owner',
      ]),
    );
    expect(fieldsOf(res)).not.toContain('businessHours.0.day');
  });

  it('rejects what only the calendar as a whole shows: end before start, overlaps, no hours, 30 February', async () => {
    const res = await admin
      .post('/v1/calendars', {
        name: unique('Inconsistent'),
        type: 'business_hours',
        timezone: 'Europe/Berlin',
        businessHours: [
          { day: 1, start: '18:00', end: '09:00' },
          { day: 2, start: '09:00', end: '13:00' },
          { day: 2, start: '12:00', end: '17:00' },
        ],
        holidays: [{ date: '2026-02-30', name: 'Not a day' }],
      })
      .expect(400);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining([
        'businessHours.0.end',
        expect.stringMatching(/^businessHours\.2\b/), // overlaps businessHours.1
        'holidays.0.date',
      ]),
    );
    const noHours = await admin
      .post('/v1/calendars', { name: unique('No hours'), type: 'business_hours', timezone: 'UTC' })
      .expect(400);
    expect(fieldsOf(noHours)).toEqual(['businessHours']);
  });

  it('answers 400 to a wrong type and to null members, never a 500', async () => {
    const res = await admin.post('/v1/calendars', { name: '', type: 'weekdays' }).expect(400);
    expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'type']));
    await admin.post('/v1/calendars', { name: unique('Null'), type: '24x7', timezone: null }).expect(400);
    await admin
      .post('/v1/calendars', { name: unique('Null'), type: '24x7', businessHours: [null] })
      .expect(400);
    await admin
      .post('/v1/calendars', { name: unique('Day'), type: '24x7', businessHours: [{ day: '1' }] })
      .expect(400);
    const nul = await admin
      .post('/v1/calendars', {
        name: 'Cal\u0000',
        type: '24x7',
        holidays: [{ date: '2026-01-01', name: 'New Year\u0000' }],
      })
      .expect(400);
    expect(fieldsOf(nul)).toEqual(['name', 'holidays.0.name']);
  });

  it('answers 409 to a duplicate name', async () => {
    await admin.post('/v1/calendars', { name: '24x7', type: '24x7' }).expect(409);
    const calendar = await givenCalendar();
    await admin.patch(`/v1/calendars/${calendar.id}`, { name: '24x7' }).expect(409);
  });

  it('changes a calendar, validating the result as a whole', async () => {
    const calendar = await givenCalendar();
    const res = await admin
      .patch(`/v1/calendars/${calendar.id}`, {
        timezone: 'America/New_York',
        holidays: [{ date: '2026-07-04', name: 'Independence Day', recurring: true }],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      id: calendar.id,
      name: calendar.name,
      timezone: 'America/New_York',
      businessHours: OFFICE_HOURS,
      holidays: [{ date: '2026-07-04', name: 'Independence Day', recurring: true }],
    });
    const emptied = await admin.patch(`/v1/calendars/${calendar.id}`, { businessHours: [] }).expect(400);
    expect(fieldsOf(emptied)).toEqual(['businessHours']);
    const bad = await admin
      .patch(`/v1/calendars/${calendar.id}`, { timezone: 'Nowhere/Land', type: 'x' })
      .expect(400);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['timezone', 'type']));
    const toRoundTheClock = await admin.patch(`/v1/calendars/${calendar.id}`, { type: '24x7' }).expect(200);
    expect(toRoundTheClock.body.type).toBe('24x7');
    await admin.patch(`/v1/calendars/${randomUUID()}`, { name: unique('Gone') }).expect(404);
  });

  it('versions a calendar with ETag and honours If-Match (412 leaves it unchanged)', async () => {
    const calendar = await givenCalendar();
    const url = `/v1/calendars/${calendar.id}`;
    expect((await agent.get(url).expect(200)).headers.etag).toBe('"1"');
    const changed = await admin.patch(url, { timezone: 'Asia/Shanghai' }).set('If-Match', '"1"').expect(200);
    expect(changed.headers.etag).toBe('"2"');
    const stale = await admin.patch(url, { timezone: 'America/New_York' }).set('If-Match', '"1"').expect(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await agent.get(url).expect(200)).body.timezone).toBe('Asia/Shanghai');
  });

  it('answers 404 to unknown and malformed ids', async () => {
    await agent.get(`/v1/calendars/${randomUUID()}`).expect(404);
    const res = await agent.get('/v1/calendars/12345').expect(404);
    expect(res.headers['content-type']).toContain(PROBLEM);
    await admin.delete('/v1/calendars/not-a-uuid').expect(404);
  });

  it('deletes an unused calendar, and refuses one a policy uses (409)', async () => {
    const unused = await givenCalendar();
    await admin.delete(`/v1/calendars/${unused.id}`).expect(204);
    await agent.get(`/v1/calendars/${unused.id}`).expect(404);
    await admin.delete(`/v1/calendars/${unused.id}`).expect(404);

    const used = await givenCalendar();
    const key = await givenUnmatchableCategory(admin);
    const policy = await admin
      .post('/v1/sla-policies', {
        name: unique('Office-hours policy'),
        conditions: { categories: [key] },
        targets: { firstResponseMinutes: 480, nextResponseMinutes: 480, resolutionMinutes: 2400 },
        calendarId: used.id,
      })
      .expect(201);
    const res = await admin.delete(`/v1/calendars/${used.id}`).expect(409);
    expect(res.headers['content-type']).toContain(PROBLEM);
    await admin.delete(`/v1/sla-policies/${policy.body.id}`).expect(204);
    await admin.delete(`/v1/calendars/${used.id}`).expect(204);
  });

  it('forbids customers to read and non-admins to write (403)', async () => {
    const calendar = await givenCalendar();
    await customer.get('/v1/calendars').expect(403);
    await customer.get(`/v1/calendars/${calendar.id}`).expect(403);
    for (const caller of [agent, customer, await t.as('supervisor')]) {
      await caller.post('/v1/calendars', { name: unique('Nope'), type: '24x7' }).expect(403);
      await caller.patch(`/v1/calendars/${calendar.id}`, { name: unique('Nope') }).expect(403);
      await caller.delete(`/v1/calendars/${calendar.id}`).expect(403);
    }
    await t.http().get('/v1/calendars').expect(401);
  });
});

/**
 * A category of its own, so a test policy's conditions match no other suite's tickets: the PostgreSQL
 * database is shared by the suites of a run, and policy selection reads every policy.
 */
async function givenUnmatchableCategory(admin: Session): Promise<string> {
  const key = `sla_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.post('/v1/categories', { key, name: 'SLA test category' }).expect(201);
  return key;
}

describe('SLA policies', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let customer: Session;
  let calendarId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    [admin, agent, customer] = await Promise.all([t.as('admin'), t.as('agent'), t.as('customer')]);
    const calendars = await admin.get('/v1/calendars').expect(200);
    calendarId = calendars.body.data.find((calendar: { name: string }) => calendar.name === '24x7').id;
  });
  afterAll(() => t.close());

  /** Policies this suite created: removed after each test, so none outlives it, even a failing one. */
  const created: string[] = [];
  afterEach(async () => {
    for (const id of created.splice(0)) await admin.delete(`/v1/sla-policies/${id}`);
  });

  async function createPolicy(body: object): Promise<Policy> {
    const res = await admin.post('/v1/sla-policies', body).expect(201);
    created.push(res.body.id);
    return res.body;
  }

  async function list(): Promise<Policy[]> {
    return (await agent.get('/v1/sla-policies').expect(200)).body.data;
  }

  /** A policy body that matches only tickets of a category created for it. */
  async function policyBody(overrides: object = {}) {
    return {
      name: unique('Test policy'),
      conditions: { categories: [await givenUnmatchableCategory(admin)] },
      targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 },
      calendarId,
      ...overrides,
    };
  }

  it('lists the five seeded policies in order with their targets, calendar and escalation', async () => {
    const res = await agent.get('/v1/sla-policies').expect(200);
    expect(res.body.nextCursor).toBeNull();
    const policies: Policy[] = res.body.data;
    const positions = policies.map((policy) => policy.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const seeded = policies.filter((policy) => SEEDED_NAMES.includes(policy.name));
    const summary = seeded.map((policy) => [
      policy.name,
      policy.conditions,
      policy.targets.firstResponseMinutes,
      policy.targets.nextResponseMinutes,
      policy.targets.resolutionMinutes,
    ]);
    expect(summary).toEqual([
      ['VIP', { minVip: 3 }, 60, 240, 1440],
      ['Urgent', { priorities: ['urgent'] }, 60, 120, 480],
      ['High', { priorities: ['high'] }, 240, 480, 1440],
      ['Normal', { priorities: ['normal'] }, 1440, 1440, 2880],
      ['Low', { priorities: ['low'] }, 2880, 2880, 7200],
    ]);
    for (const policy of seeded) {
      expect(policy.calendarId).toBe(calendarId);
      expect(policy.escalation).toEqual({ atRiskPercent: 80, maxLevel: 3 });
    }
    const vip = await agent.get(`/v1/sla-policies/${seeded[0].id}`).expect(200);
    expect(vip.body).toEqual({
      id: seeded[0].id,
      name: 'VIP',
      position: seeded[0].position,
      conditions: { minVip: 3 },
      targets: { firstResponseMinutes: 60, nextResponseMinutes: 240, resolutionMinutes: 1440 },
      calendarId,
      escalation: { atRiskPercent: 80, maxLevel: 3 },
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
  });

  it('creates a policy last when no position is given, with default escalation', async () => {
    const body = await policyBody({
      conditions: { priorities: ['high', 'urgent'], channels: ['chat'], minVip: 1 },
    });
    const lastBefore = Math.max(...(await list()).map((policy) => policy.position));
    const policy = await createPolicy(body);
    expect(policy).toMatchObject({
      name: body.name,
      conditions: { priorities: ['high', 'urgent'], channels: ['chat'], minVip: 1 },
      targets: body.targets,
      calendarId,
      escalation: { atRiskPercent: 80, maxLevel: 3 },
    });
    expect(policy.position).toBeGreaterThan(lastBefore);
    const policies = await list();
    expect(policies.find((listed) => listed.id === policy.id)?.position).toBe(policy.position);
    const ahead = policies.filter((listed) => listed.position < policy.position).map((listed) => listed.name);
    expect(ahead).toEqual(expect.arrayContaining(['VIP', 'Urgent', 'High', 'Normal', 'Low']));
  });

  it('creates a policy at a taken position, shifting that one and those after it down by one', async () => {
    const before = await list();
    const first = before[0].position;
    const policy = await createPolicy(
      await policyBody({ position: first, escalation: { atRiskPercent: 50, maxLevel: 1 } }),
    );
    expect(policy.position).toBe(first);
    expect(policy.escalation).toEqual({ atRiskPercent: 50, maxLevel: 1 });
    const after = await list();
    expect(after[0].id).toBe(policy.id);
    const positions = new Map(after.map((listed) => [listed.id, listed.position]));
    for (const listed of before) {
      if (positions.has(listed.id)) expect(positions.get(listed.id)).toBe(listed.position + 1);
    }
    const seeded = after.map((listed) => listed.name).filter((name) => SEEDED_NAMES.includes(name));
    expect(seeded).toEqual(SEEDED_NAMES);
  });

  it('creates a policy at a free position without moving the others', async () => {
    const before = await list();
    const free = Math.max(...before.map((listed) => listed.position)) + 5;
    const policy = await createPolicy(await policyBody({ position: free }));
    expect(policy.position).toBe(free);
    const positions = new Map((await list()).map((listed) => [listed.id, listed.position]));
    for (const listed of before) {
      if (positions.has(listed.id)) expect(positions.get(listed.id)).toBe(listed.position);
    }
  });

  it('moves a policy with PATCH, shifting those in between', async () => {
    const a = await createPolicy(await policyBody());
    const b = await createPolicy(await policyBody());
    const c = await createPolicy(await policyBody());
    expect([b.position - a.position, c.position - b.position]).toEqual([1, 1]);

    // c moves up to a's place: a and b shift down by one.
    const up = await admin.patch(`/v1/sla-policies/${c.id}`, { position: a.position }).expect(200);
    expect(up.body.position).toBe(a.position);
    let positions = new Map((await list()).map((policy) => [policy.id, policy.position]));
    expect([positions.get(c.id), positions.get(a.id), positions.get(b.id)]).toEqual([
      a.position,
      a.position + 1,
      a.position + 2,
    ]);

    // c moves back down to the end: a and b shift up by one.
    await admin.patch(`/v1/sla-policies/${c.id}`, { position: a.position + 2 }).expect(200);
    positions = new Map((await list()).map((policy) => [policy.id, policy.position]));
    expect([positions.get(a.id), positions.get(b.id), positions.get(c.id)]).toEqual([
      a.position,
      a.position + 1,
      a.position + 2,
    ]);
  });

  it('versions a policy with ETag and honours If-Match; a shift by another policy is a new version', async () => {
    const a = await createPolicy(await policyBody());
    const b = await createPolicy(await policyBody());
    const url = `/v1/sla-policies/${b.id}`;
    expect((await agent.get(url).expect(200)).headers.etag).toBe('"1"');
    // a moves below b: b shifts up one place, a change of b's.
    await admin.patch(`/v1/sla-policies/${a.id}`, { position: b.position }).expect(200);
    const shifted = await agent.get(url).expect(200);
    expect(shifted.headers.etag).toBe('"2"');
    const stale = await admin
      .patch(url, { targets: { firstResponseMinutes: 5 } })
      .set('If-Match', '"1"')
      .expect(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await agent.get(url).expect(200)).body.targets.firstResponseMinutes).toBe(30);
    const changed = await admin
      .patch(url, { targets: { firstResponseMinutes: 5 } })
      .set('If-Match', '"2"')
      .expect(200);
    expect(changed.headers.etag).toBe('"3"');
  });

  it('changes targets and escalation member by member, and replaces conditions', async () => {
    const policy = await createPolicy(await policyBody());
    const key = await givenUnmatchableCategory(admin);
    const res = await admin
      .patch(`/v1/sla-policies/${policy.id}`, {
        targets: { resolutionMinutes: 600 },
        escalation: { maxLevel: 2 },
        conditions: { categories: [key], priorities: ['low'] },
      })
      .expect(200);
    expect(res.body).toMatchObject({
      id: policy.id,
      name: policy.name,
      position: policy.position,
      conditions: { categories: [key], priorities: ['low'] },
      targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 600 },
      escalation: { atRiskPercent: 80, maxLevel: 2 },
    });
    expect((await agent.get(`/v1/sla-policies/${policy.id}`).expect(200)).body).toEqual(res.body);
  });

  it('answers 400 to an unknown calendarId or category', async () => {
    const res = await admin
      .post('/v1/sla-policies', await policyBody({ calendarId: randomUUID() }))
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'calendarId', message: expect.any(String) }]);
    const malformed = await admin
      .post('/v1/sla-policies', await policyBody({ calendarId: 'cal-1' }))
      .expect(400);
    expect(fieldsOf(malformed)).toEqual(['calendarId']);
    const category = await admin
      .post('/v1/sla-policies', await policyBody({ conditions: { categories: ['no_such_category'] } }))
      .expect(400);
    expect(fieldsOf(category)).toEqual(['conditions.categories']);

    const policy = await createPolicy(await policyBody());
    const patch = await admin
      .patch(`/v1/sla-policies/${policy.id}`, { calendarId: randomUUID() })
      .expect(400);
    expect(fieldsOf(patch)).toEqual(['calendarId']);
  });

  it('lists every invalid field, nested ones by path', async () => {
    const res = await admin
      .post('/v1/sla-policies', {
        name: '',
        position: 0,
        conditions: { priorities: ['critical'], channels: ['fax'], minVip: 8, tier: 1 },
        targets: { firstResponseMinutes: 0, nextResponseMinutes: 1.5, resolutionMinutes: '60' },
        calendarId,
        escalation: { atRiskPercent: 100, maxLevel: 4 },
        id: randomUUID(),
      })
      .expect(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining([
        'name',
        'position',
        'conditions.priorities',
        'conditions.channels',
        'conditions.minVip',
        'conditions.tier',
        'targets.firstResponseMinutes',
        'targets.nextResponseMinutes',
        'targets.resolutionMinutes',
        'escalation.atRiskPercent',
        'escalation.maxLevel',
        'id',
      ]),
    );
    const missing = await admin.post('/v1/sla-policies', { name: unique('Empty') }).expect(400);
    expect(fieldsOf(missing)).toEqual(expect.arrayContaining(['targets', 'calendarId']));
    const partial = await admin
      .post('/v1/sla-policies', await policyBody({ targets: { firstResponseMinutes: 60 } }))
      .expect(400);
    expect(fieldsOf(partial)).toEqual(['targets.nextResponseMinutes', 'targets.resolutionMinutes']);
    await admin.post('/v1/sla-policies', await policyBody({ conditions: { priorities: [] } })).expect(400);
    await admin.post('/v1/sla-policies', await policyBody({ targets: null })).expect(400);
    await admin.post('/v1/sla-policies', await policyBody({ conditions: [] })).expect(400);
    const nul = await admin
      .post(
        '/v1/sla-policies',
        await policyBody({ name: 'P\u0000', conditions: { categories: ['k\u0000'] } }),
      )
      .expect(400);
    expect(fieldsOf(nul)).toEqual(['name', 'conditions.categories']);
  });

  it('answers 409 to a duplicate name', async () => {
    await admin.post('/v1/sla-policies', await policyBody({ name: 'Urgent' })).expect(409);
    const policy = await createPolicy(await policyBody());
    await admin.patch(`/v1/sla-policies/${policy.id}`, { name: 'VIP' }).expect(409);
  });

  it('deletes a policy (204), leaving the others where they are', async () => {
    const policy = await createPolicy(await policyBody());
    const before = (await list()).filter((listed) => listed.id !== policy.id);
    await admin.delete(`/v1/sla-policies/${policy.id}`).expect(204);
    await agent.get(`/v1/sla-policies/${policy.id}`).expect(404);
    await admin.delete(`/v1/sla-policies/${policy.id}`).expect(404);
    const positions = new Map((await list()).map((listed) => [listed.id, listed.position]));
    for (const listed of before) {
      if (positions.has(listed.id)) expect(positions.get(listed.id)).toBe(listed.position);
    }
  });

  it('answers 404 to unknown and malformed ids', async () => {
    await agent.get(`/v1/sla-policies/${randomUUID()}`).expect(404);
    await agent.get('/v1/sla-policies/nope').expect(404);
    await admin.patch(`/v1/sla-policies/${randomUUID()}`, { name: unique('Gone') }).expect(404);
    await admin.delete(`/v1/sla-policies/${randomUUID()}`).expect(404);
  });

  it('forbids customers to read and non-admins to write (403)', async () => {
    const [first] = await list();
    await customer.get('/v1/sla-policies').expect(403);
    await customer.get(`/v1/sla-policies/${first.id}`).expect(403);
    for (const caller of [agent, customer, await t.as('supervisor')]) {
      await caller.post('/v1/sla-policies', await policyBody()).expect(403);
      await caller.patch(`/v1/sla-policies/${first.id}`, { position: 99 }).expect(403);
      await caller.delete(`/v1/sla-policies/${first.id}`).expect(403);
    }
    expect((await agent.get(`/v1/sla-policies/${first.id}`).expect(200)).body.name).toBe(first.name);
  });
});
