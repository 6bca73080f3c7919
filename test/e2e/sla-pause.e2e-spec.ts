import { EscalationService } from '../../src/escalation/escalation.service';
import { ageTickets } from '../support/escalation-time';
import { openTicket } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

describe('a reply timer paused after its due time', () => {
  let t: TestApp;
  let agent: Session;

  const sweep = () => t.app.get(EscalationService).runBatch(1000);
  async function slaEvents(id: string) {
    const events = (await agent.get(`/v1/tickets/${id}/events?limit=100`).expect(200)).body.data as {
      type: string;
      data: { timer?: string; reason?: string };
    }[];
    return events
      .filter((event) => event.type === 'sla.breached' || event.type === 'ticket.escalated')
      .map((event) => `${event.type}:${event.data.timer}${event.data.reason ? `:${event.data.reason}` : ''}`);
  }
  async function breachedList(customer: Session): Promise<string[]> {
    const page = (await agent.get(`/v1/tickets?breached=true&requesterId=${customer.id}`).expect(200)).body;
    return page.data.map((ticket: { id: string }) => ticket.id);
  }

  beforeAll(async () => {
    t = await TestApp.start();
    agent = await t.as('agent');
  });
  afterAll(() => t.close());

  /** A low-priority ticket (next reply 48 h) whose next-reply timer is 5 minutes overdue. */
  async function overdueNextReply(customer: Session) {
    const ticket = await openTicket(customer, { priority: 'low' });
    await agent
      .post(`/v1/tickets/${ticket.id}/messages`, { body: 'Checking.', visibility: 'public' })
      .expect(201);
    await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Still missing.' }).expect(201);
    await ageTickets(t, [ticket.id], 48 * 60 + 5);
    return ticket;
  }

  it('before any sweep: shown breached at its due time while pending, escalated once, repeat clock held', async () => {
    const customer = await t.as('customer');
    const ticket = await overdueNextReply(customer);

    const pending = (await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'pending' }).expect(200)).body;

    expect(pending.sla.nextResponse).toMatchObject({
      status: 'breached',
      breachedAt: pending.sla.nextResponse.dueAt,
    });
    expect(await breachedList(customer)).toContain(ticket.id);
    // The sweep records the breach that came before the pause, at its due time.
    await sweep();
    expect((await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body.escalationLevel).toBe(1);
    expect(await slaEvents(ticket.id)).toEqual([
      'sla.breached:nextResponse',
      'ticket.escalated:nextResponse:breach',
    ]);

    // 72 h pending (more than the 48 h target), then the customer answers: the repeat clock had run
    // 5 minutes before the pause, so no further level yet.
    await ageTickets(t, [ticket.id], 72 * 60);
    await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Here it is.' }).expect(201);
    await sweep();

    const after = (await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body;
    expect(after.escalationLevel).toBe(1);
    expect(after.sla.nextResponse.status).toBe('breached');
    expect(await slaEvents(ticket.id)).toEqual([
      'sla.breached:nextResponse',
      'ticket.escalated:nextResponse:breach',
    ]);
  });

  it('resumed before any sweep: the breach at its due time and one level, not a repeat for the pause', async () => {
    const customer = await t.as('customer');
    const ticket = await overdueNextReply(customer);
    await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'pending' }).expect(200);
    await ageTickets(t, [ticket.id], 72 * 60);
    await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Here it is.' }).expect(201);

    await sweep();

    expect((await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body.escalationLevel).toBe(1);
    expect(await slaEvents(ticket.id)).toEqual([
      'sla.breached:nextResponse',
      'ticket.escalated:nextResponse:breach',
    ]);
  });

  it('swept before the pause: stays in breached=true while pending, and the pause holds the repeat clock', async () => {
    const customer = await t.as('customer');
    const ticket = await overdueNextReply(customer);
    await sweep();
    await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'pending' }).expect(200);

    expect(await breachedList(customer)).toContain(ticket.id);
    await ageTickets(t, [ticket.id], 72 * 60);
    await customer.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Here it is.' }).expect(201);
    await sweep();

    expect((await agent.get(`/v1/tickets/${ticket.id}`).expect(200)).body.escalationLevel).toBe(1);
  });
});
