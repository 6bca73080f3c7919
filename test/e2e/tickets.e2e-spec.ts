import { openTicket, ticketBody } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';
const TX_HASH = '0x' + 'AB'.repeat(32);

describe('tickets', () => {
  let t: TestApp;
  let customer: Session;
  let other: Session;
  let agent: Session;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    customer = await t.as('customer', { vip: 1, locale: 'zh-CN' });
    other = await t.as('customer');
    agent = await t.as('agent');
  });

  describe('creating', () => {
    it('opens a ticket with the defaults of the spec, routed to the tier-1 group, timers running', async () => {
      const res = await customer.post(
        '/v1/tickets',
        ticketBody({ fields: { currency: ' usdt ', txHash: TX_HASH } }),
      );
      expect(res.status).toBe(400); // currency must be upper-case letters/digits: not rewritten
      const created = await customer
        .post(
          '/v1/tickets',
          ticketBody({ fields: { currency: ' USDT ', txHash: TX_HASH, amount: '0.00150000' } }),
        )
        .expect(201);
      const ticket = created.body;
      expect(ticket).toMatchObject({
        status: 'new',
        priority: 'normal',
        channel: 'web',
        locale: 'zh-CN',
        requesterId: customer.id,
        requesterVip: 1,
        assigneeId: null,
        tier: 1,
        escalationLevel: 0,
        tags: [],
        fields: { currency: 'USDT', txHash: TX_HASH.toLowerCase(), amount: '0.00150000' },
        firstRespondedAt: null,
        solvedAt: null,
        closedAt: null,
        satisfaction: null,
      });
      expect(Number.isInteger(ticket.number)).toBe(true);
      const groups = await agent.get('/v1/groups').expect(200);
      const dw = groups.body.data.find((group: { name: string }) => group.name === 'Deposit & Withdrawal L1');
      expect(ticket.groupId).toBe(dw.id);
      // Normal policy: 24 h first reply, 48 h resolution, on the 24x7 calendar.
      const created_ = Date.parse(ticket.createdAt);
      expect(ticket.sla.firstResponse).toMatchObject({
        status: 'active',
        targetMinutes: 1440,
        elapsedMinutes: 0,
      });
      expect(Date.parse(ticket.sla.firstResponse.dueAt) - created_).toBe(24 * 3600_000);
      expect(Date.parse(ticket.sla.resolution.dueAt) - created_).toBe(48 * 3600_000);
      expect(ticket.sla.nextResponse).toMatchObject({ status: 'none', targetMinutes: 1440, dueAt: null });
    });

    it('numbers tickets sequentially', async () => {
      const first = await openTicket(customer);
      const second = await openTicket(customer);
      expect(second.number).toBeGreaterThan(first.number);
    });

    it.each([
      ['security', 'account_compromised', 'urgent'],
      ['security', 'freeze_request', 'urgent'],
      ['security', 'two_factor', 'high'],
      ['deposit_withdrawal', 'withdrawal_failed', 'high'],
      ['account', 'login', 'normal'],
    ])('defaults %s/%s to %s', async (category, subcategory, priority) => {
      const fields = category === 'deposit_withdrawal' ? { currency: 'BTC', orderId: 'W-1' } : {};
      const ticket = await openTicket(customer, { category, subcategory, fields });
      expect(ticket.priority).toBe(priority);
    });

    it('lists every invalid field, by path', async () => {
      const res = await customer
        .post('/v1/tickets', {
          category: 'deposit_withdrawal',
          subcategory: 'deposit_not_credited',
          subject: '',
          description: 'x',
          priority: 'urgent',
          channel: 'fax',
          fields: { txHash: '0x123', amount: '-1', colour: 'red' },
          status: 'open',
          sla: {},
          escalationLevel: 3,
        })
        .expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      const fields = res.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(
        expect.arrayContaining(['subject', 'channel', 'status', 'sla', 'escalationLevel']),
      );
      const second = await customer
        .post(
          '/v1/tickets',
          ticketBody({ priority: 'urgent', fields: { txHash: '0x123', amount: '-1', colour: 'red' } }),
        )
        .expect(400);
      expect(second.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
        ['fields.amount', 'fields.colour', 'fields.currency', 'fields.txHash', 'priority'].sort(),
      );
    });

    it('requires one of txHash/orderId for deposits and orderId/tradingPair for trading', async () => {
      const deposit = await customer
        .post('/v1/tickets', ticketBody({ fields: { currency: 'BTC' } }))
        .expect(400);
      expect(deposit.body.errors).toEqual([
        { field: 'fields.txHash', message: 'one of txHash, orderId is required' },
      ]);
      const trade = await openTicket(customer, {
        category: 'trading',
        subcategory: 'spot',
        fields: { tradingPair: 'btc-usdt' },
      });
      expect(trade.fields).toEqual({ tradingPair: 'BTC-USDT' });
    });

    it('rejects unknown categories and subcategories on their field', async () => {
      const res = await customer
        .post('/v1/tickets', ticketBody({ category: 'kyc', subcategory: 'deposit_not_credited', fields: {} }))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'subcategory' })]);
    });

    it('lets an agent open a ticket for a customer, and only agents', async () => {
      const res = await agent
        .post('/v1/tickets', ticketBody({ requesterId: customer.id, channel: 'phone' }))
        .expect(201);
      expect(res.body).toMatchObject({ requesterId: customer.id, channel: 'phone', requesterVip: 0 });
      await agent.post('/v1/tickets', ticketBody()).expect(400);
      const own = await customer.post('/v1/tickets', ticketBody({ requesterId: other.id })).expect(400);
      expect(own.body.errors[0].field).toBe('requesterId');
      const mine = await customer.get('/v1/tickets').expect(200);
      expect(mine.body.data.map((ticket: { id: string }) => ticket.id)).toContain(res.body.id);
    });

    it('answers malformed JSON with 400 and an oversized body with 413, as problems', async () => {
      const bad = await t
        .http()
        .post('/v1/tickets')
        .set('Authorization', `Bearer ${customer.token}`)
        .set('Content-Type', 'application/json')
        .send('{"subject": ');
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toContain(PROBLEM);
      const big = await customer.post(
        '/v1/tickets',
        ticketBody({ description: 'x'.repeat(1024 * 1024 + 10) }),
      );
      expect(big.status).toBe(413);
      expect(big.headers['content-type']).toContain(PROBLEM);
      const array = await customer.post('/v1/tickets', [1, 2] as unknown as object);
      expect(array.status).toBe(400);
    });
  });

  describe('reading', () => {
    it('hides other customers’ tickets behind 404, everywhere', async () => {
      const ticket = await openTicket(customer);
      for (const path of ['', '/messages', '/events']) {
        const res = await other.get(`/v1/tickets/${ticket.id}${path}`).expect(404);
        expect(res.headers['content-type']).toContain(PROBLEM);
      }
      await other.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(404);
      await other.post(`/v1/tickets/${ticket.id}/messages`, { body: 'hi' }).expect(404);
      await other.post(`/v1/tickets/${ticket.id}/satisfaction`, { rating: 5 }).expect(404);
      await customer.get('/v1/tickets/not-a-uuid').expect(404);
      await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
      const list = await other.get(`/v1/tickets?requesterId=${customer.id}`).expect(200);
      expect(list.body.data).toEqual([]);
    });

    it('returns a strong ETag', async () => {
      const ticket = await openTicket(customer);
      const res = await customer.get(`/v1/tickets/${ticket.id}`).expect(200);
      expect(res.headers['etag']).toBe('"1"');
    });
  });

  describe('status', () => {
    it('follows the transitions of the spec', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await agent.patch(url, { status: 'pending' }).expect(200);
      await agent.patch(url, { status: 'on_hold' }).expect(200);
      await agent.patch(url, { status: 'closed' }).expect(409);
      await agent.patch(url, { status: 'solved' }).expect(200);
      await agent.patch(url, { status: 'pending' }).expect(409);
      const closed = await agent.patch(url, { status: 'closed' }).expect(200);
      expect(closed.body.closedAt).not.toBeNull();
      const res = await agent.patch(url, { status: 'open' }).expect(409);
      expect(res.headers['content-type']).toContain(PROBLEM);
      await customer.post(`${url}/messages`, { body: 'hello?' }).expect(409);
      await agent.post(`${url}/messages`, { body: 'note', visibility: 'internal' }).expect(409);
      // Closed is final for every field, not only the status; a request that changes nothing is fine.
      for (const change of [{ priority: 'urgent' }, { tags: ['late'] }, { assigneeId: 'agent-9' }]) {
        await agent.patch(url, change).expect(409);
      }
      await agent.patch(url, { status: 'closed', priority: closed.body.priority }).expect(200);
      const after = await agent.get(url).expect(200);
      expect(after.body).toMatchObject({ priority: closed.body.priority, tags: [], assigneeId: null });
      expect(after.headers.etag).toBe(closed.headers.etag);
    });

    it('lets a customer set solved and nothing else', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const priority = await customer.patch(url, { priority: 'low' }).expect(403);
      expect(priority.headers['content-type']).toContain(PROBLEM);
      const open = await customer.patch(url, { status: 'open' }).expect(400);
      expect(open.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
      const solved = await customer.patch(url, { status: 'solved' }).expect(200);
      expect(solved.body.status).toBe('solved');
      expect(solved.body.solvedAt).not.toBeNull();
    });

    it('reopens pending, on-hold and solved tickets on a customer reply, leaves new as new', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await customer.post(`${url}/messages`, { body: 'more details' }).expect(201);
      expect((await customer.get(url)).body.status).toBe('new');
      for (const status of ['pending', 'on_hold', 'solved']) {
        await agent.patch(url, { status }).expect(200);
        await customer.post(`${url}/messages`, { body: `still broken (${status})` }).expect(201);
        const after = await customer.get(url).expect(200);
        expect(after.body.status).toBe('open');
        expect(after.body.solvedAt).toBeNull();
      }
    });
  });

  describe('messages', () => {
    it('keeps internal notes from customers; the first public agent reply answers the ticket', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await customer.post(`${url}/messages`, { body: 'note', visibility: 'internal' }).expect(400);
      const note = await agent
        .post(`${url}/messages`, { body: 'KYC team checking', visibility: 'internal' })
        .expect(201);
      expect(note.body).toMatchObject({ visibility: 'internal', authorId: agent.id, authorRole: 'agent' });
      let state = (await agent.get(url)).body;
      expect(state.firstRespondedAt).toBeNull();
      expect(state.status).toBe('new');
      const reply = await agent.post(`${url}/messages`, { body: 'We are on it.' }).expect(201);
      expect(reply.body.visibility).toBe('public');
      state = (await agent.get(url)).body;
      expect(state.firstRespondedAt).not.toBeNull();
      expect(state.status).toBe('open');
      expect(state.sla.firstResponse.status).toBe('achieved');

      const seen = await customer.get(`${url}/messages`).expect(200);
      expect(seen.body.data.map((m: { body: string }) => m.body)).toEqual(['We are on it.']);
      const all = await agent.get(`${url}/messages`).expect(200);
      expect(all.body.data).toHaveLength(2);
    });

    it('records every change in the timeline, customers seeing the safe subset', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await agent.patch(url, { assigneeId: agent.id, priority: 'high', tags: ['vip-desk'] }).expect(200);
      await agent.post(`${url}/messages`, { body: 'internal', visibility: 'internal' }).expect(201);
      await agent.post(`${url}/messages`, { body: 'public reply' }).expect(201);
      const staff = await agent.get(`${url}/events?limit=100`).expect(200);
      const types = staff.body.data.map((event: { type: string }) => event.type);
      expect(types.slice(0, 3)).toEqual(['ticket.created', 'sla.started', 'sla.started']);
      expect(types).toEqual(
        expect.arrayContaining([
          'ticket.priority_changed',
          'ticket.assigned',
          'ticket.tags_changed',
          'message.created',
          'ticket.status_changed',
          'sla.achieved',
        ]),
      );
      const priority = staff.body.data.find(
        (event: { type: string }) => event.type === 'ticket.priority_changed',
      );
      expect(priority).toMatchObject({
        actor: { id: agent.id, role: 'agent' },
        data: { from: 'normal', to: 'high' },
      });

      const own = await customer.get(`${url}/events?limit=100`).expect(200);
      const visible = own.body.data.map((event: { type: string }) => event.type);
      expect(visible).toEqual(['ticket.created', 'message.created', 'ticket.status_changed']);
      expect(own.body.data[0].data).not.toHaveProperty('priority');
      expect(own.body.data[0].data).not.toHaveProperty('groupId');
    });
  });

  describe('concurrency and retries', () => {
    it('enforces If-Match: a stale ETag is 412, and two agents never lose an update', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const first = await agent
        .patch(url, { tags: ['a'] })
        .set('If-Match', '"1"')
        .expect(200);
      expect(first.headers['etag']).toBe('"2"');
      const stale = await agent
        .patch(url, { tags: ['b'] })
        .set('If-Match', '"1"')
        .expect(412);
      expect(stale.headers['content-type']).toContain(PROBLEM);
      const second = await t.as('agent');
      const results = await Promise.all([
        agent.patch(url, { assigneeId: agent.id }).set('If-Match', '"2"'),
        second.patch(url, { priority: 'low' }).set('If-Match', '"2"'),
      ]);
      expect(results.map((res) => res.status).sort()).toEqual([200, 412]);
      const merged = await Promise.all([
        agent.patch(url, { tags: ['x'] }),
        second.patch(url, { assigneeId: 'agent-z' }),
      ]);
      expect(merged.map((res) => res.status)).toEqual([200, 200]);
      const final = (await agent.get(url)).body;
      expect(final.tags).toEqual(['x']);
      expect(final.assigneeId).toBe('agent-z');
    });

    it('replays an Idempotency-Key with the same body and refuses another body', async () => {
      const body = ticketBody();
      const first = await customer.post('/v1/tickets', body).set('Idempotency-Key', 'k-1').expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await customer.post('/v1/tickets', body).set('Idempotency-Key', 'k-1').expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const different = await customer
        .post('/v1/tickets', { ...body, subject: 'another' })
        .set('Idempotency-Key', 'k-1')
        .expect(409);
      expect(different.headers['content-type']).toContain(PROBLEM);
      // Keys are per caller: another customer may use the same key.
      await other.post('/v1/tickets', body).set('Idempotency-Key', 'k-1').expect(201);
    });

    it('creates one ticket for concurrent requests with one key', async () => {
      const body = ticketBody();
      const results = await Promise.all(
        [1, 2, 3].map(() => customer.post('/v1/tickets', body).set('Idempotency-Key', 'burst')),
      );
      expect(results.map((res) => res.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((res) => res.body.id)).size).toBe(1);
      const list = await customer.get('/v1/tickets?limit=100').expect(200);
      expect(
        list.body.data.filter((ticket: { subject: string }) => ticket.subject === body.subject),
      ).toHaveLength(1);
    });

    it('makes message creation idempotent too, and never stores a failed attempt', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}/messages`;
      const first = await customer.post(url, { body: 'once' }).set('Idempotency-Key', 'm-1').expect(201);
      const again = await customer.post(url, { body: 'once' }).set('Idempotency-Key', 'm-1').expect(201);
      expect(again.body.id).toBe(first.body.id);
      const messages = await customer.get(url).expect(200);
      expect(messages.body.data.filter((m: { body: string }) => m.body === 'once')).toHaveLength(1);
      await customer
        .post(url, { body: 'x', visibility: 'internal' })
        .set('Idempotency-Key', 'm-2')
        .expect(400);
      await customer.post(url, { body: 'fixed' }).set('Idempotency-Key', 'm-2').expect(201);
    });
  });

  describe('lists', () => {
    it('pages completely and without duplicates while tickets are being created', async () => {
      const requester = await t.as('customer');
      const before = [];
      for (let i = 0; i < 7; i++) before.push((await openTicket(requester)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page: { data: { id: string }[]; nextCursor: string | null } = (
          await requester.get(`/v1/tickets?limit=3${query}`).expect(200)
        ).body;
        seen.push(...page.data.map((ticket) => ticket.id));
        cursor = page.nextCursor;
        await openTicket(requester); // a concurrent insert between pages
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(before));
    });

    it('sorts by the nearest SLA deadline and by priority', async () => {
      const requester = await t.as('customer');
      const low = await openTicket(requester, { priority: 'low' });
      const high = await openTicket(requester, { priority: 'high' });
      const normal = await openTicket(requester);
      const queue = await agent.get(`/v1/tickets?requesterId=${requester.id}&sort=slaDueAt`).expect(200);
      expect(queue.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([
        high.id,
        normal.id,
        low.id,
      ]);
      const byPriority = await agent
        .get(`/v1/tickets?requesterId=${requester.id}&sort=-priority&limit=2`)
        .expect(200);
      expect(byPriority.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([high.id, normal.id]);
      const next = await agent
        .get(
          `/v1/tickets?requesterId=${requester.id}&sort=-priority&limit=2&cursor=${byPriority.body.nextCursor}`,
        )
        .expect(200);
      expect(next.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([low.id]);
      expect(next.body.nextCursor).toBeNull();
    });

    it('filters by status, priority, category, assignee, group, tag and creation time', async () => {
      const requester = await t.as('customer');
      const a = await openTicket(requester, { tags: ['alpha'] });
      const b = await openTicket(requester, { category: 'account', subcategory: 'login', fields: {} });
      await agent.patch(`/v1/tickets/${b.id}`, { status: 'pending', assigneeId: 'agent-f' }).expect(200);
      const ids = async (query: string) =>
        (await agent.get(`/v1/tickets?requesterId=${requester.id}&${query}`).expect(200)).body.data.map(
          (ticket: { id: string }) => ticket.id,
        );
      expect(await ids('status=pending')).toEqual([b.id]);
      expect(await ids('status=pending&status=new')).toEqual([b.id, a.id]);
      expect(await ids('category=account')).toEqual([b.id]);
      expect(await ids('assigneeId=agent-f')).toEqual([b.id]);
      expect(await ids('tag=alpha')).toEqual([a.id]);
      expect(await ids(`groupId=${a.groupId}`)).toEqual([a.id]);
      expect(await ids('priority=normal')).toEqual([b.id, a.id]);
      expect(await ids(`createdFrom=${encodeURIComponent(b.createdAt)}`)).toEqual([b.id]);
      expect(await ids(`createdTo=${encodeURIComponent(b.createdAt)}`)).toEqual([a.id]);
      expect(await ids('breached=true')).toEqual([]);
    });

    it.each([
      'limit=0',
      'limit=101',
      'limit=abc',
      'sort=priority',
      'status=lost',
      'cursor=garbage',
      'breached=yes',
    ])('rejects %s with 400', async (query) => {
      const res = await agent.get(`/v1/tickets?${query}`).expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
    });
  });

  describe('search', () => {
    it('finds English words and prefixes, Chinese words and exact field values', async () => {
      const requester = await t.as('customer');
      const english = await openTicket(requester, {
        subject: 'Withdrawal stuck in processing',
        fields: { currency: 'ETH', txHash: TX_HASH },
      });
      const chinese = await openTicket(requester, {
        subject: '充值未到账',
        description: '我昨天提现了 0.5 BTC，但是一直没有到账，请帮忙查一下。',
        fields: { currency: 'BTC', orderId: 'WD20261122001' },
      });
      const find = async (q: string) =>
        (
          await agent.get(`/v1/tickets?requesterId=${requester.id}&q=${encodeURIComponent(q)}`).expect(200)
        ).body.data.map((ticket: { id: string }) => ticket.id);
      expect(await find('withdrawal')).toEqual([english.id]);
      expect(await find('WITHDRAW')).toEqual([english.id]);
      expect(await find('drawal')).toEqual([]);
      expect(await find('提现')).toEqual([chinese.id]);
      expect(await find('充值未到账')).toEqual([chinese.id]);
      expect(await find(TX_HASH)).toEqual([english.id]);
      expect(await find(TX_HASH.toLowerCase())).toEqual([english.id]);
      expect(await find('WD20261122001')).toEqual([chinese.id]);
      expect(await find('withdrawal 提现')).toEqual([]);
      expect(await find('(.*)')).toEqual([]);
    });

    it('searches internal notes for agents only', async () => {
      const requester = await t.as('customer');
      const ticket = await openTicket(requester);
      // A word of this run only, so a reused database holds no earlier match.
      const word = `zebrafish${Date.now().toString(36)}`;
      await agent.post(`/v1/tickets/${ticket.id}/messages`, {
        body: `suspect ${word} scam`,
        visibility: 'internal',
      });
      await requester.post(`/v1/tickets/${ticket.id}/messages`, { body: 'any news on the kangaroo?' });
      const agentHits = await agent.get(`/v1/tickets?q=${word}`).expect(200);
      expect(agentHits.body.data.map((ticket_: { id: string }) => ticket_.id)).toEqual([ticket.id]);
      const customerHits = await requester.get(`/v1/tickets?q=${word}`).expect(200);
      expect(customerHits.body.data).toEqual([]);
      const own = await requester.get('/v1/tickets?q=kangaroo').expect(200);
      expect(own.body.data).toHaveLength(1);
    });
  });

  describe('satisfaction', () => {
    it('is given once, by the requester, on solved or closed tickets', async () => {
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}/satisfaction`;
      await customer.post(url, { rating: 5 }).expect(409);
      await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(200);
      await customer.post(url, { rating: 6 }).expect(400);
      await customer.post(url, { rating: '5' }).expect(400);
      await agent.post(url, { rating: 5 }).expect(403);
      const rated = await customer.post(url, { rating: 4, comment: 'Thanks' }).expect(201);
      expect(rated.body.satisfaction).toMatchObject({ rating: 4, comment: 'Thanks' });
      await customer.post(url, { rating: 5 }).expect(409);
      const events = await customer.get(`/v1/tickets/${ticket.id}/events`).expect(200);
      expect(events.body.data.map((event: { type: string }) => event.type)).toContain('ticket.satisfaction');
    });
  });

  describe('roles', () => {
    it('keeps customers and agents out of what is not theirs to change', async () => {
      const ticket = await openTicket(customer);
      await customer.patch(`/v1/tickets/${ticket.id}`, { assigneeId: customer.id }).expect(403);
      await customer.patch(`/v1/tickets/${ticket.id}`, { tags: ['x'] }).expect(403);
      await agent
        .patch(`/v1/tickets/${ticket.id}`, { groupId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      await t.http().get('/v1/tickets').expect(401);
    });
  });
});
