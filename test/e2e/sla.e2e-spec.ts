import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EscalationScheduler } from '../../src/escalation/escalation.scheduler';
import { EscalationService } from '../../src/escalation/escalation.service';
import { businessMinutesBetween, type CalendarSpec } from '../../src/sla/calendar/business-calendar';
import { ageTickets } from '../support/escalation-time';
import { openTicket, ticketBody } from '../support/given';
import { type Session, TestApp, TestClock } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('SLA timers, escalation and reports', () => {
  const clock = new TestClock();
  let t: TestApp;
  let agent: Session;
  let supervisor: Session;
  let admin: Session;
  let policyNames: Map<string, string>;
  let groupNames: Map<string, string>;

  const ago = (ms: number) => clock.set(new Date(Date.now() - ms));
  const due = (ticket: { sla: Record<string, { dueAt: string | null }> }, timer: string) =>
    Date.parse(ticket.sla[timer].dueAt!);
  async function sweep() {
    const service = t.app.get(EscalationService);
    for (;;) {
      const batch = await service.runBatch(1000);
      if (batch.claimed < 1000 && batch.autoClosed < 1000) return;
    }
  }
  /** The database's clock, which the report's still-running timers are measured to. */
  async function databaseNow(): Promise<number> {
    const [{ now }] = await t.app.get(DataSource).query(`SELECT now() AS now`);
    return new Date(now).getTime();
  }
  async function events(id: string, as: Session = agent) {
    return (await as.get(`/v1/tickets/${id}/events?limit=100`).expect(200)).body.data as {
      type: string;
      data: Record<string, unknown>;
      actor: { id: string; role: string };
      createdAt: string;
    }[];
  }

  beforeAll(async () => {
    t = await TestApp.start({}, { clock });
    agent = await t.as('agent');
    supervisor = await t.as('supervisor');
    admin = await t.as('admin');
    const policies = (await agent.get('/v1/sla-policies').expect(200)).body.data;
    policyNames = new Map(policies.map((policy: { id: string; name: string }) => [policy.id, policy.name]));
    const groups = (await agent.get('/v1/groups').expect(200)).body.data;
    groupNames = new Map(groups.map((group: { id: string; name: string }) => [group.id, group.name]));
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(new Date()));

  describe('policies', () => {
    it.each([
      ['VIP', { vip: 3 }, {}, 60, 1440],
      ['Urgent', {}, { priority: 'urgent' }, 60, 480],
      ['High', {}, { priority: 'high' }, 240, 1440],
      ['Normal', {}, {}, 1440, 2880],
      ['Low', {}, { priority: 'low' }, 2880, 7200],
    ])(
      'applies %s with its first-reply and resolution targets',
      async (name, claims, body, first, resolution) => {
        const customer = await t.as('customer', claims);
        const author = (body as { priority?: string }).priority === 'urgent' ? agent : customer;
        const extra = author === agent ? { requesterId: customer.id } : {};
        const ticket = (await author.post('/v1/tickets', ticketBody({ ...body, ...extra })).expect(201)).body;
        expect(policyNames.get(ticket.sla.policyId)).toBe(name);
        const created = Date.parse(ticket.createdAt);
        expect(due(ticket, 'firstResponse') - created).toBe(first * MINUTE);
        expect(due(ticket, 'resolution') - created).toBe(resolution * MINUTE);
        expect(ticket.sla.firstResponse.targetMinutes).toBe(first);
      },
    );

    it('pauses next reply and resolution while pending and moves their due times by the pause', async () => {
      const customer = await t.as('customer');
      ago(10 * HOUR);
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      const resolutionDue = due(ticket, 'resolution');
      clock.advanceMinutes(30);
      await agent.post(`${url}/messages`, { body: 'Could you send the TXID?' }).expect(201);
      clock.advanceMinutes(30); // T+60: waiting on the customer
      const pending = (await agent.patch(url, { status: 'pending' }).expect(200)).body;
      expect(pending.sla.resolution.status).toBe('paused');
      expect(pending.sla.firstResponse.status).toBe('achieved');
      clock.advanceMinutes(120); // T+180: the customer answers, two hours later
      await customer.post(`${url}/messages`, { body: 'Here it is' }).expect(201);
      const resumed = (await agent.get(url).expect(200)).body;
      expect(resumed.status).toBe('open');
      expect(resumed.sla.resolution.status).toBe('active');
      // 48 h target, 120 paused minutes: due 2 h later than first computed; 60 minutes counted so far.
      expect(due(resumed, 'resolution')).toBe(resolutionDue + 120 * MINUTE);
      expect(resumed.sla.resolution.elapsedMinutes).toBe(60);
      // The customer's reply after an agent's public reply starts the next-reply clock (normal: 24 h).
      expect(resumed.sla.nextResponse).toMatchObject({
        status: 'active',
        targetMinutes: 1440,
        elapsedMinutes: 0,
      });
      expect(due(resumed, 'nextResponse') - clock.now().getTime()).toBe(1440 * MINUTE);
      const types = (await events(ticket.id)).map((event) => event.type);
      expect(types).toEqual(expect.arrayContaining(['sla.paused', 'sla.resumed', 'sla.achieved']));
    });

    it('re-selects the policy on a priority change and keeps the elapsed time', async () => {
      const customer = await t.as('customer');
      ago(5 * HOUR);
      const ticket = await openTicket(customer);
      clock.advanceMinutes(60);
      const changed = (await agent.patch(`/v1/tickets/${ticket.id}`, { priority: 'high' }).expect(200)).body;
      expect(policyNames.get(changed.sla.policyId)).toBe('High');
      // High: 240 min first reply, 60 elapsed → due 180 min from now, i.e. 240 min after creation.
      expect(due(changed, 'firstResponse') - Date.parse(ticket.createdAt)).toBe(240 * MINUTE);
      expect(due(changed, 'resolution') - Date.parse(ticket.createdAt)).toBe(1440 * MINUTE);
      expect(changed.sla.firstResponse).toMatchObject({
        targetMinutes: 240,
        elapsedMinutes: 60,
        status: 'active',
      });
    });

    it('gives a ticket whose policy was deleted a policy again when a new timer starts', async () => {
      const calendars = (await admin.get('/v1/calendars').expect(200)).body.data;
      const policy = (
        await admin
          .post('/v1/sla-policies', {
            name: `Chat only ${Date.now()}`,
            position: 1,
            conditions: { channels: ['chat'] },
            targets: { firstResponseMinutes: 30, nextResponseMinutes: 30, resolutionMinutes: 300 },
            calendarId: calendars.find((calendar: { name: string }) => calendar.name === '24x7').id,
          })
          .expect(201)
      ).body;
      const customer = await t.as('customer');
      const ticket = (await customer.post('/v1/tickets', ticketBody({ channel: 'chat' })).expect(201)).body;
      expect(ticket.sla.policyId).toBe(policy.id);
      await admin.delete(`/v1/sla-policies/${policy.id}`).expect(204);
      await agent.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Hello.' }).expect(201);

      // The customer's reply starts the next-reply timer under the policy that matches now (Normal: 24 h).
      await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Still waiting.' }).expect(201);
      const replied = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(policyNames.get(replied.sla.policyId)).toBe('Normal');
      expect(replied.sla.nextResponse).toMatchObject({ status: 'active', targetMinutes: 1440 });

      // And a reopened ticket runs a resolution timer again.
      await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(200);
      // As a second deletion would leave it: no policy.
      await t.app.get(DataSource).query(`UPDATE tickets SET policy_id = NULL WHERE id = $1`, [ticket.id]);
      await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'It is back.' }).expect(201);
      const reopened = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(reopened.status).toBe('open');
      expect(reopened.sla.resolution).toMatchObject({ status: 'active', targetMinutes: 2880 });
    });

    it('counts business hours of a business calendar, from Friday evening across the weekend', async () => {
      const calendar = (
        await admin
          .post('/v1/calendars', {
            name: `Shanghai office ${Date.now()}`,
            type: 'business_hours',
            timezone: 'Asia/Shanghai',
            businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
            holidays: [],
          })
          .expect(201)
      ).body;
      const policy = (
        await admin
          .post('/v1/sla-policies', {
            name: `Social VIP7 ${Date.now()}`,
            position: 1,
            conditions: { channels: ['social'], minVip: 7 },
            targets: {
              firstResponseMinutes: 24 * 60,
              nextResponseMinutes: 24 * 60,
              resolutionMinutes: 48 * 60,
            },
            calendarId: calendar.id,
            escalation: { atRiskPercent: 80, maxLevel: 3 },
          })
          .expect(201)
      ).body;
      try {
        const customer = await t.as('customer', { vip: 7 });
        clock.set('2026-11-20T12:00:00Z'); // Friday 20:00 in Shanghai
        const ticket = (await customer.post('/v1/tickets', ticketBody({ channel: 'social' })).expect(201))
          .body;
        expect(ticket.sla.policyId).toBe(policy.id);
        // 24 business hours: Mon 9–18 (9 h), Tue (9 h), Wed 9–15 (6 h) → Wed 15:00 Shanghai = 07:00 UTC.
        expect(ticket.sla.firstResponse.dueAt).toBe('2026-11-25T07:00:00.000Z');
        // 48 h: Mon–Fri (45 h) + next Mon 9–12 → Mon 2026-11-30 12:00 Shanghai = 04:00 UTC.
        expect(ticket.sla.resolution.dueAt).toBe('2026-11-30T04:00:00.000Z');
        clock.set('2026-11-23T02:00:00Z'); // Monday 10:00: one business hour counted
        const read = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
        expect(read.sla.firstResponse.elapsedMinutes).toBe(60);
      } finally {
        await admin.delete(`/v1/sla-policies/${policy.id}`).expect(204);
      }
    });
  });

  describe('the sweep', () => {
    it('marks at-risk tickets at 80 % of a target', async () => {
      const customer = await t.as('customer');
      ago(20 * HOUR); // Normal: 24 h first reply, at risk from 19.2 h
      const ticket = await openTicket(customer);
      await sweep();
      const types = (await events(ticket.id)).map((event) => event.type);
      expect(types.filter((type) => type === 'sla.at_risk')).toHaveLength(1);
      expect(types).not.toContain('sla.breached');
      const atRisk = await agent.get(`/v1/tickets?requesterId=${customer.id}&atRisk=true`).expect(200);
      expect(atRisk.body.data.map((row: { id: string }) => row.id)).toEqual([ticket.id]);
    });

    it('records a breach at its true time and escalates one level to the next tier', async () => {
      const customer = await t.as('customer');
      ago(25 * HOUR);
      const ticket = await openTicket(customer);
      const breached = await agent.get(`/v1/tickets?requesterId=${customer.id}&breached=true`).expect(200);
      expect(breached.body.data).toHaveLength(1); // overdue before any sweep ran
      await sweep();
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after).toMatchObject({ escalationLevel: 1, priority: 'high', tier: 2 });
      expect(groupNames.get(after.groupId)).toBe('Specialists L2');
      expect(policyNames.get(after.sla.policyId)).toBe('Normal'); // escalation keeps the policy
      expect(after.sla.firstResponse.status).toBe('breached');
      expect(after.sla.firstResponse.breachedAt).toBe(ticket.sla.firstResponse.dueAt);
      const timeline = await events(ticket.id);
      const breach = timeline.find((event) => event.type === 'sla.breached')!;
      expect(breach).toMatchObject({ actor: { id: 'system', role: 'system' } });
      expect(breach.data).toMatchObject({
        timer: 'firstResponse',
        breachedAt: ticket.sla.firstResponse.dueAt,
      });
      expect(timeline.filter((event) => event.type === 'ticket.escalated')).toHaveLength(1);
      const customerView = (await events(ticket.id, customer)).map((event) => event.type);
      expect(customerView).toContain('ticket.escalated');
      expect(customerView).not.toContain('sla.breached');
    });

    it('catches up after downtime: one more level per full target, up to 3, each recorded once', async () => {
      const customer = await t.as('customer');
      ago(3 * 24 * HOUR + HOUR);
      const ticket = await openTicket(customer);
      await Promise.all([sweep(), sweep()]);
      await sweep();
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after).toMatchObject({ escalationLevel: 3, priority: 'urgent', tier: 3 });
      expect(groupNames.get(after.groupId)).toBe('Supervisors L3');
      const timeline = await events(ticket.id);
      expect(timeline.filter((event) => event.type === 'ticket.escalated')).toHaveLength(3);
      expect(timeline.filter((event) => event.type === 'sla.breached')).toHaveLength(2); // first reply, resolution
    });

    it('escalates a ticket whose policy was deleted by the seeded cap (level 3), not never', async () => {
      const calendars = (await admin.get('/v1/calendars').expect(200)).body.data;
      const policy = (
        await admin
          .post('/v1/sla-policies', {
            name: `Phone VIP7 ${Date.now()}`,
            position: 1,
            conditions: { channels: ['phone'], minVip: 7 },
            targets: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 600 },
            calendarId: calendars.find((calendar: { name: string }) => calendar.name === '24x7').id,
            escalation: { atRiskPercent: 80, maxLevel: 3 },
          })
          .expect(201)
      ).body;
      const customer = await t.as('customer', { vip: 7 });
      ago(2 * HOUR + MINUTE); // first reply 60 min: breached at 1 h, repeat at 2 h
      const ticket = (await customer.post('/v1/tickets', ticketBody({ channel: 'phone' })).expect(201)).body;
      clock.set(new Date());
      expect(ticket.sla.policyId).toBe(policy.id);
      await admin.delete(`/v1/sla-policies/${policy.id}`).expect(204); // its tickets keep their timers
      await sweep();
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after).toMatchObject({ escalationLevel: 2, tier: 3 });
      expect(after.sla.policyId).toBeNull();
      expect(after.sla.firstResponse.status).toBe('breached');
    });

    it('writes nothing of a ticket’s sweep when one of its records exists already', async () => {
      const customer = await t.as('customer');
      ago(25 * HOUR); // due: breach and level 1
      const ticket = await openTicket(customer);
      clock.set(new Date());
      const db = t.app.get(DataSource);
      const [timer] = await db.query(
        `SELECT id FROM sla_timers WHERE ticket_id = $1 AND kind = 'firstResponse'`,
        [ticket.id],
      );
      // A record the state does not account for: the first escalation of that timer.
      await db.query(
        `INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data, dedupe_key)
         VALUES ($1, 'ticket.escalated', 'system', 'system', true, '{}', $2)`,
        [ticket.id, `escalate:${timer.id}:1`],
      );
      await sweep();
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after).toMatchObject({ escalationLevel: 0, priority: 'normal', updatedAt: ticket.updatedAt });
      const types = (await events(ticket.id)).map((event) => event.type);
      expect(types.filter((type) => type === 'sla.breached' || type === 'ticket.escalated')).toEqual([
        'ticket.escalated', // only the planted one: no breach written beside it
      ]);
      expect(t.logs.join('')).toContain('Escalation already recorded');
      // Set aside for an hour, so it cannot take the head of every batch meanwhile.
      const [row] = await db.query(
        `SELECT sla_next_check_at > now() + interval '50 minutes' AS later FROM tickets WHERE id = $1`,
        [ticket.id],
      );
      expect(row.later).toBe(true);
    });

    it('leaves a ticket answered in time alone', async () => {
      const customer = await t.as('customer');
      ago(25 * HOUR);
      const ticket = await openTicket(customer);
      clock.advanceMinutes(60);
      await agent.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Answered within the hour' }).expect(201);
      await sweep();
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after.escalationLevel).toBe(0);
      expect(after.sla.firstResponse.status).toBe('achieved');
    });

    it('records a late answer as breached, once, without escalating, and counts the breach', async () => {
      const breachesTotal = async () => {
        const text = (await t.http().get('/metrics').expect(200)).text;
        return Number(/^sla_breaches_total (\S+)$/m.exec(text)?.[1] ?? 0);
      };
      const customer = await t.as('customer');
      ago(25 * HOUR);
      const ticket = await openTicket(customer);
      clock.set(new Date());
      const before = await breachesTotal();
      await agent.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Sorry for the wait' }).expect(201);
      // Counted when the answer commits, as a sweep's breach would be, and by no sweep again.
      expect(await breachesTotal()).toBe(before + 1);
      await sweep();
      expect(await breachesTotal()).toBe(before + 1);
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after.sla.firstResponse.status).toBe('breached');
      expect(after.sla.firstResponse.achievedAt).not.toBeNull();
      expect(after.escalationLevel).toBe(0);
      const timeline = await events(ticket.id);
      expect(timeline.filter((event) => event.type === 'sla.breached')).toHaveLength(1);
    });

    it('processes everything due in one scheduler run, each breach once', async () => {
      const customer = await t.as('customer');
      ago(25 * HOUR);
      const tickets = [await openTicket(customer), await openTicket(customer), await openTicket(customer)];
      const scheduler = t.app.get(EscalationScheduler);
      const [run, concurrent] = await Promise.all([scheduler.tick(), scheduler.tick()]);
      expect(concurrent).toBe(run); // a tick during a run joins it instead of starting another
      expect(run.error).toBeNull();
      expect(run.ticketsProcessed).toBeGreaterThanOrEqual(3);
      for (const ticket of tickets) {
        const timeline = await events(ticket.id);
        expect(timeline.filter((event) => event.type === 'sla.breached')).toHaveLength(1);
      }
      expect(scheduler.lastRun).toBe(run);
    });

    it('reports its status to supervisors', async () => {
      await t.app.get(EscalationService).runBatch(10);
      const res = await supervisor.get('/v1/scheduler/status').expect(200);
      expect(res.body).toMatchObject({ enabled: false, intervalSeconds: 30 });
      expect(typeof res.body.dueBacklog).toBe('number');
      expect(typeof res.body.lagSeconds).toBe('number');
      await agent.get('/v1/scheduler/status').expect(403);
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toContain('sla_scheduler_backlog');
      expect(metrics.text).toContain('sla_breached_tickets');
    });
  });

  describe('follow-ups and manual escalation', () => {
    // Follow-ups compare due times with the database's clock: a ticket is made overdue by opening
    // it in the past, never by setting the app's clock ahead.
    it('refuses an early follow-up with the time it becomes allowed, then escalates once breached', async () => {
      const customer = await t.as('customer');
      const ticket = await openTicket(customer);
      const early = await customer.post(`/v1/tickets/${ticket.id}/follow-up`).expect(409);
      expect(early.body.allowedAt).toBe(ticket.sla.firstResponse.dueAt);
      await agent.post(`/v1/tickets/${ticket.id}/follow-up`).expect(403);
      ago(24 * HOUR + MINUTE); // Normal: first reply due 24 h after opening, a minute ago
      const overdue = await openTicket(customer);
      clock.set(new Date());
      const res = await customer.post(`/v1/tickets/${overdue.id}/follow-up`).expect(200);
      expect(res.body.escalationLevel).toBe(1);
      const types = (await events(overdue.id, customer)).map((event) => event.type);
      expect(types).toEqual(expect.arrayContaining(['ticket.follow_up', 'ticket.escalated']));
      const other = await t.as('customer');
      await other.post(`/v1/tickets/${overdue.id}/follow-up`).expect(404);
    });

    it('does not let a process whose clock runs ahead allow a follow-up early', async () => {
      const customer = await t.as('customer');
      const ticket = await openTicket(customer);
      clock.set(new Date(due(ticket, 'firstResponse') + HOUR)); // this process thinks it is overdue
      const res = await customer.post(`/v1/tickets/${ticket.id}/follow-up`).expect(409);
      expect(res.body.allowedAt).toBe(ticket.sla.firstResponse.dueAt);
    });

    it('lets a VIP follow up from half the reply target', async () => {
      const customer = await t.as('customer', { vip: 3 });
      ago(20 * MINUTE); // VIP first reply: 60 min; half of it 30 min after opening
      const young = await openTicket(customer);
      ago(31 * MINUTE);
      const older = await openTicket(customer);
      clock.set(new Date());
      const early = await customer.post(`/v1/tickets/${young.id}/follow-up`).expect(409);
      expect(Date.parse(early.body.allowedAt)).toBe(Date.parse(young.createdAt) + 30 * MINUTE);
      const res = await customer.post(`/v1/tickets/${older.id}/follow-up`).expect(200);
      expect(res.body.escalationLevel).toBe(1);
    });

    it('refuses a second follow-up in a row until the repeat clock the first restarted has run', async () => {
      const customer = await t.as('customer');
      ago(25 * HOUR); // Normal: first reply breached an hour ago, not swept yet
      const ticket = await openTicket(customer);
      clock.set(new Date());
      const url = `/v1/tickets/${ticket.id}/follow-up`;
      expect((await customer.post(url).expect(200)).body.escalationLevel).toBe(1);
      const followUp = (await events(ticket.id)).find((event) => event.type === 'ticket.follow_up')!;
      // The first follow-up restarted the repeat clock: the next is allowed one full target (24 h) later.
      const allowedAt = new Date(Date.parse(followUp.createdAt) + 24 * HOUR).toISOString();
      const second = await customer.post(url).expect(409);
      expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(second.body).toMatchObject({ status: 409, allowedAt });
      // The sweep records the breach (one more level); the follow-up clock stays where it was.
      await sweep();
      const third = await customer.post(url).expect(409);
      expect(third.body.allowedAt).toBe(allowedAt);
      const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
      expect(after.escalationLevel).toBe(2); // follow-up + breach, nothing from the refused ones
      const timeline = await events(ticket.id);
      expect(timeline.filter((event) => event.type === 'ticket.follow_up')).toHaveLength(1);
      expect(timeline.filter((event) => event.type === 'ticket.escalated')).toHaveLength(2);
    });

    it('records a follow-up at the cap without raising the level, and rates it by the same clock', async () => {
      const customer = await t.as('customer');
      ago(3 * 24 * HOUR + HOUR); // Normal: the catch-up takes it to level 3, the cap
      const ticket = await openTicket(customer);
      clock.set(new Date());
      await sweep();
      const url = `/v1/tickets/${ticket.id}/follow-up`;
      expect((await customer.post(url).expect(200)).body.escalationLevel).toBe(3);
      const second = await customer.post(url).expect(409);
      const followUps = (await events(ticket.id)).filter((event) => event.type === 'ticket.follow_up');
      expect(followUps).toHaveLength(1);
      expect(followUps[0].data).toMatchObject({ level: 3 });
      expect(second.body.allowedAt).toBe(
        new Date(Date.parse(followUps[0].createdAt) + 24 * HOUR).toISOString(),
      );
    });

    it('answers 400 to a blank reason and to a follow-up body with any field', async () => {
      const customer = await t.as('customer');
      const ticket = await openTicket(customer);

      for (const reason of ['   ', '\n\t', 'x\u0000']) {
        const res = await supervisor.post(`/v1/tickets/${ticket.id}/escalate`, { reason }).expect(400);
        expect(res.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
      }
      await supervisor.post(`/v1/tickets/${ticket.id}/de-escalate`, { reason: ' ' }).expect(400);
      const res = await customer.post(`/v1/tickets/${ticket.id}/follow-up`, { x: 1 }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'x', message: 'is not allowed' }]);
      // No body, or an empty one, is a follow-up (too early here: 409).
      await customer.post(`/v1/tickets/${ticket.id}/follow-up`).expect(409);
      await customer.post(`/v1/tickets/${ticket.id}/follow-up`, {}).expect(409);
      expect((await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body.escalationLevel).toBe(0);
    });

    it('lets supervisors escalate and de-escalate with a reason', async () => {
      const customer = await t.as('customer');
      const ticket = await openTicket(customer);
      const url = `/v1/tickets/${ticket.id}`;
      await agent.post(`${url}/escalate`, { reason: 'x' }).expect(403);
      await supervisor.post(`${url}/escalate`, {}).expect(400);
      const up = (await supervisor.post(`${url}/escalate`, { reason: 'Big withdrawal' }).expect(200)).body;
      expect(up).toMatchObject({ escalationLevel: 1, tier: 2, priority: 'high' });
      const down = (await supervisor.post(`${url}/de-escalate`, { reason: 'Handled' }).expect(200)).body;
      expect(down).toMatchObject({ escalationLevel: 0, tier: 1 });
      expect(down.groupId).toBe(ticket.groupId);
      await supervisor.post(`${url}/de-escalate`, { reason: 'again' }).expect(409);
      const timeline = await events(ticket.id);
      const manual = timeline.find((event) => event.type === 'ticket.escalated')!;
      expect(manual).toMatchObject({ actor: { id: supervisor.id, role: 'supervisor' } });
      expect(manual.data).toMatchObject({ reason: 'manual', note: 'Big withdrawal' });
      const customerTypes = (await events(ticket.id, customer)).map((event) => event.type);
      expect(customerTypes).not.toContain('ticket.de_escalated');
    });

    it('escalates a de-escalated ticket again at its next repeat point', async () => {
      const customer = await t.as('customer');
      // High: first reply 4 h (resolution 24 h). Opened 5 h ago: breached at 4 h, repeat at 8 h.
      ago(5 * HOUR);
      const ticket = await openTicket(customer, { priority: 'high' });
      clock.set(new Date());
      const url = `/v1/tickets/${ticket.id}`;
      await sweep();
      expect((await agent.get(url).expect(200)).body.escalationLevel).toBe(1);
      await supervisor.post(`${url}/de-escalate`, { reason: 'Specialist not needed' }).expect(200);
      await sweep(); // the repeat point is 3 h away: the supervisor's level holds
      expect((await agent.get(url).expect(200)).body).toMatchObject({ escalationLevel: 0, tier: 1 });
      await ageTickets(t, [ticket.id], 3 * 60 + 1); // past the repeat point
      await sweep();
      const after = (await agent.get(url).expect(200)).body;
      expect(after).toMatchObject({ escalationLevel: 1, tier: 2 });
      expect(groupNames.get(after.groupId)).toBe('Specialists L2');
      const timeline = (await events(ticket.id)).filter((event) => event.actor.role === 'system');
      const escalated = timeline.filter((event) => event.type === 'ticket.escalated');
      expect(escalated.map((event) => [event.data.level, event.data.reason])).toEqual([
        [1, 'breach'],
        [1, 'repeat'],
      ]);
    });

    it('checks a ticket de-escalated from the cap again, one target after the de-escalation', async () => {
      const customer = await t.as('customer');
      // High: first reply 4 h, resolution 24 h. Opened 16 h 1 min ago: first reply breached at 4 h,
      // levels 2 and 3 at 8 h and 12 h, the cap at 16 h; resolution still running.
      ago(16 * HOUR + MINUTE);
      const ticket = await openTicket(customer, { priority: 'high' });
      clock.set(new Date());
      const url = `/v1/tickets/${ticket.id}`;
      await sweep();
      expect((await agent.get(url).expect(200)).body.escalationLevel).toBe(3);
      await supervisor.post(`${url}/de-escalate`, { reason: 'Back to specialists' }).expect(200);
      await sweep();
      expect((await agent.get(url).expect(200)).body.escalationLevel).toBe(2);
      await ageTickets(t, [ticket.id], 4 * 60 + 1); // one first-reply target after the de-escalation
      await sweep();
      expect((await agent.get(url).expect(200)).body.escalationLevel).toBe(3);
      const escalated = (await events(ticket.id)).filter((event) => event.type === 'ticket.escalated');
      expect(escalated.map((event) => [event.data.level, event.data.reason, event.data.timer])).toEqual([
        [1, 'breach', 'firstResponse'],
        [2, 'repeat', 'firstResponse'],
        [3, 'repeat', 'firstResponse'],
        [3, 'repeat', 'firstResponse'],
      ]);
    });
  });

  describe('report', () => {
    it('matches a hand count on a known data set', async () => {
      // A day of its own in the past, so no other test's tickets fall in the window.
      const day = new Date(
        Date.UTC(2000 + Math.floor(Math.random() * 20), 0, 1 + Math.floor(Math.random() * 300)),
      );
      const customer = await t.as('customer');
      const at = (minutes: number) => clock.set(new Date(day.getTime() + minutes * MINUTE));
      const kyc = { category: 'kyc', subcategory: 'verification_status', fields: {} };
      at(0);
      const a = await openTicket(customer, kyc);
      const b = await openTicket(customer, kyc);
      await openTicket(customer, kyc); // c: never answered
      at(60);
      await agent.post(`/v1/tickets/${a.id}/messages`, { body: 'done' }).expect(201); // first reply 60 min
      at(120);
      await agent.patch(`/v1/tickets/${a.id}`, { status: 'solved' }).expect(200); // resolved in 120 min
      at(30 * 60);
      await agent.post(`/v1/tickets/${b.id}/messages`, { body: 'late' }).expect(201); // 1800 min: late
      at(40 * 60);
      await agent.patch(`/v1/tickets/${b.id}`, { status: 'solved' }).expect(200); // 2400 min, within 2880
      clock.set(new Date());
      const from = day.toISOString();
      const to = new Date(day.getTime() + 24 * HOUR).toISOString();
      const res = await supervisor.get(`/v1/reports/sla?from=${from}&to=${to}&groupBy=category`).expect(200);
      // c has waited E minutes so far for both (created at `day`, still running, breached).
      const waited = (await databaseNow()) - day.getTime();
      const E = waited / MINUTE;
      // achieved: a first reply, a resolution, b resolution; breached: b first reply (late), c both (overdue).
      expect(res.body.data).toEqual([
        {
          key: 'kyc',
          name: null,
          tickets: 3,
          achieved: 3,
          breached: 3,
          running: 0,
          compliancePercent: 50,
          // first reply minutes {60, 1800, E}: median 1800, p90 1800 + 0.8 × (E − 1800)
          firstResponseMinutes: { median: 1800, p90: expect.any(Number) },
          // resolution minutes {120, 2400, E}: median 2400, p90 2400 + 0.8 × (E − 2400)
          resolutionMinutes: { median: 2400, p90: expect.any(Number) },
        },
      ]);
      const [row] = res.body.data;
      expect(Math.abs(row.firstResponseMinutes.p90 - (1800 + 0.8 * (E - 1800)))).toBeLessThan(1);
      expect(Math.abs(row.resolutionMinutes.p90 - (2400 + 0.8 * (E - 2400)))).toBeLessThan(1);
      await agent.get(`/v1/reports/sla?from=${from}&to=${to}&groupBy=category`).expect(403);
      await supervisor.get(`/v1/reports/sla?from=${to}&to=${from}&groupBy=category`).expect(400);
      await supervisor.get(`/v1/reports/sla?from=${from}&to=${to}&groupBy=colour`).expect(400);
    });

    it('counts a reply timer stopped by solving without a reply as no reply, not an achieved one', async () => {
      const day = new Date(
        Date.UTC(1980 + Math.floor(Math.random() * 20), 0, 1 + Math.floor(Math.random() * 300)),
      );
      const customer = await t.as('customer');
      const at = (minutes: number) => clock.set(new Date(day.getTime() + minutes * MINUTE));
      const account = { category: 'account', subcategory: 'login', fields: {} };
      at(0);
      const d = await openTicket(customer, account);
      const e = await openTicket(customer, account);
      at(30);
      const solved = (await agent.patch(`/v1/tickets/${d.id}`, { status: 'solved' }).expect(200)).body;
      at(25 * 60);
      await agent.patch(`/v1/tickets/${e.id}`, { status: 'solved' }).expect(200); // past the 24 h first reply
      clock.set(new Date());
      const from = day.toISOString();
      const to = new Date(day.getTime() + 24 * HOUR).toISOString();

      const res = await supervisor.get(`/v1/reports/sla?from=${from}&to=${to}&groupBy=category`).expect(200);

      // The ticket still shows its first-reply timer stopped in time (solving ends every timer) …
      expect(solved.sla.firstResponse.status).toBe('achieved');
      // … but the report counts no first reply for d; e's first reply came too late: breached, no reply time.
      expect(res.body.data).toEqual([
        {
          key: 'account',
          name: null,
          tickets: 2,
          achieved: 2,
          breached: 1,
          running: 0,
          compliancePercent: 66.7,
          firstResponseMinutes: { median: null, p90: null },
          // resolution minutes {30, 1500}: median 765, p90 30 + 0.9 × 1470 = 1353
          resolutionMinutes: { median: 765, p90: 1353 },
        },
      ]);
    });

    it('answers 400, never 500, to from/to that are no ISO-8601 date-time it can read', async () => {
      const report = (from: string, to = '2030-01-01T00:00:00Z') =>
        supervisor.get(
          `/v1/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=category`,
        );
      for (const bad of [
        '20240101',
        '2024-W01',
        '2024-001',
        '2024',
        '2024-02-30',
        '2024-01-01T10:00+23:00',
      ]) {
        const res = await report(bad).expect(400);
        expect(res.body.errors).toEqual([{ field: 'from', message: expect.any(String) }]);
      }
      expect((await report('2024-01-01', '20250101').expect(400)).body.errors[0].field).toBe('to');
      // Without an offset: UTC, as the answer says.
      const res = await report('2024-01-01T10:00', '2024-01-02').expect(200);
      expect({ from: res.body.from, to: res.body.to }).toEqual({
        from: '2024-01-01T10:00:00.000Z',
        to: '2024-01-02T00:00:00.000Z',
      });
    });

    it('counts durations in the policy’s business hours, pauses excluded', async () => {
      const admin = await t.as('admin');
      const key = `rpt_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      await admin
        .post('/v1/categories', {
          key,
          name: 'Report hours',
          subcategories: [{ key: 'general', name: 'General' }],
        })
        .expect(201);
      const calendar = await admin
        .post('/v1/calendars', {
          name: `Report office ${key}`,
          type: 'business_hours',
          timezone: 'UTC',
          businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
        })
        .expect(201);
      const policy = await admin
        .post('/v1/sla-policies', {
          name: `Report hours ${key}`,
          position: 1,
          conditions: { categories: [key] },
          targets: { firstResponseMinutes: 240, nextResponseMinutes: 240, resolutionMinutes: 480 },
          calendarId: calendar.body.id,
          escalation: { atRiskPercent: 80, maxLevel: 3 },
        })
        .expect(201);
      try {
        // A Friday of its own: 2010-01-01 was one.
        const friday = new Date(Date.UTC(2010, 0, 1) + Math.floor(Math.random() * 400) * 7 * 24 * HOUR);
        const at = (hours: number) => clock.set(new Date(friday.getTime() + hours * HOUR));
        const customer = await t.as('customer');
        at(16); // Friday 16:00
        const ticket = await openTicket(customer, { category: key, subcategory: 'general', fields: {} });
        expect(ticket.sla.policyId).toBe(policy.body.id);
        const unanswered = await openTicket(customer, { category: key, subcategory: 'general', fields: {} });
        at(24 * 3 + 10); // Monday 10:00: first reply after 60 + 60 business minutes (wall clock: 66 h)
        await agent.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Looking into it.' }).expect(201);
        await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'pending' }).expect(200);
        at(24 * 4 + 10); // Tuesday 10:00: paused for 8 business hours meanwhile
        await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Any news?' }).expect(201);
        at(24 * 4 + 11); // Tuesday 11:00: solved; resolution counted 60 + 60 + 60 = 180 business minutes
        await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(200);
        clock.set(new Date());
        const from = friday.toISOString();
        const to = new Date(friday.getTime() + 24 * HOUR).toISOString();
        const res = await supervisor
          .get(`/v1/reports/sla?from=${from}&to=${to}&groupBy=category`)
          .expect(200);
        // The unanswered ticket has waited W business minutes so far (UTC 9–5 weekdays since Friday 16:00).
        const office: CalendarSpec = { ...calendar.body, holidays: [] };
        const W = businessMinutesBetween(
          office,
          new Date(unanswered.createdAt),
          new Date(await databaseNow()),
        );
        expect(res.body.data).toEqual([
          expect.objectContaining({
            key,
            tickets: 2,
            // first reply {120, W}: median (120 + W) / 2, p90 120 + 0.9 × (W − 120)
            firstResponseMinutes: { median: expect.any(Number), p90: expect.any(Number) },
            // resolution {180, W}
            resolutionMinutes: { median: expect.any(Number), p90: expect.any(Number) },
          }),
        ]);
        const [row] = res.body.data;
        expect(Math.abs(row.firstResponseMinutes.median - (120 + W) / 2)).toBeLessThan(1);
        expect(Math.abs(row.firstResponseMinutes.p90 - (120 + 0.9 * (W - 120)))).toBeLessThan(1);
        expect(Math.abs(row.resolutionMinutes.median - (180 + W) / 2)).toBeLessThan(1);
        // Counted in business time: far less than the wall-clock minutes since then.
        expect(W).toBeLessThan((Date.now() - Date.parse(unanswered.createdAt)) / MINUTE / 3);
      } finally {
        await admin.delete(`/v1/sla-policies/${policy.body.id}`).expect(204);
        await admin.patch(`/v1/categories/${key}`, { enabled: false }).expect(200);
      }
    });
  });
});

describe('auto-close', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ AUTO_CLOSE_DAYS: '0' });
  });
  afterAll(() => t.close());

  it('closes solved tickets at the next sweep when AUTO_CLOSE_DAYS=0', async () => {
    const customer = await t.as('customer');
    const agent = await t.as('agent');
    const ticket = await openTicket(customer);
    await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(200);
    const result = await t.app.get(EscalationService).runBatch(100);
    expect(result.autoClosed).toBeGreaterThanOrEqual(1);
    const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
    expect(after.status).toBe('closed');
    expect(after.closedAt).not.toBeNull();
    const timeline = (await agent.get(`/v1/tickets/${ticket.id}/events`).expect(200)).body.data;
    expect(timeline.at(-1)).toMatchObject({
      type: 'ticket.status_changed',
      actor: { role: 'system' },
      data: { from: 'solved', to: 'closed' },
    });
  });
});
