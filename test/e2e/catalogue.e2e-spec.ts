import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTicket } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

/** A key no other suite or test uses (the PostgreSQL database is shared between the suites of a run). */
function uniqueKey(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** The fields a 400 names, each once (a field failing several rules has one message per rule). */
function fieldsOf(res: { body: { errors?: { field: string }[] } }): string[] {
  return [...new Set((res.body.errors ?? []).map((error) => error.field))];
}

/** A ticket written straight to the database: these suites only need one to exist. */
async function givenTicket(t: TestApp, values: { category: string; subcategory: string; groupId?: string }) {
  await t.app.get(DataSource).query(
    `INSERT INTO tickets (subject, description, category, subcategory, priority, channel, requester_id, group_id)
       VALUES ('Subject', 'Description', $1, $2, 'normal', 'web', 'customer-fixture', $3)`,
    [values.category, values.subcategory, values.groupId ?? null],
  );
}

/** Session has no put(); this is the same thing. */
function put(t: TestApp, session: Session, url: string) {
  return t.http().put(url).set('Authorization', `Bearer ${session.token}`);
}

const SEEDED_KEYS = ['account', 'kyc', 'deposit_withdrawal', 'trading', 'security'];

describe('catalogue', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let customer: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    [admin, agent, customer] = await Promise.all([t.as('admin'), t.as('agent'), t.as('customer')]);
  });
  afterAll(() => t.close());

  /** A new enabled category with one field and two subcategories, owned by the calling test. */
  async function givenCategory(overrides: object = {}) {
    const key = uniqueKey('cat');
    const res = await admin
      .post('/v1/categories', {
        key,
        name: 'Earn',
        fields: [{ name: 'productId', type: 'string', required: false, pattern: '^[0-9]{1,10}$' }],
        subcategories: [
          { key: 'staking', name: 'Staking' },
          { key: 'savings', name: 'Savings' },
        ],
        ...overrides,
      })
      .expect(201);
    return { key, body: res.body };
  }

  describe('GET /v1/categories', () => {
    it('lists the five seeded categories first, in order, with subcategories, fields and requireOneOf', async () => {
      const res = await customer.get('/v1/categories').expect(200);
      expect(res.body.nextCursor).toBeNull();
      const keys: string[] = res.body.data.map((category: { key: string }) => category.key);
      expect(keys.slice(0, 5)).toEqual(SEEDED_KEYS);

      const byKey = Object.fromEntries(
        res.body.data.map((category: { key: string }) => [category.key, category]),
      );
      expect(byKey.account).toEqual({
        key: 'account',
        name: 'Account',
        enabled: true,
        subcategories: [
          { key: 'registration', name: 'Registration', enabled: true },
          { key: 'login', name: 'Login', enabled: true },
          { key: 'password_reset', name: 'Password reset', enabled: true },
          { key: 'account_recovery', name: 'Account recovery', enabled: true },
          { key: 'vip_level', name: 'VIP level', enabled: true },
          { key: 'profile', name: 'Profile', enabled: true },
        ],
        fields: [{ name: 'uid', type: 'string', required: false, pattern: '^[0-9]{1,20}$' }],
        requireOneOf: [],
      });
      expect(byKey.kyc.subcategories.map((sub: { key: string }) => sub.key)).toEqual([
        'verification_status',
        'document_rejected',
        'verification_level',
        'address_proof',
      ]);
      expect(byKey.kyc.fields).toEqual([
        { name: 'uid', type: 'string', required: false, pattern: '^[0-9]{1,20}$' },
        { name: 'kycLevel', type: 'integer', required: false, minimum: 0, maximum: 3 },
      ]);

      const deposits = byKey.deposit_withdrawal;
      expect(deposits.subcategories.map((sub: { key: string }) => sub.key)).toEqual([
        'deposit_not_credited',
        'withdrawal_delayed',
        'withdrawal_failed',
        'fees',
        'address_confirmation',
        'fiat',
      ]);
      expect(deposits.fields.map((field: { name: string }) => field.name)).toEqual([
        'currency',
        'network',
        'amount',
        'txHash',
        'orderId',
        'address',
      ]);
      expect(deposits.fields[0]).toEqual({
        name: 'currency',
        type: 'string',
        required: true,
        pattern: '^[A-Z0-9]{2,10}$',
      });
      expect(deposits.fields[3]).toEqual({
        name: 'txHash',
        type: 'string',
        required: false,
        pattern: '^(0x)?[0-9a-fA-F]{64}$',
        transform: 'lower',
      });
      expect(deposits.fields[2]).toMatchObject({ name: 'amount', type: 'decimal', required: false });
      expect(deposits.requireOneOf).toEqual([['txHash', 'orderId']]);

      expect(byKey.trading.subcategories.map((sub: { key: string }) => sub.key)).toEqual([
        'spot',
        'futures',
        'margin',
        'fiat_p2p',
        'fees',
        'stop_orders',
        'order_anomaly',
        'api',
      ]);
      expect(byKey.trading.fields).toEqual([
        { name: 'orderId', type: 'string', required: false, pattern: '^[A-Za-z0-9_-]{1,64}$' },
        {
          name: 'tradingPair',
          type: 'string',
          required: false,
          pattern: '^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$',
          transform: 'upper',
        },
      ]);
      expect(byKey.trading.requireOneOf).toEqual([['orderId', 'tradingPair']]);

      expect(byKey.security.subcategories.map((sub: { key: string }) => sub.key)).toEqual([
        'account_compromised',
        'unusual_login',
        'two_factor',
        'phishing_report',
        'anti_phishing_code',
        'freeze_request',
      ]);
      expect(byKey.security.fields.map((field: { name: string }) => field.name)).toEqual(['uid']);
    });

    it('serves field patterns that compile and accept what SPEC §4 describes', async () => {
      const res = await agent.get('/v1/categories/deposit_withdrawal').expect(200);
      const pattern = (name: string) =>
        new RegExp(res.body.fields.find((field: { name: string }) => field.name === name).pattern);
      expect(pattern('txHash').test(`0x${'ab'.repeat(32)}`)).toBe(true);
      expect(pattern('txHash').test('ab'.repeat(32))).toBe(true);
      expect(pattern('txHash').test('ab'.repeat(31))).toBe(false);
      expect(pattern('amount').test('0.00150000')).toBe(true);
      expect(pattern('amount').test('0')).toBe(false);
      expect(pattern('currency').test('USDT')).toBe(true);
      expect(pattern('currency').test('usdt')).toBe(false);
    });

    it('answers one category by key, and 404 for an unknown key', async () => {
      const res = await customer.get('/v1/categories/trading').expect(200);
      expect(res.body).toMatchObject({ key: 'trading', name: 'Trading', enabled: true });
      const missing = await customer.get('/v1/categories/no_such_category').expect(404);
      expect(missing.headers['content-type']).toContain(PROBLEM);
    });

    it('requires a token', async () => {
      await t.http().get('/v1/categories').expect(401);
    });
  });

  describe('admin writes', () => {
    it('creates a category last, with its fields, requireOneOf and subcategories', async () => {
      const key = uniqueKey('cat');
      const res = await admin
        .post('/v1/categories', {
          key,
          name: 'Earn & staking',
          fields: [
            {
              name: 'productId',
              type: 'string',
              required: true,
              pattern: '^[A-Z0-9-]{3,20}$',
              transform: 'upper',
            },
            { name: 'lockDays', type: 'integer', required: false, minimum: 0, maximum: 365 },
            { name: 'orderId', type: 'string', required: false },
          ],
          requireOneOf: [['productId', 'orderId']],
          subcategories: [
            { key: 'staking', name: 'Staking' },
            { key: 'savings', name: 'Savings' },
          ],
        })
        .expect(201);
      expect(res.body).toEqual({
        key,
        name: 'Earn & staking',
        enabled: true,
        subcategories: [
          { key: 'staking', name: 'Staking', enabled: true },
          { key: 'savings', name: 'Savings', enabled: true },
        ],
        fields: [
          {
            name: 'productId',
            type: 'string',
            required: true,
            pattern: '^[A-Z0-9-]{3,20}$',
            transform: 'upper',
          },
          { name: 'lockDays', type: 'integer', required: false, minimum: 0, maximum: 365 },
          { name: 'orderId', type: 'string', required: false },
        ],
        requireOneOf: [['productId', 'orderId']],
      });

      const list = await customer.get('/v1/categories').expect(200);
      const keys = list.body.data.map((category: { key: string }) => category.key);
      expect(keys.indexOf(key)).toBeGreaterThan(keys.indexOf('security'));
      await customer.get(`/v1/categories/${key}`).expect(200);
    });

    it('creates a category with only key and name', async () => {
      const key = uniqueKey('cat');
      const res = await admin.post('/v1/categories', { key, name: 'Bare' }).expect(201);
      expect(res.body).toEqual({
        key,
        name: 'Bare',
        enabled: true,
        subcategories: [],
        fields: [],
        requireOneOf: [],
      });
    });

    it('answers 409 to a duplicate category key', async () => {
      const res = await admin.post('/v1/categories', { key: 'account', name: 'Again' }).expect(409);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body.detail).toContain('account');
    });

    it('answers 400 with every invalid field named by path', async () => {
      const res = await admin
        .post('/v1/categories', {
          key: 'Bad Key',
          name: '',
          fields: [
            { name: 'ok', type: 'string', required: false, pattern: '([unclosed' },
            { name: 'snake_case', type: 'float', required: 'yes' },
          ],
          subcategories: [{ key: 'x', name: 'X', extra: true }],
          status: 'enabled',
        })
        .expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining([
          'key',
          'name',
          'fields.0.pattern',
          'fields.1.name',
          'fields.1.type',
          'fields.1.required',
          'subcategories.0.key',
          'subcategories.0.extra',
          'status',
        ]),
      );
    });

    it('answers 400 to a pattern that does not compile', async () => {
      const res = await admin
        .post('/v1/categories', {
          key: uniqueKey('cat'),
          name: 'Bad pattern',
          fields: [{ name: 'ref', type: 'string', required: false, pattern: '(?<x' }],
        })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'fields.0.pattern', message: expect.stringMatching(/regular expression/) },
      ]);
    });

    it('answers 400 when requireOneOf names an undefined field, or field definitions contradict each other', async () => {
      const res = await admin
        .post('/v1/categories', {
          key: uniqueKey('cat'),
          name: 'Contradictions',
          fields: [
            { name: 'ref', type: 'string', required: false, minimum: 1, transform: 'upper' },
            { name: 'ref', type: 'integer', required: false, minimum: 5, maximum: 1 },
          ],
          requireOneOf: [['ref', 'txHash']],
          subcategories: [
            { key: 'dup', name: 'One' },
            { key: 'dup', name: 'Two' },
          ],
        })
        .expect(400);
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining([
          'fields.0.minimum',
          'fields.1.name',
          'fields.1.maximum',
          'requireOneOf.0.1',
          'subcategories.1.key',
        ]),
      );
      expect(fieldsOf(res)).not.toContain('requireOneOf.0.0');
    });

    it('answers 400 to null where a value is optional, never a 500', async () => {
      const { key } = await givenCategory();
      const res = await admin.patch(`/v1/categories/${key}`, { name: null, enabled: null }).expect(400);
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'enabled']));
      await admin.post('/v1/categories', { key: uniqueKey('cat'), name: 'X', fields: null }).expect(400);
      await admin.post('/v1/categories', [1, 2]).expect(400);
      // PostgreSQL cannot store NUL: it is refused up front, in the body and in the path.
      const nul = await admin
        .post('/v1/categories', {
          key: uniqueKey('cat'),
          name: 'a\u0000b',
          fields: [{ name: 'ref', type: 'string', required: false, pattern: 'a\u0000' }],
        })
        .expect(400);
      expect(fieldsOf(nul)).toEqual(['name', 'fields.0.pattern']);
      await admin.get('/v1/categories/%00').expect(404);
      await admin.patch(`/v1/categories/${key}/subcategories/%00`, { name: 'X' }).expect(404);
      await admin
        .post('/v1/categories', { key: uniqueKey('cat'), name: 'X', requireOneOf: ['txHash'] })
        .expect(400);
    });

    it('renames a category and replaces its fields, checking requireOneOf against the result', async () => {
      const { key } = await givenCategory({ requireOneOf: [['productId']] });
      const renamed = await admin.patch(`/v1/categories/${key}`, { name: 'Earn v2' }).expect(200);
      expect(renamed.body).toMatchObject({ key, name: 'Earn v2', enabled: true });
      expect(renamed.body.fields).toHaveLength(1);

      // Dropping the field that requireOneOf names, without replacing requireOneOf, is refused.
      const refused = await admin.patch(`/v1/categories/${key}`, { fields: [] }).expect(400);
      expect(fieldsOf(refused)).toEqual(['requireOneOf.0.0']);

      const replaced = await admin
        .patch(`/v1/categories/${key}`, {
          fields: [{ name: 'walletId', type: 'string', required: true }],
          requireOneOf: [],
        })
        .expect(200);
      expect(replaced.body.fields).toEqual([{ name: 'walletId', type: 'string', required: true }]);
      expect(replaced.body.requireOneOf).toEqual([]);
      expect((await agent.get(`/v1/categories/${key}`).expect(200)).body.name).toBe('Earn v2');
    });

    it('hides a disabled category from customers but not from staff', async () => {
      const { key } = await givenCategory();
      const disabled = await admin.patch(`/v1/categories/${key}`, { enabled: false }).expect(200);
      expect(disabled.body.enabled).toBe(false);

      const customerList = await customer.get('/v1/categories').expect(200);
      expect(customerList.body.data.map((category: { key: string }) => category.key)).not.toContain(key);
      await customer.get(`/v1/categories/${key}`).expect(404);

      for (const staff of [agent, admin, await t.as('supervisor')]) {
        const list = await staff.get('/v1/categories').expect(200);
        const found = list.body.data.find((category: { key: string }) => category.key === key);
        expect(found).toMatchObject({ key, enabled: false });
      }
      expect((await agent.get(`/v1/categories/${key}`).expect(200)).body.enabled).toBe(false);

      await admin.patch(`/v1/categories/${key}`, { enabled: true }).expect(200);
      await customer.get(`/v1/categories/${key}`).expect(200);
    });

    it('adds and changes subcategories; customers see only enabled ones', async () => {
      const { key } = await givenCategory();
      const added = await admin
        .post(`/v1/categories/${key}/subcategories`, { key: 'launchpool', name: 'Launchpool' })
        .expect(201);
      expect(added.body).toEqual({ key: 'launchpool', name: 'Launchpool', enabled: true });
      await admin.post(`/v1/categories/${key}/subcategories`, { key: 'staking', name: 'Again' }).expect(409);
      await admin
        .post('/v1/categories/no_such_category/subcategories', { key: 'abc', name: 'A' })
        .expect(404);
      const invalid = await admin
        .post(`/v1/categories/${key}/subcategories`, { key: '1x', name: '' })
        .expect(400);
      expect(fieldsOf(invalid)).toEqual(expect.arrayContaining(['key', 'name']));

      const changed = await admin
        .patch(`/v1/categories/${key}/subcategories/savings`, { name: 'Flexible savings', enabled: false })
        .expect(200);
      expect(changed.body).toEqual({ key: 'savings', name: 'Flexible savings', enabled: false });
      await admin.patch(`/v1/categories/${key}/subcategories/nope`, { name: 'X' }).expect(404);
      await admin.patch(`/v1/categories/${key}/subcategories/savings`, { position: 1 }).expect(400);

      const forCustomer = await customer.get(`/v1/categories/${key}`).expect(200);
      expect(forCustomer.body.subcategories.map((sub: { key: string }) => sub.key)).toEqual([
        'staking',
        'launchpool',
      ]);
      const forAgent = await agent.get(`/v1/categories/${key}`).expect(200);
      expect(forAgent.body.subcategories).toEqual([
        { key: 'staking', name: 'Staking', enabled: true },
        { key: 'savings', name: 'Flexible savings', enabled: false },
        { key: 'launchpool', name: 'Launchpool', enabled: true },
      ]);
    });

    it('deletes an unused category (204), then 404', async () => {
      const { key } = await givenCategory();
      await admin.delete(`/v1/categories/${key}`).expect(204);
      await agent.get(`/v1/categories/${key}`).expect(404);
      await admin.delete(`/v1/categories/${key}`).expect(404);
    });

    it('refuses to delete a category a ticket uses (409: disable it instead)', async () => {
      const { key } = await givenCategory();
      await givenTicket(t, { category: key, subcategory: 'staking' });
      const res = await admin.delete(`/v1/categories/${key}`).expect(409);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body.detail).toMatch(/disable it instead/);
      await agent.get(`/v1/categories/${key}`).expect(200);
    });

    it('versions a category with ETag, honours If-Match (412, nothing changed) and counts subcategory changes', async () => {
      const { key } = await givenCategory();
      const url = `/v1/categories/${key}`;
      const read = await agent.get(url).expect(200);
      expect(read.headers.etag).toBe('"1"');

      const renamed = await admin.patch(url, { name: 'Earn+' }).set('If-Match', '"1"').expect(200);
      expect(renamed.headers.etag).toBe('"2"');
      const stale = await admin.patch(url, { name: 'Lost update' }).set('If-Match', '"1"').expect(412);
      expect(stale.headers['content-type']).toContain(PROBLEM);
      expect((await agent.get(url).expect(200)).body.name).toBe('Earn+');

      await admin.post(`${url}/subcategories`, { key: 'launchpool', name: 'Launchpool' }).expect(201);
      expect((await agent.get(url).expect(200)).headers.etag).toBe('"3"');
      await admin.patch(`${url}/subcategories/launchpool`, { enabled: false }).expect(200);
      expect((await agent.get(url).expect(200)).headers.etag).toBe('"4"');
      await admin.patch(url, { name: 'Earn' }).set('If-Match', '"3"').expect(412);
      await admin.patch(url, { name: 'Earn' }).set('If-Match', 'W/"4"').expect(412);
      await admin.patch(url, { name: 'Earn' }).set('If-Match', '"9", "4"').expect(200);
    });

    it('forbids writes to agents, supervisors and customers (403)', async () => {
      const { key } = await givenCategory();
      for (const caller of [agent, customer, await t.as('supervisor')]) {
        await caller.post('/v1/categories', { key: uniqueKey('cat'), name: 'Nope' }).expect(403);
        await caller.patch(`/v1/categories/${key}`, { name: 'Nope' }).expect(403);
        await caller.delete(`/v1/categories/${key}`).expect(403);
        await caller.post(`/v1/categories/${key}/subcategories`, { key: 'nope', name: 'Nope' }).expect(403);
        await caller.patch(`/v1/categories/${key}/subcategories/staking`, { name: 'Nope' }).expect(403);
      }
      expect((await agent.get(`/v1/categories/${key}`).expect(200)).body.name).toBe('Earn');
    });
  });
});

