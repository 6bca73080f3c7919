import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SHUTDOWN_GRACE_MS, WebhookDeliveryWorker } from '../../src/webhooks/webhook-delivery.worker';
import { WebhookOutboxRepository } from '../../src/webhooks/webhook-outbox.repository';
import { WebhookOutboxSweeper } from '../../src/webhooks/webhook-outbox.sweeper';
import { verifySignature } from '../../src/webhooks/webhook-signature';
import { openTicket } from '../support/given';
import { EscalationScheduler } from '../../src/escalation/escalation.scheduler';
import { type Session, TestApp, TestClock } from '../support/test-app';

const PROBLEM = 'application/problem+json';
const SECRET = 'whsec_test_0123456789abcdef';
const ALL_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.message_created',
  'sla.at_risk',
  'sla.breached',
  'ticket.escalated',
  'ticket.solved',
  'ticket.closed',
];
/** Fast delivery for tests: the worker looks every 25 ms, retries wait 20–200 ms. */
const FAST = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_DELIVERY_INTERVAL_MS: '25',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '200',
};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook endpoint on loopback: answers 500 to the first `failFirst` requests, 204 afterwards. */
class Receiver {
  readonly requests: Received[] = [];
  private server?: Server;
  port = 0;

  constructor(private failFirst = 0) {}

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = this.failFirst > 0 ? 500 : 204;
        if (this.failFirst > 0) this.failFirst -= 1;
        this.respond(() => {
          this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
          res.writeHead(status).end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Answers a request (calls `finish`); subclasses may hold it. */
  protected respond(finish: () => void): void {
    finish();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Accepted deliveries, parsed. */
  delivered(): { headers: IncomingHttpHeaders; body: string; event: WebhookEvent }[] {
    return this.requests
      .filter((request) => request.status < 300)
      .map((request) => ({ ...request, event: JSON.parse(request.body) as WebhookEvent }));
  }
}

interface WebhookEvent {
  id: string;
  type: string;
  createdAt: string;
  data: {
    ticket: {
      id: string;
      status: string;
      priority: string;
      tags: string[];
      description: string;
      escalationLevel: number;
    };
    message?: { id: string; visibility: string; authorRole: string; createdAt: string };
  };
}

/** Polls (the worker runs on its own schedule) until `check` passes or the time is up. */
async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

function expectSigned(request: { headers: IncomingHttpHeaders; body: string }, secret = SECRET): void {
  expect(request.headers['content-type']).toBe('application/json');
  const signature = String(request.headers['x-signature']);
  expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(verifySignature(secret, request.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
  expect(verifySignature('another-secret-0123456789', request.body, signature, Date.now() / 1000)).toBe(
    false,
  );
  expect(request.headers['x-event-id']).toBe(JSON.parse(request.body).id);
}

/** Every endpoint a test registers, deleted at the end: on a shared PostgreSQL no other suite may see them. */
const registered: string[] = [];

async function createWebhook(admin: Session, url: string, overrides: object = {}) {
  const res = await admin.post('/v1/webhooks', { url, events: ALL_EVENTS, secret: SECRET, ...overrides });
  expect(res.status).toBe(201);
  registered.push(res.body.id);
  return res.body as { id: string; secret: string };
}

async function removeRegistered(t: TestApp): Promise<void> {
  await t.app
    .get(DataSource)
    .query(`DELETE FROM webhooks WHERE id = ANY($1::uuid[])`, [registered.splice(0)]);
}

/** `count` due deliveries of one event each to `webhookId`, each of its own ticket chain. */
async function backlog(t: TestApp, webhookId: string, ticketId: string, count: number): Promise<void> {
  // The delivery's ticket_id has no foreign key: distinct ids make every row the head of a chain.
  await t.app.get(DataSource).query(
    `WITH ev AS (
       INSERT INTO webhook_events (id, ticket_id, type, body, created_at)
       SELECT gen_random_uuid(), $1, 'ticket.created', '{}', now() FROM generate_series(1, $3) RETURNING id)
     INSERT INTO webhook_deliveries (webhook_id, event_id, ticket_id) SELECT $2, id, gen_random_uuid() FROM ev`,
    [ticketId, webhookId, count],
  );
}

/** A receiver that holds every request until the test lets it answer. */
class HoldingReceiver extends Receiver {
  private readonly held: (() => void)[] = [];
  heldCount = 0;

  protected override respond(finish: () => void): void {
    this.heldCount += 1;
    this.held.push(finish);
  }

  /** Answers every held request, and those to come at once. */
  releaseAll(): void {
    this.respond = (finish) => finish();
    for (const finish of this.held.splice(0)) finish();
  }
}

describe('webhooks', () => {
  describe('delivery', () => {
    let t: TestApp;
    let admin: Session;
    let customer: Session;
    let agent: Session;
    const receivers: Receiver[] = [];

    beforeAll(async () => {
      t = await TestApp.start(FAST);
    });
    afterAll(async () => {
      await removeRegistered(t);
      await t.close();
      await Promise.all(receivers.map((receiver) => receiver.stop()));
    });
    beforeEach(async () => {
      admin = await t.as('admin');
      customer = await t.as('customer');
      agent = await t.as('agent');
    });

    async function receiver(failFirst = 0): Promise<Receiver> {
      const started = await new Receiver(failFirst).start();
      receivers.push(started);
      return started;
    }

    it('signs every event, retries the failed attempts and lists them all', async () => {
      const endpoint = await receiver(2);
      const webhook = await createWebhook(admin, endpoint.url);
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await agent
        .post(`${url}/messages`, { body: 'We are checking the deposit.', visibility: 'public' })
        .expect(201);
      await agent.patch(url, { status: 'solved' }).expect(200);

      const delivered = await eventually(() => {
        const got = endpoint.delivered().filter((request) => request.event.data.ticket.id === ticket.id);
        expect(got.map((request) => request.event.type)).toEqual(
          expect.arrayContaining(['ticket.created', 'ticket.message_created', 'ticket.solved']),
        );
        return got;
      });
      for (const request of endpoint.requests) expectSigned(request);
      // One ticket's events arrive in the order they happened, whatever was retried in between.
      const types = delivered.map((request) => request.event.type);
      expect(types[0]).toBe('ticket.created');
      expect(types[types.length - 1]).toBe('ticket.solved');
      expect(types.indexOf('ticket.message_created')).toBeLessThan(types.indexOf('ticket.solved'));
      const created = delivered[0].event;
      expect(Object.keys(created)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(created.data.ticket).toMatchObject({ id: ticket.id, number: ticket.number, status: 'new' });
      expect(created.data.ticket).toHaveProperty('sla.firstResponse.dueAt');
      expect(delivered[delivered.length - 1].event.data.ticket.status).toBe('solved');

      // The first two requests failed: each attempt is listed, and the retry keeps the event's id.
      const mine = new Set(delivered.map((request) => request.event.id));
      const deliveries = await eventually(async () => {
        const res = await admin.get(`/v1/webhooks/${webhook.id}/deliveries?limit=100`).expect(200);
        const rows = res.body.data as {
          eventId: string;
          eventType: string;
          attempt: number;
          outcome: string;
          statusCode: number | null;
          durationMs: number;
          error: string | null;
          createdAt: string;
        }[];
        const done = new Set(rows.filter((row) => row.outcome === 'delivered').map((row) => row.eventId));
        for (const id of mine) expect(done.has(id)).toBe(true);
        for (const row of rows) if (row.outcome === 'retry') expect(done.has(row.eventId)).toBe(true);
        return rows;
      });
      const failed = deliveries.filter((row) => row.outcome === 'retry');
      expect(failed).toHaveLength(2);
      for (const row of failed) {
        expect(row).toMatchObject({ statusCode: 500, error: 'unexpected status 500' });
        expect(typeof row.durationMs).toBe('number');
        const success = deliveries.find(
          (other) => other.eventId === row.eventId && other.outcome === 'delivered',
        );
        expect(success).toMatchObject({ statusCode: 204, error: null });
        expect(success!.attempt).toBeGreaterThan(row.attempt);
        expect(
          endpoint.requests.filter((request) => request.headers['x-event-id'] === row.eventId).length,
        ).toBe(success!.attempt);
      }

      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/webhook_deliveries_total\{result="retry"\} [1-9]/);
      expect(metrics.text).toMatch(/webhook_deliveries_total\{result="delivered"\} [1-9]/);
      expect(metrics.text).toMatch(/webhook_delivery_duration_seconds_count [1-9]/);
    });

    it('sends one ticket.updated per change, only the subscribed events, and never a secret', async () => {
      const endpoint = await receiver();
      await createWebhook(admin, endpoint.url, { events: ['ticket.updated', 'ticket.message_created'] });
      const phrase = 'abuse crane switch clock pupil link pioneer solar obvious upper limb flag';
      const ticket = await openTicket(customer, { description: `My wallet seed is ${phrase}, please help.` });
      const url = `/v1/tickets/${ticket.id}`;
      await agent.patch(url, { priority: 'high', tags: ['vip'], assigneeId: agent.id }).expect(200);
      await customer.post(`${url}/messages`, { body: 'Any news?', visibility: 'public' }).expect(201);

      const got = await eventually(() => {
        const events = endpoint
          .delivered()
          .map((request) => request.event)
          .filter((event) => event.data.ticket.id === ticket.id);
        expect(events.map((event) => event.type)).toEqual(
          expect.arrayContaining(['ticket.updated', 'ticket.message_created']),
        );
        return events;
      });
      // Three field changes in one PATCH are one event (at-least-once: count distinct ids).
      const updates = got.filter((event) => event.type === 'ticket.updated');
      expect(new Set(updates.map((event) => event.id)).size).toBe(1);
      expect(updates[0].data.ticket).toMatchObject({ priority: 'high', tags: ['vip'] });
      expect(got.some((event) => event.type === 'ticket.created')).toBe(false);
      expect(updates[0].data.ticket.description).not.toContain('pupil link pioneer');
      for (const request of endpoint.requests) expect(request.body).not.toContain('pupil link pioneer');
    });

    it('tells an internal note from a public reply in ticket.message_created, without the text', async () => {
      const endpoint = await receiver();
      await createWebhook(admin, endpoint.url, { events: ['ticket.message_created'] });
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}/messages`;
      const note = (await agent.post(url, { body: 'Looks like fraud.', visibility: 'internal' }).expect(201))
        .body;
      const reply = (await agent.post(url, { body: 'We are on it.', visibility: 'public' }).expect(201)).body;
      const events = await eventually(() => {
        const mine = endpoint
          .delivered()
          .map((request) => request.event)
          .filter((event) => event.data.ticket.id === ticket.id);
        expect(mine).toHaveLength(2);
        return mine;
      });
      // Before: `data` held only the ticket, so an integrator could not tell the two apart.
      expect(events.map((event) => event.data.message)).toEqual([
        { id: note.id, visibility: 'internal', authorRole: 'agent', createdAt: note.createdAt },
        { id: reply.id, visibility: 'public', authorRole: 'agent', createdAt: reply.createdAt },
      ]);
      expect(Object.keys(events[0].data)).toEqual(['ticket', 'message']);
      for (const request of endpoint.requests) expect(request.body).not.toContain('Looks like fraud');
    });

    it('carries the ticket as the change left it, also where the timeline is written first', async () => {
      const endpoint = await receiver();
      await createWebhook(admin, endpoint.url, { events: ['ticket.escalated', 'ticket.updated'] });
      const supervisor = await t.as('supervisor');
      const ticket = await openTicket(customer);
      await supervisor.post(`/v1/tickets/${ticket.id}/escalate`, { reason: 'Large withdrawal' }).expect(200);
      const events = await eventually(() => {
        const mine = endpoint
          .delivered()
          .map((request) => request.event)
          .filter((event) => event.data.ticket.id === ticket.id);
        expect(mine.map((event) => event.type).sort()).toEqual(['ticket.escalated', 'ticket.updated']);
        return mine;
      });
      for (const event of events) {
        expect(event.data.ticket).toMatchObject({ escalationLevel: 1, priority: 'high' });
      }
    });

    it('delivers nothing to inactive endpoints or for unsubscribed events', async () => {
      const endpoint = await receiver();
      await createWebhook(admin, endpoint.url, { active: false });
      const other = await receiver();
      await createWebhook(admin, other.url, { events: ['sla.breached'] });
      const probe = await receiver();
      await createWebhook(admin, probe.url, { events: ['ticket.created'] });
      const ticket = await openTicket(customer);
      await eventually(() =>
        expect(probe.delivered().some((request) => request.event.data.ticket.id === ticket.id)).toBe(true),
      );
      expect(endpoint.requests).toHaveLength(0);
      expect(other.requests).toHaveLength(0);
    });
  });

  describe('the scheduler’s events', () => {
    const clock = new TestClock();
    let t: TestApp;
    let endpoint: Receiver;

    beforeAll(async () => {
      // The scheduler runs when this suite ticks it; solved tickets close at the next run.
      t = await TestApp.start({ ...FAST, SCHEDULER_ENABLED: 'false', AUTO_CLOSE_DAYS: '0' }, { clock });
      endpoint = await new Receiver().start();
    });
    afterAll(async () => {
      await removeRegistered(t);
      await t.close();
      await endpoint.stop();
    });

    it('delivers at risk, breached, escalated and closed, each signed, with the ticket after the change', async () => {
      const admin = await t.as('admin');
      const customer = await t.as('customer');
      const agent = await t.as('agent');
      await createWebhook(admin, endpoint.url);
      const hour = 60 * 60_000;
      clock.set(new Date(Date.now() - 20 * hour)); // normal: at risk from 19.2 h, due at 24 h
      const atRisk = await openTicket(customer);
      clock.set(new Date(Date.now() - 25 * hour));
      const overdue = await openTicket(customer);
      clock.set(new Date());
      const solved = await openTicket(customer);
      await agent.patch(`/v1/tickets/${solved.id}`, { status: 'solved' }).expect(200);
      await t.app.get(EscalationScheduler).tick();

      const typesOf = (id: string) =>
        endpoint
          .delivered()
          .filter((request) => request.event.data.ticket.id === id)
          .map((request) => request.event.type);
      await eventually(() => {
        expect(typesOf(atRisk.id)).toEqual(['ticket.created', 'sla.at_risk']);
        expect(typesOf(overdue.id)).toEqual(
          expect.arrayContaining(['ticket.created', 'sla.breached', 'ticket.escalated', 'ticket.updated']),
        );
        expect(typesOf(solved.id)).toEqual(['ticket.created', 'ticket.solved', 'ticket.closed']);
      });
      for (const request of endpoint.requests) expectSigned(request);
      const escalated = endpoint
        .delivered()
        .find(
          (request) =>
            request.event.type === 'ticket.escalated' && request.event.data.ticket.id === overdue.id,
        )!;
      expect(escalated.event.data.ticket).toMatchObject({ escalationLevel: 1, tier: 2 });
      const closed = endpoint.delivered().find((request) => request.event.type === 'ticket.closed')!;
      expect(closed.event.data.ticket.status).toBe('closed');
    });
  });

  describe('delivery with private targets refused', () => {
    const receivers: Receiver[] = [];
    afterAll(() => Promise.all(receivers.map((receiver) => receiver.stop())));

    it('refuses at delivery time a target that resolves to a blocked address (WEBHOOK_ALLOW_PRIVATE=false)', async () => {
      const strict = await TestApp.start({ ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' });
      try {
        const endpoint = await new Receiver().start();
        receivers.push(endpoint);
        // As if DNS had pointed a public name at loopback after registration (rebinding).
        const [row] = await strict.app
          .get(DataSource)
          .query(`INSERT INTO webhooks (url, events, secret) VALUES ($1, $2, $3) RETURNING id`, [
            endpoint.url,
            ['ticket.created'],
            SECRET,
          ]);
        const strictAdmin = await strict.as('admin');
        await openTicket(await strict.as('customer'));
        const attempts = await eventually(async () => {
          const res = await strictAdmin.get(`/v1/webhooks/${row.id}/deliveries`).expect(200);
          expect(res.body.data.length).toBeGreaterThanOrEqual(1);
          return res.body.data;
        });
        expect(attempts[0]).toMatchObject({
          eventType: 'ticket.created',
          outcome: 'retry',
          statusCode: null,
        });
        expect(attempts[0].error).toBe('blocked address');
        expect(endpoint.requests).toHaveLength(0);
      } finally {
        await strict.app.get(DataSource).query(`DELETE FROM webhooks WHERE url = $1`, [receivers[0]?.url]);
        await strict.close();
      }
    });
  });

  describe('across a restart with the receiver down', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-webhooks-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('keeps every event and delivers it once the receiver is back, leases of a dead worker included', async () => {
      // On PGlite the data lives in DATA_DIR; on PostgreSQL (DATABASE_URL) in that database.
      const config = { ...FAST, DATA_DIR: dataDir };
      const endpoint = await new Receiver().start();
      const port = endpoint.port;
      let first: TestApp | undefined = await TestApp.start(config);
      let second: TestApp | undefined;
      try {
        const admin = await first.as('admin');
        const webhook = await createWebhook(admin, endpoint.url, {
          events: ['ticket.created', 'ticket.solved'],
        });
        await endpoint.stop();

        const customer = await first.as('customer');
        const before = await openTicket(customer);
        // The receiver is down: the attempt fails (connection refused) and is listed.
        await eventually(async () => {
          const res = await admin.get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200);
          expect(res.body.data.some((row: { outcome: string }) => row.outcome === 'retry')).toBe(true);
        });
        const stuck = await openTicket(customer);
        // A worker that claimed this delivery and died: its lease must lapse before anyone retries.
        const stopped = first.app.get(DataSource);
        await stopped.query(
          `UPDATE webhook_deliveries SET locked_until = now() + interval '1 second', claim_token = gen_random_uuid()
            WHERE ticket_id = $1`,
          [stuck.id],
        );
        await first.close();
        first = undefined;

        second = await TestApp.start(config);
        const agent = await second.as('agent');
        await agent.patch(`/v1/tickets/${before.id}`, { status: 'solved' }).expect(200);
        const back = await new Receiver().start(port);
        try {
          const got = await eventually(() => {
            const events = back.delivered().map((request) => request.event);
            expect(events.map((event) => `${event.type} ${event.data.ticket.id}`)).toEqual(
              expect.arrayContaining([
                `ticket.created ${before.id}`,
                `ticket.solved ${before.id}`,
                `ticket.created ${stuck.id}`,
              ]),
            );
            return back.delivered();
          }, 20_000);
          for (const request of back.requests) expectSigned(request);
          const forBefore = got.filter((request) => request.event.data.ticket.id === before.id);
          expect(forBefore.map((request) => request.event.type)).toEqual(['ticket.created', 'ticket.solved']);
          const secondAdmin = await second.as('admin');
          const res = await secondAdmin.get(`/v1/webhooks/${webhook.id}/deliveries?limit=100`).expect(200);
          const refused = res.body.data.filter((row: { outcome: string }) => row.outcome === 'retry');
          expect(refused.length).toBeGreaterThanOrEqual(1);
          expect(refused[0].statusCode).toBeNull();
          expect(refused[0].error).toEqual(expect.any(String));
        } finally {
          await back.stop();
        }
      } finally {
        if (second) await removeRegistered(second);
        await first?.close();
        await second?.close();
      }
    });
  });

  describe('endpoints', () => {
    let t: TestApp;
    let admin: Session;

    beforeAll(async () => {
      t = await TestApp.start();
    });
    afterAll(async () => {
      await t.app.get(DataSource).query(`DELETE FROM webhooks WHERE url = $1`, [PUBLIC]);
      await t.close();
    });
    beforeEach(async () => {
      admin = await t.as('admin');
    });

    const PUBLIC = 'https://93.184.215.14/hooks/sla-desk';

    it('creates an endpoint, shows the secret once, and lists, reads, changes and deletes it', async () => {
      const created = await admin
        .post('/v1/webhooks', { url: PUBLIC, events: ['ticket.closed'] })
        .expect(201);
      expect(created.body).toMatchObject({ url: PUBLIC, events: ['ticket.closed'], active: true });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
      expect(created.headers.etag).toBe('"1"');
      const id = created.body.id;

      const read = await admin.get(`/v1/webhooks/${id}`).expect(200);
      expect(read.body).not.toHaveProperty('secret');
      expect(read.body).toEqual({
        id,
        url: PUBLIC,
        events: ['ticket.closed'],
        active: true,
        createdAt: created.body.createdAt,
        updatedAt: created.body.updatedAt,
      });

      await admin.patch(`/v1/webhooks/${id}`, { active: false }).set('If-Match', '"7"').expect(412);
      const changed = await admin
        .patch(`/v1/webhooks/${id}`, {
          active: false,
          events: ['sla.breached', 'sla.breached'],
          secret: 'x'.repeat(20),
        })
        .set('If-Match', read.headers.etag)
        .expect(200);
      expect(changed.body).toMatchObject({ active: false, events: ['sla.breached'] });
      expect(changed.body).not.toHaveProperty('secret');
      expect(changed.headers.etag).toBe('"2"');

      await admin.delete(`/v1/webhooks/${id}`).expect(204);
      await admin.get(`/v1/webhooks/${id}`).expect(404);
      await admin.get(`/v1/webhooks/${id}/deliveries`).expect(404);
      await admin.delete(`/v1/webhooks/${id}`).expect(404);
      await admin.get('/v1/webhooks/not-a-uuid').expect(404);
    });

    it('pages the list with a cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const body = { url: PUBLIC, events: ['ticket.closed'], active: false };
        ids.push((await admin.post('/v1/webhooks', body).expect(201)).body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await admin
          .get(`/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((webhook) => webhook.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(ids));
      expect(new Set(seen).size).toBe(seen.length);
      await admin.get('/v1/webhooks?cursor=garbage').expect(400);
      await admin.get('/v1/webhooks?limit=0').expect(400);
    });

    it('is for admins only', async () => {
      for (const role of ['customer', 'agent', 'supervisor'] as const) {
        const session = await t.as(role);
        await session.get('/v1/webhooks').expect(403);
        await session.post('/v1/webhooks', { url: PUBLIC, events: ['ticket.created'] }).expect(403);
      }
      await t.http().get('/v1/webhooks').expect(401);
    });

    it('lists every invalid field', async () => {
      const res = await admin
        .post('/v1/webhooks', { url: 42, events: ['ticket.deleted'], secret: 'short', extra: true })
        .expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      const fields = res.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['url', 'events', 'secret', 'extra']));
      await admin.post('/v1/webhooks', { url: PUBLIC, events: [] }).expect(400);
      await admin.post('/v1/webhooks', { url: PUBLIC }).expect(400);
    });

    it.each([
      ['loopback', 'http://127.0.0.1:8080/hook'],
      ['loopback in short form', 'http://127.1/hook'],
      ['private 10/8', 'http://10.0.0.1/hook'],
      ['private 192.168/16', 'https://192.168.1.20/hook'],
      ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['IPv6 loopback', 'http://[::1]/hook'],
      ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
      ['IPv4-compatible loopback', 'http://[::127.0.0.1]/hook'],
      ['credentials in the URL', 'http://user:s3cret-pw@93.184.215.14/hook'],
      ['IPv6 unique-local', 'http://[fd00::1]/hook'],
      ['CGNAT', 'http://100.64.0.1/hook'],
      ['unspecified', 'http://0.0.0.0/hook'],
      ['a name resolving to loopback', 'http://localhost:3000/hook'],
      ['a non-http scheme', 'ftp://93.184.215.14/hook'],
      ['a file URL', 'file:///etc/passwd'],
      ['not a URL', 'hooks.example.com/path'],
    ])('refuses %s with 400 on url', async (_case, url) => {
      const res = await admin.post('/v1/webhooks', { url, events: ['ticket.created'] }).expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
      expect(res.text).not.toContain('s3cret-pw');
    });

    it('refuses a private target on update too', async () => {
      const created = await admin
        .post('/v1/webhooks', { url: PUBLIC, events: ['ticket.created'], active: false })
        .expect(201);
      const res = await admin
        .patch(`/v1/webhooks/${created.body.id}`, { url: 'http://10.1.2.3/' })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
      expect((await admin.get(`/v1/webhooks/${created.body.id}`).expect(200)).body.url).toBe(PUBLIC);
    });
  });
});

describe('delivery pace', () => {
  it('delivers to a fast endpoint while a slow one holds its request', async () => {
    const t = await TestApp.start({ ...FAST, WEBHOOK_TIMEOUT_MS: '30000' });
    const slow = await new HoldingReceiver().start();
    const fast = await new Receiver().start();
    try {
      const admin = await t.as('admin');
      await createWebhook(admin, slow.url, { events: ['ticket.created'] });
      await createWebhook(admin, fast.url, { events: ['ticket.updated'] });
      const ticket = await openTicket(await t.as('customer'));
      await eventually(() => expect(slow.heldCount).toBe(1));
      await (await t.as('agent')).patch(`/v1/tickets/${ticket.id}`, { priority: 'high' }).expect(200);
      // Before: the worker waited for every endpoint of its batch, so this waited for the slow one.
      await eventually(() =>
        expect(fast.delivered().map((request) => request.event.type)).toEqual(['ticket.updated']),
      );
      expect(slow.requests).toHaveLength(0);
      slow.releaseAll();
      await eventually(() => expect(slow.requests).toHaveLength(1));
    } finally {
      slow.releaseAll();
      await removeRegistered(t);
      await t.close();
      await Promise.all([slow.stop(), fast.stop()]);
    }
  });

  it('claims again as soon as a run ends while more is due, not at the next interval', async () => {
    // The interval is an hour: only claiming again after each run can deliver more than one run's worth.
    const t = await TestApp.start({ ...FAST, WEBHOOK_DELIVERY_INTERVAL_MS: '3600000' });
    const endpoint = await new Receiver().start();
    try {
      const webhook = await createWebhook(await t.as('admin'), endpoint.url, { events: ['ticket.closed'] });
      await backlog(t, webhook.id, (await openTicket(await t.as('customer'))).id, 35);
      t.app.get(WebhookDeliveryWorker).wake();
      await eventually(() => expect(endpoint.delivered()).toHaveLength(35));
    } finally {
      await removeRegistered(t);
      await t.close();
      await endpoint.stop();
    }
  });
});

describe('shutdown', () => {
  // Each test starts two apps in turn.
  jest.setTimeout(120_000);
  const dataDirs: string[] = [];
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** An app whose data outlives it (on PGlite in DATA_DIR; on PostgreSQL in that database). */
  async function durable(overrides: Record<string, string> = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-webhooks-'));
    dataDirs.push(dataDir);
    const config = { ...FAST, WEBHOOK_TIMEOUT_MS: '60000', DATA_DIR: dataDir, ...overrides };
    return { config, app: await TestApp.start(config) };
  }

  /** The endpoint's deliveries as the next process finds them. */
  async function deliveriesAfter(config: Record<string, string>, webhookId: string) {
    const next = await TestApp.start({ ...config, WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    try {
      return (await next.app.get(DataSource).query(
        `SELECT d.status, d.attempts,
                d.status = 'pending' AND d.claim_token IS NULL AND d.locked_until IS NULL
                  AND d.next_attempt_at <= now() AS due,
                (SELECT a.error FROM webhook_attempts a WHERE a.delivery_id = d.id) AS error
           FROM webhook_deliveries d WHERE d.webhook_id = $1 ORDER BY d.seq`,
        [webhookId],
      )) as { status: string; attempts: number; due: boolean; error: string | null }[];
    } finally {
      await removeRegistered(next);
      await next.close();
    }
  }

  it('finishes the attempt in flight, sends nothing more and gives the rest back at once', async () => {
    const { config, app: t } = await durable();
    const endpoint = await new HoldingReceiver().start();
    try {
      const webhook = await createWebhook(await t.as('admin'), endpoint.url, { events: ['ticket.closed'] });
      await backlog(t, webhook.id, (await openTicket(await t.as('customer'))).id, 3);
      const worker = t.app.get(WebhookDeliveryWorker);
      const stopping = jest.spyOn(worker, 'beforeApplicationShutdown');
      worker.wake();
      await eventually(() => expect(endpoint.heldCount).toBe(1));
      const closing = t.close();
      // The request in flight is answered once the worker has been told to stop.
      await eventually(() => expect(stopping).toHaveBeenCalled());
      endpoint.releaseAll();
      await closing;
      // Before: the run went on to the two others after close began.
      expect(endpoint.requests).toHaveLength(1);
      expect(await deliveriesAfter(config, webhook.id)).toEqual([
        { status: 'delivered', attempts: 1, due: false, error: null },
        { status: 'pending', attempts: 0, due: true, error: null },
        { status: 'pending', attempts: 0, due: true, error: null },
      ]);
    } finally {
      endpoint.releaseAll();
      await endpoint.stop();
    }
  });

  it('interrupts an attempt still in flight after the grace period instead of waiting for its timeout', async () => {
    const { config, app: t } = await durable();
    const endpoint = await new HoldingReceiver().start();
    try {
      const webhook = await createWebhook(await t.as('admin'), endpoint.url, { events: ['ticket.closed'] });
      await backlog(t, webhook.id, (await openTicket(await t.as('customer'))).id, 2);
      t.app.get(WebhookDeliveryWorker).wake();
      await eventually(() => expect(endpoint.heldCount).toBe(1));
      const started = Date.now();
      await t.close();
      // Before: close waited for the 60 s timeout, then sent the next delivery.
      expect(Date.now() - started).toBeLessThan(SHUTDOWN_GRACE_MS + 10_000);
      expect(endpoint.heldCount).toBe(1);
      expect(await deliveriesAfter(config, webhook.id)).toEqual([
        { status: 'pending', attempts: 1, due: true, error: 'interrupted: the process is shutting down' },
        { status: 'pending', attempts: 0, due: true, error: null },
      ]);
    } finally {
      endpoint.releaseAll();
      await endpoint.stop();
    }
  });
});

describe('outbox claims', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No worker in this process: the test is the worker.
    t = await TestApp.start({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
  });
  afterAll(async () => {
    await removeRegistered(t);
    await t.close();
  });

  it('claims one ticket’s events one at a time and skips what another worker holds', async () => {
    const admin = await t.as('admin');
    const customer = await t.as('customer');
    const agent = await t.as('agent');
    const webhook = await createWebhook(admin, 'http://127.0.0.1:9/never', {
      events: ['ticket.created', 'ticket.updated'],
    });
    const ticket = await openTicket(customer);
    await agent.patch(`/v1/tickets/${ticket.id}`, { priority: 'high' }).expect(200);
    const outbox = t.app.get(WebhookOutboxRepository);
    const claim = (token: string) =>
      outbox
        .claim({ limit: 1000, perEndpoint: 1000, leaseMs: 60_000, token })
        .then((rows) => rows.filter((row) => row.webhookId === webhook.id));
    const first = await claim('00000000-0000-4000-8000-000000000001');
    // Only the head of the ticket's chain: ticket.updated waits for ticket.created.
    expect(first.map((row) => row.eventType)).toEqual(['ticket.created']);
    expect(await claim('00000000-0000-4000-8000-000000000002')).toEqual([]);

    const outcome = await outbox.recordAttempt(
      first[0],
      '00000000-0000-4000-8000-000000000001',
      { ok: true, statusCode: 200, durationMs: 3, error: null, retryInMs: 0 },
      86_400_000,
    );
    expect(outcome).toBe('delivered');
    const next = await claim('00000000-0000-4000-8000-000000000003');
    expect(next.map((row) => row.eventType)).toEqual(['ticket.updated']);
    expect(JSON.parse(next[0].body).data.ticket.priority).toBe('high');

    // A failure past the retry window gives up; the next event of the ticket is not held back by it.
    const given = await outbox.recordAttempt(
      next[0],
      '00000000-0000-4000-8000-000000000003',
      { ok: false, statusCode: 503, durationMs: 3, error: 'unexpected status 503', retryInMs: 10 },
      0,
    );
    expect(given).toBe('failed');
    const res = await admin.get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200);
    expect(
      res.body.data.map((row: { outcome: string; attempt: number }) => [row.outcome, row.attempt]),
    ).toEqual([
      ['failed', 1],
      ['delivered', 1],
    ]);
  });

  it('claims fairly: another endpoint’s backlog of any size does not crowd out a fresh event', async () => {
    const admin = await t.as('admin');
    const customer = await t.as('customer');
    const dead = await createWebhook(admin, 'http://127.0.0.1:9/dead', { events: ['ticket.created'] });
    await backlog(t, dead.id, (await openTicket(customer)).id, 300);
    const fresh = await createWebhook(admin, 'http://127.0.0.1:9/fresh', { events: ['ticket.updated'] });
    const ticket = await openTicket(customer);
    await (await t.as('agent')).patch(`/v1/tickets/${ticket.id}`, { priority: 'high' }).expect(200);
    const outbox = t.app.get(WebhookOutboxRepository);
    const token = '00000000-0000-4000-8000-000000000010';
    const claimed = await outbox.claim({ limit: 50, perEndpoint: 10, leaseMs: 60_000, token });
    // The old claim took the 200 oldest due rows (all the dead endpoint's) and found nothing else.
    expect(claimed.filter((row) => row.webhookId === fresh.id).map((row) => row.eventType)).toEqual([
      'ticket.updated',
    ]);
    expect(claimed.filter((row) => row.webhookId === dead.id)).toHaveLength(10);
    await outbox.release(
      claimed.map((row) => row.id),
      token,
    );

    // At most `endpoints` endpoints, the one waiting longest first (the dead endpoint's backlog is
    // older than the fresh event; on a shared database another suite's may be older still).
    const one = await outbox.claim({ limit: 50, perEndpoint: 10, endpoints: 1, leaseMs: 60_000, token });
    expect(new Set(one.map((row) => row.webhookId)).size).toBe(1);
    expect(one[0].webhookId).not.toBe(fresh.id);
    await outbox.release(
      one.map((row) => row.id),
      token,
    );
    const skipping = await outbox.claim({
      limit: 50,
      perEndpoint: 10,
      skip: [dead.id],
      leaseMs: 60_000,
      token,
    });
    expect(skipping.some((row) => row.webhookId === dead.id)).toBe(false);
    expect(skipping.some((row) => row.webhookId === fresh.id)).toBe(true);
    await outbox.release(
      skipping.map((row) => row.id),
      token,
    );
  });

  it('delivers a fresh event in the first batch while a dead endpoint has a backlog, and defers that backlog', async () => {
    const admin = await t.as('admin');
    const customer = await t.as('customer');
    const endpoint = await new Receiver().start();
    try {
      const dead = await createWebhook(admin, 'http://127.0.0.1:9/dead', { events: ['ticket.created'] });
      await backlog(t, dead.id, (await openTicket(customer)).id, 300);
      await createWebhook(admin, endpoint.url, { events: ['ticket.created'] });
      const ticket = await openTicket(customer);
      await t.app.get(WebhookDeliveryWorker).runBatch();
      // Before: 104 batches (one failed attempt to the dead endpoint each) before this one was sent.
      expect(endpoint.delivered().map((request) => request.event.data.ticket.id)).toContain(ticket.id);

      // One attempt to the dead endpoint; the rest of its turn waits out a back-off, not due at once.
      const [row] = await t.app.get(DataSource).query(
        `SELECT count(*) FILTER (WHERE attempts > 0)::int AS attempted,
                count(*) FILTER (WHERE attempts = 0 AND next_attempt_at > now())::int AS deferred,
                count(*) FILTER (WHERE claim_token IS NOT NULL)::int AS held
           FROM webhook_deliveries WHERE webhook_id = $1`,
        [dead.id],
      );
      expect(row).toEqual({ attempted: 1, deferred: 9, held: 0 });
    } finally {
      await endpoint.stop();
    }
  });

  it('sweeps: gives up old pending deliveries of inactive endpoints, deletes what is past retention', async () => {
    const admin = await t.as('admin');
    const customer = await t.as('customer');
    const ds = t.app.get(DataSource);
    const ticket = await openTicket(customer);
    const off = await createWebhook(admin, 'http://127.0.0.1:9/off', { events: ['ticket.created'] });
    const on = await createWebhook(admin, 'http://127.0.0.1:9/on', { events: ['ticket.created'] });
    await admin.patch(`/v1/webhooks/${off.id}`, { active: false }).expect(200);
    await backlog(t, off.id, ticket.id, 3);
    await backlog(t, on.id, ticket.id, 2);
    const rows = async (webhookId: string) =>
      (await ds.query(`SELECT id, event_id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq`, [
        webhookId,
      ])) as { id: string; event_id: string }[];
    const [offOld, offOlder, offNew] = await rows(off.id);
    const [onOld, onDone] = await rows(on.id);
    // Queued two days ago (the retry window is one): given up on the inactive endpoint only.
    await ds.query(
      `UPDATE webhook_deliveries SET created_at = now() - interval '2 days' WHERE id = ANY($1::uuid[])`,
      [[offOld.id, offOlder.id, onOld.id]],
    );
    // Delivered 31 days ago (retention is 30), with an attempt, of an event of that age.
    await ds.query(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = 1, finished_at = now() - interval '31 days'
        WHERE id = $1`,
      [onDone.id],
    );
    await ds.query(
      `INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, outcome, status_code, duration_ms)
       VALUES ($1, $2, 1, 'delivered', 204, 3)`,
      [onDone.id, on.id],
    );
    await ds.query(
      `UPDATE webhook_events SET created_at = now() - interval '31 days' WHERE id = ANY($1::uuid[])`,
      [[onDone.event_id, offOld.event_id]],
    );

    await t.app.get(WebhookOutboxSweeper).sweep();

    const state = Object.fromEntries(
      (
        await ds.query(
          `SELECT d.id, d.status, d.finished_at IS NOT NULL AS finished FROM webhook_deliveries d
            WHERE d.webhook_id = ANY($1::uuid[])`,
          [[off.id, on.id]],
        )
      ).map((row: { id: string; status: string }) => [row.id, row.status]),
    );
    expect(state).toEqual({
      [offOld.id]: 'failed',
      [offOlder.id]: 'failed',
      [offNew.id]: 'pending', // queued within the window: the endpoint may come back
      [onOld.id]: 'pending', // an active endpoint's: the worker gives it up itself
    });
    const [left] = await ds.query(
      `SELECT (SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1)::int AS attempts,
              (SELECT count(*) FROM webhook_events WHERE id = $2)::int AS done_event,
              (SELECT count(*) FROM webhook_events WHERE id = $3)::int AS referenced_event`,
      [onDone.id, onDone.event_id, offOld.event_id],
    );
    // The old event of a delivery that is still listed stays; the delivered one's went with it.
    expect(left).toEqual({ attempts: 0, done_event: 0, referenced_event: 1 });
  });

  // Lock order only matters with concurrent sessions: PGlite runs one transaction at a time.
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres('records an attempt while its endpoint is being deleted without a deadlock', async () => {
    const admin = await t.as('admin');
    const webhook = await createWebhook(admin, 'http://127.0.0.1:9/gone', { events: ['ticket.created'] });
    await openTicket(await t.as('customer'));
    const outbox = t.app.get(WebhookOutboxRepository);
    const token = '00000000-0000-4000-8000-000000000004';
    const [delivery] = (
      await outbox.claim({ limit: 1000, perEndpoint: 1000, leaseMs: 60_000, token })
    ).filter((row) => row.webhookId === webhook.id);

    // The admin's DELETE, held open after its first step: the endpoint's row is locked.
    const deleting = new Client({ connectionString: process.env.DATABASE_URL });
    await deleting.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query('SELECT 1 FROM webhooks WHERE id = $1 FOR UPDATE', [webhook.id]);
      const recording = outbox.recordAttempt(
        delivery,
        token,
        { ok: true, statusCode: 204, durationMs: 2, error: null, retryInMs: 0 },
        86_400_000,
      );
      // Wait until the worker's transaction is blocked on a lock, whichever statement it got to.
      for (;;) {
        const [{ waiting }] = (
          await deleting.query(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows;
        if (waiting > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The cascade reaches the delivery: the worker must not hold it while waiting for the endpoint.
      await deleting.query('DELETE FROM webhooks WHERE id = $1', [webhook.id]);
      await deleting.query('COMMIT');
      await expect(recording).resolves.toBe('delivered');
    } finally {
      await deleting.end();
    }
    const left = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM webhook_attempts WHERE webhook_id = $1`, [webhook.id]);
    expect(left[0].n).toBe(0);
  });
});
