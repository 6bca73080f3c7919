import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EscalationScheduler } from '../../src/escalation/escalation.scheduler';
import { DB_GAUGE_TTL_MS } from '../../src/observability/metrics';
import { openTicket } from '../support/given';
import { type Session, TestApp, TestClock } from '../support/test-app';

/** The value of one sample in Prometheus text, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.split(' ').pop());
  }
  return 0;
}

describe('metrics', () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;

  const clock = new TestClock();

  beforeAll(async () => {
    // The scheduler runs only when this suite ticks it.
    t = await TestApp.start({ WEBHOOK_DELIVERY_INTERVAL_MS: '0', SCHEDULER_ENABLED: 'false' }, { clock });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    admin = await t.as('admin');
    agent = await t.as('agent');
  });

  /** A scrape after the gauges' cached database reads have gone stale (the clock moves past them). */
  const scrape = async () => {
    clock.set(new Date(Math.max(Date.now(), clock.now().getTime() + DB_GAUGE_TTL_MS)));
    return (await t.http().get('/metrics').expect(200)).text;
  };

  it('counts open tickets by category and priority, and stops counting solved ones', async () => {
    // A category of this test's own, so tickets other suites open do not move these series.
    const key = `m${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin
      .post('/v1/categories', { key, name: 'Metrics', subcategories: [{ key: 'general', name: 'General' }] })
      .expect(201);
    const customer = await t.as('customer');
    const open = (priority: string) =>
      agent
        .post('/v1/tickets', {
          category: key,
          subcategory: 'general',
          subject: 'Metrics',
          description: 'Counting',
          requesterId: customer.id,
          priority,
        })
        .expect(201);
    const low = (await open('low')).body;
    await open('low');
    await open('high');

    let text = await scrape();
    expect(text).toContain('# TYPE tickets_open gauge');
    expect(sample(text, 'tickets_open', { category: key, priority: 'low' })).toBe(2);
    expect(sample(text, 'tickets_open', { category: key, priority: 'high' })).toBe(1);
    expect(sample(text, 'tickets_open', { category: key, priority: 'urgent' })).toBe(0);

    await agent.patch(`/v1/tickets/${low.id}`, { status: 'solved' }).expect(200);
    text = await scrape();
    expect(sample(text, 'tickets_open', { category: key, priority: 'low' })).toBe(1);
  });

  it('shows the outbox backlog and delivery results', async () => {
    // No worker runs in this app, so the delivery stays pending. Registered behind the API's SSRF
    // check on a closed loopback port: a worker of another suite on a shared database fails fast.
    const [webhook] = await t.app
      .get(DataSource)
      .query(`INSERT INTO webhooks (url, events, secret) VALUES ($1, $2, $3) RETURNING id`, [
        'http://127.0.0.1:9/metrics-test',
        ['ticket.created'],
        'whsec_metrics_0123456789',
      ]);
    try {
      const before = sample(await scrape(), 'webhook_outbox_pending');
      const customer = await t.as('customer');
      await openTicket(customer);
      const text = await scrape();
      expect(sample(text, 'webhook_outbox_pending')).toBeGreaterThanOrEqual(before + 1);
      expect(sample(text, 'webhook_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
      expect(text).toContain('# TYPE webhook_outbox_pending gauge');
      expect(text).toContain('# TYPE webhook_deliveries_total counter');
      for (const result of ['delivered', 'retry', 'failed']) {
        expect(text).toContain(`webhook_deliveries_total{result="${result}"}`);
      }
      expect(text).toContain('# TYPE webhook_delivery_duration_seconds histogram');
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    } finally {
      await admin.delete(`/v1/webhooks/${webhook.id}`).expect(204);
    }
  });

  it('counts breaches, the breached tickets and scheduler runs', async () => {
    const before = await scrape();
    const customer = await t.as('customer');
    clock.set(new Date(Date.now() - 25 * 60 * 60_000)); // a normal ticket: first reply due 24 h later
    await customer
      .post('/v1/tickets', {
        category: 'account',
        subcategory: 'login',
        subject: 'Locked out',
        description: 'Nobody answered.',
      })
      .expect(201);
    clock.set(new Date());
    const overdue = await scrape();
    expect(sample(overdue, 'sla_breached_tickets')).toBeGreaterThanOrEqual(
      sample(before, 'sla_breached_tickets') + 1,
    );

    await t.app.get(EscalationScheduler).tick();
    const after = await scrape();
    expect(sample(after, 'sla_breaches_total')).toBeGreaterThanOrEqual(
      sample(before, 'sla_breaches_total') + 1,
    );
    expect(sample(after, 'sla_escalations_total')).toBeGreaterThanOrEqual(
      sample(before, 'sla_escalations_total') + 1,
    );
    expect(sample(after, 'sla_scheduler_run_duration_seconds_count')).toBeGreaterThanOrEqual(
      sample(before, 'sla_scheduler_run_duration_seconds_count') + 1,
    );
    expect(after).toContain('# TYPE sla_scheduler_backlog gauge');
  });

  it('reads each database-backed gauge at most once per few seconds, however often it is scraped', async () => {
    await scrape();
    const ds = t.app.get(DataSource);
    const spy = jest.spyOn(ds, 'query');
    try {
      const reads = () =>
        spy.mock.calls.filter(([sql]) => /FROM tickets|FROM webhook_deliveries/.test(String(sql)));
      for (let i = 0; i < 5; i += 1) await t.http().get('/metrics').expect(200);
      // Before: every scrape ran all four counting queries.
      expect(reads()).toHaveLength(0);
      clock.set(new Date(clock.now().getTime() + DB_GAUGE_TTL_MS));
      await t.http().get('/metrics').expect(200);
      expect(reads()).toHaveLength(4); // open tickets, scheduler backlog, breached tickets, outbox backlog
    } finally {
      spy.mockRestore();
    }
  });

  it('answers 200 while the database fails: gauges keep their last values and the errors are counted', async () => {
    // A pending delivery (no worker runs here), so the backlog kept is not a zero.
    const [webhook] = await t.app
      .get(DataSource)
      .query(`INSERT INTO webhooks (url, events, secret) VALUES ($1, $2, $3) RETURNING id`, [
        'http://127.0.0.1:9/metrics-db-down',
        ['ticket.created'],
        'whsec_metrics_0123456789',
      ]);
    const customer = await t.as('customer');
    await openTicket(customer);
    const before = await scrape();
    expect(sample(before, 'webhook_outbox_pending')).toBeGreaterThanOrEqual(1);
    const ds = t.app.get(DataSource);
    const query = ds.query.bind(ds);
    const spy = jest
      .spyOn(ds, 'query')
      .mockImplementation(async (...args: Parameters<DataSource['query']>) => {
        if (/FROM tickets|FROM webhook_deliveries/.test(String(args[0])))
          throw new Error('connection terminated');
        return query(...args);
      });
    try {
      clock.set(new Date(clock.now().getTime() + DB_GAUGE_TTL_MS));
      // Before: 500, because the SLA gauges' reads were not caught (and the outbox backlog read 0).
      const res = await t.http().get('/metrics').expect(200);
      for (const gauge of [
        'sla_scheduler_backlog',
        'sla_breached_tickets',
        'webhook_outbox_pending',
        'webhook_outbox_oldest_pending_seconds',
      ]) {
        expect(res.text).toContain(`# TYPE ${gauge} gauge`);
        if (gauge !== 'webhook_outbox_oldest_pending_seconds') {
          expect(sample(res.text, gauge)).toBe(sample(before, gauge));
        }
      }
      expect(res.text).toMatch(/^tickets_open\{/m);
      // The counter is read as the scrape starts, before the gauges read: it shows in the next one
      // (within the few seconds the failed reads are not retried).
      const next = await t.http().get('/metrics').expect(200);
      for (const source of [
        'tickets_open',
        'sla_scheduler_backlog',
        'sla_breached_tickets',
        'webhook_outbox',
      ]) {
        expect(sample(next.text, 'metrics_collect_errors_total', { source })).toBe(
          sample(before, 'metrics_collect_errors_total', { source }) + 1,
        );
      }
      expect(t.logs.some((line) => /"level":40.*Could not read a gauge/.test(line))).toBe(true);
    } finally {
      spy.mockRestore();
      await admin.delete(`/v1/webhooks/${webhook.id}`).expect(204);
    }
  });
});

describe('metrics token', () => {
  const TOKEN = 'metrics-token-0123456789';
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ METRICS_TOKEN: TOKEN, WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
  });
  afterAll(() => t.close());

  it.each([`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer  ${TOKEN}`])(
    'accepts %s (the scheme in any letter case, RFC 9110)',
    async (authorization) => {
      const res = await t.http().get('/metrics').set('Authorization', authorization).expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
    },
  );

  it.each([undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN}x`])(
    'answers %s with 401 and WWW-Authenticate: Bearer',
    async (authorization) => {
      const request = t.http().get('/metrics');
      const res = await (authorization ? request.set('Authorization', authorization) : request).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toContain('application/problem+json');
    },
  );
});
