import { ticketBody } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

/**
 * A ticket's `locale` is the customer's language (SPEC §12: the body's `locale`, else the token's,
 * else `en`). When an agent opens a ticket on a customer's behalf, the token is the agent's, and
 * the agent's language says nothing about the customer's.
 */
describe('ticket locale', () => {
  let t: TestApp;
  let agent: Session;

  beforeAll(async () => {
    t = await TestApp.start({ RATE_LIMIT_PER_MINUTE: '0' });
    agent = await t.as('agent', { locale: 'de-DE' });
  });
  afterAll(() => t.close());

  it("takes the customer's token locale when the customer opens the ticket", async () => {
    const customer = await t.as('customer', { locale: 'zh-CN' });
    const res = await customer.post('/v1/tickets', ticketBody()).expect(201);
    expect(res.body.locale).toBe('zh-CN');
  });

  it("is en, not the agent's locale, when an agent opens a ticket for a customer", async () => {
    const customer = await t.as('customer', { locale: 'zh-CN' });
    const res = await agent.post('/v1/tickets', ticketBody({ requesterId: customer.id })).expect(201);
    expect(res.body).toMatchObject({ requesterId: customer.id, locale: 'en' });
  });

  it('is the locale the agent gives for the customer', async () => {
    const customer = await t.as('customer');
    const res = await agent
      .post('/v1/tickets', ticketBody({ requesterId: customer.id, locale: 'zh-CN' }))
      .expect(201);
    expect(res.body.locale).toBe('zh-CN');
  });
});
