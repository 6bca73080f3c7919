const { benchTokens } = require('./tokens');

/** A valid customer ticket (SPEC: deposit_withdrawal needs a currency and a txHash or an orderId). */
const TICKET_BODY = JSON.stringify({
  category: 'deposit_withdrawal',
  subcategory: 'deposit_not_credited',
  subject: 'USDT deposit not credited after 2 hours',
  description: 'I sent 150 USDT on TRON two hours ago; the explorer shows it confirmed.',
  fields: { currency: 'USDT', orderId: 'B-1' },
});

/** GET `${prefix}/tickets/<random id of the pool>` each request, with `headers`. */
function getTicketRequest(prefix, ids, headers = {}) {
  return {
    method: 'GET',
    headers,
    setupRequest: (request) => ({
      ...request,
      path: `${prefix}/tickets/${ids[Math.floor(Math.random() * ids.length)]}`,
    }),
  };
}

/** POST `${prefix}/tickets` with the customer ticket body. */
function createTicketRequest(prefix, headers = {}) {
  return {
    method: 'POST',
    path: `${prefix}/tickets`,
    headers: { 'content-type': 'application/json', ...headers },
    body: TICKET_BODY,
  };
}

/** Opens `count` tickets through the API as the customer: the pool GET reads from. */
async function seedThroughApi(base, token, count) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${base}/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: TICKET_BODY,
    });
    if (response.status !== 201)
      throw new Error(`seeding: POST /v1/tickets ${response.status} ${await response.text()}`);
    ids.push((await response.json()).id);
  }
  return ids;
}

/**
 * What bench/run.js measures, in order. `setup({ base, env })` may create data through the API first;
 * `request(setup)` is one autocannon request (a `setupRequest` may vary it per request).
 * bench/compare.js measures the ticket scenarios against the floor server with the same builders.
 */
exports.scenarios = [
  {
    name: 'GET /health/live (HTTP stack only)',
    request: () => ({ method: 'GET', path: '/health/live' }),
  },
  {
    name: 'GET /v1/tickets/:id (agent, random of 200)',
    setup: async ({ base, env }) => {
      const tokens = await benchTokens(env.AUTH_JWT_SECRET);
      return { tokens, ids: await seedThroughApi(base, tokens.customer, 200) };
    },
    request: ({ tokens, ids }) => getTicketRequest('/v1', ids, { authorization: `Bearer ${tokens.agent}` }),
  },
  {
    name: 'POST /v1/tickets (customer)',
    setup: async ({ env }) => ({ tokens: await benchTokens(env.AUTH_JWT_SECRET) }),
    request: ({ tokens }) => createTicketRequest('/v1', { authorization: `Bearer ${tokens.customer}` }),
  },
];

exports.TICKET_BODY = TICKET_BODY;
exports.getTicketRequest = getTicketRequest;
exports.createTicketRequest = createTicketRequest;