describe('groups', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let customer: Session;

  beforeAll(async () => {
    t = await TestApp.start();
    [admin, agent, customer] = await Promise.all([t.as('admin'), t.as('agent'), t.as('customer')]);
  });
  afterAll(() => t.close());

  async function givenGroup(overrides: object = {}) {
    const res = await admin
      .post('/v1/groups', { name: `Group ${randomUUID()}`, tier: 2, categories: ['kyc'], ...overrides })
      .expect(201);
    return res.body as { id: string; name: string };
  }

  it('lists the seeded groups with their tiers and categories to staff', async () => {
    for (const caller of [agent, admin, await t.as('supervisor')]) {
      const res = await caller.get('/v1/groups').expect(200);
      expect(res.body.nextCursor).toBeNull();
      const byName = Object.fromEntries(res.body.data.map((group: { name: string }) => [group.name, group]));
      expect(byName['Account L1']).toMatchObject({ tier: 1, categories: ['account'], members: [] });
      expect(byName['KYC L1']).toMatchObject({ tier: 1, categories: ['kyc'] });
      expect(byName['Deposit & Withdrawal L1']).toMatchObject({
        tier: 1,
        categories: ['deposit_withdrawal'],
      });
      expect(byName['Trading L1']).toMatchObject({ tier: 1, categories: ['trading'] });
      expect(byName['Security L1']).toMatchObject({ tier: 1, categories: ['security'] });
      for (const name of ['Specialists L2', 'Supervisors L3']) {
        expect(byName[name].categories).toEqual(expect.arrayContaining(SEEDED_KEYS));
      }
      expect(byName['Specialists L2'].tier).toBe(2);
      expect(byName['Supervisors L3'].tier).toBe(3);
      const tiers = res.body.data.map((group: { tier: number }) => group.tier);
      expect(tiers).toEqual([...tiers].sort());
    }
  });

  it('reads one group, with 404 for unknown and malformed ids', async () => {
    const list = await agent.get('/v1/groups').expect(200);
    const seeded = list.body.data.find((group: { name: string }) => group.name === 'Account L1');
    const res = await agent.get(`/v1/groups/${seeded.id}`).expect(200);
    expect(res.body).toEqual({
      id: seeded.id,
      name: 'Account L1',
      tier: 1,
      categories: ['account'],
      members: [],
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    await agent.get(`/v1/groups/${randomUUID()}`).expect(404);
    const malformed = await agent.get('/v1/groups/not-a-uuid').expect(404);
    expect(malformed.headers['content-type']).toContain(PROBLEM);
  });

  it('forbids customers to read groups (403)', async () => {
    await customer.get('/v1/groups').expect(403);
    const group = await givenGroup();
    await customer.get(`/v1/groups/${group.id}`).expect(403);
  });

  it('creates a group, listing members once', async () => {
    const name = `Fiat desk ${randomUUID()}`;
    const res = await admin
      .post('/v1/groups', {
        name,
        tier: 1,
        categories: ['deposit_withdrawal', 'trading', 'trading'],
        members: ['agent-7', 'agent-9', 'agent-7'],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      name,
      tier: 1,
      categories: ['deposit_withdrawal', 'trading'],
      members: ['agent-7', 'agent-9'],
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await agent.get('/v1/groups').expect(200);
    expect(listed.body.data.map((group: { id: string }) => group.id)).toContain(res.body.id);
  });

  it('answers 400 to an unknown category, naming it', async () => {
    const res = await admin
      .post('/v1/groups', { name: `G ${randomUUID()}`, tier: 1, categories: ['account', 'no_such_category'] })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'categories', message: expect.stringContaining('no_such_category') },
    ]);
  });

  it('answers 400 with every invalid field listed, unknown fields included', async () => {
    const res = await admin
      .post('/v1/groups', {
        name: '',
        tier: 4,
        categories: 'kyc',
        members: ['', 'x'.repeat(201)],
        id: 'mine',
      })
      .expect(400);
    expect(fieldsOf(res)).toEqual(expect.arrayContaining(['name', 'tier', 'categories', 'members', 'id']));
    const missing = await admin.post('/v1/groups', {}).expect(400);
    expect(fieldsOf(missing)).toEqual(expect.arrayContaining(['name', 'tier', 'categories']));
    await admin.post('/v1/groups', { name: 'X', tier: '2', categories: [] }).expect(400);
    const nul = await admin
      .post('/v1/groups', { name: 'a\u0000', tier: 1, categories: ['k\u0000'], members: ['agent\u0000'] })
      .expect(400);
    expect(fieldsOf(nul)).toEqual(['name', 'categories', 'members']);
  });

  it('answers 409 to a duplicate name, on create and on rename', async () => {
    const group = await givenGroup();
    await admin.post('/v1/groups', { name: 'Account L1', tier: 1, categories: ['account'] }).expect(409);
    await admin.patch(`/v1/groups/${group.id}`, { name: 'Security L1' }).expect(409);
    await admin.patch(`/v1/groups/${group.id}`, { name: group.name }).expect(200);
  });

  it('changes any of name, tier, categories and members', async () => {
    const group = await givenGroup({ members: ['agent-1'] });
    const name = `Renamed ${randomUUID()}`;
    const res = await admin
      .patch(`/v1/groups/${group.id}`, { name, tier: 3, categories: ['security'], members: ['agent-2'] })
      .expect(200);
    expect(res.body).toMatchObject({
      id: group.id,
      name,
      tier: 3,
      categories: ['security'],
      members: ['agent-2'],
    });
    const tierOnly = await admin.patch(`/v1/groups/${group.id}`, { tier: 1 }).expect(200);
    expect(tierOnly.body).toMatchObject({ name, tier: 1, categories: ['security'], members: ['agent-2'] });
    const invalid = await admin
      .patch(`/v1/groups/${group.id}`, { tier: 0, categories: ['nope_cat'] })
      .expect(400);
    expect(fieldsOf(invalid)).toContain('tier');
    await admin.patch(`/v1/groups/${group.id}`, { categories: ['nope_cat'] }).expect(400);
    await admin.patch(`/v1/groups/${group.id}`, { name: null }).expect(400);
    await admin.patch(`/v1/groups/${randomUUID()}`, { tier: 2 }).expect(404);
  });

  it('adds and removes members idempotently', async () => {
    const group = await givenGroup();
    const added = await put(t, admin, `/v1/groups/${group.id}/members/agent-42`).expect(200);
    expect(added.body.members).toEqual(['agent-42']);
    const again = await put(t, admin, `/v1/groups/${group.id}/members/agent-42`).expect(200);
    expect(again.body.members).toEqual(['agent-42']);
    await put(t, admin, `/v1/groups/${group.id}/members/agent-43`).expect(200);

    await admin.delete(`/v1/groups/${group.id}/members/agent-42`).expect(204);
    await admin.delete(`/v1/groups/${group.id}/members/agent-42`).expect(204);
    expect((await agent.get(`/v1/groups/${group.id}`).expect(200)).body.members).toEqual(['agent-43']);

    await put(t, admin, `/v1/groups/${randomUUID()}/members/agent-42`).expect(404);
    await admin.delete(`/v1/groups/${randomUUID()}/members/agent-42`).expect(404);
    // Over 200 characters: 400 from the service, or 414 from Fastify's path-parameter limit (100 by default).
    const tooLong = await put(t, admin, `/v1/groups/${group.id}/members/${'a'.repeat(201)}`);
    expect([400, 414]).toContain(tooLong.status);
    await put(t, admin, `/v1/groups/${group.id}/members/agent%00`).expect(400);
    await put(t, agent, `/v1/groups/${group.id}/members/agent-44`).expect(403);
    await agent.delete(`/v1/groups/${group.id}/members/agent-43`).expect(403);
  });

  it('deletes an empty group (204) and refuses one with tickets (409)', async () => {
    const empty = await givenGroup();
    await admin.delete(`/v1/groups/${empty.id}`).expect(204);
    await agent.get(`/v1/groups/${empty.id}`).expect(404);
    await admin.delete(`/v1/groups/${empty.id}`).expect(404);

    const busy = await givenGroup();
    await givenTicket(t, { category: 'kyc', subcategory: 'verification_status', groupId: busy.id });
    const res = await admin.delete(`/v1/groups/${busy.id}`).expect(409);
    expect(res.headers['content-type']).toContain(PROBLEM);
    await agent.get(`/v1/groups/${busy.id}`).expect(200);
  });

  it('carries a new tier to the tickets in the group, with a new ETag', async () => {
    const group = await givenGroup({ tier: 1 });
    const ticket = await openTicket(customer);
    await agent.patch(`/v1/tickets/${ticket.id}`, { groupId: group.id }).expect(200);
    const before = await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
    expect(before.body.tier).toBe(1);

    await admin.patch(`/v1/groups/${group.id}`, { tier: 2 }).expect(200);
    const after = await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
    expect(after.body.tier).toBe(2);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('versions a group with ETag and honours If-Match; member changes count', async () => {
    const group = await givenGroup();
    const url = `/v1/groups/${group.id}`;
    const created = await agent.get(url).expect(200);
    expect(created.headers.etag).toBe('"1"');
    await put(t, admin, `${url}/members/agent-51`).expect(200);
    expect((await agent.get(url).expect(200)).headers.etag).toBe('"2"');

    await admin.patch(url, { tier: 3 }).set('If-Match', '"1"').expect(412);
    expect((await agent.get(url).expect(200)).body.tier).toBe(2);
    const changed = await admin.patch(url, { tier: 3 }).set('If-Match', '"2"').expect(200);
    expect(changed.headers.etag).toBe('"3"');
    expect(changed.body.tier).toBe(3);
  });

  it('forbids writes to agents, supervisors and customers (403)', async () => {
    const group = await givenGroup();
    for (const caller of [agent, customer, await t.as('supervisor')]) {
      await caller.post('/v1/groups', { name: `G ${randomUUID()}`, tier: 1, categories: [] }).expect(403);
      await caller.patch(`/v1/groups/${group.id}`, { tier: 3 }).expect(403);
      await caller.delete(`/v1/groups/${group.id}`).expect(403);
    }
  });

  it('drops a deleted category from the groups that covered it', async () => {
    const key = uniqueKey('cat');
    await admin.post('/v1/categories', { key, name: 'Short-lived' }).expect(201);
    const group = await givenGroup({ categories: ['kyc', key] });
    await admin.delete(`/v1/categories/${key}`).expect(204);
    expect((await agent.get(`/v1/groups/${group.id}`).expect(200)).body.categories).toEqual(['kyc']);
  });
});
