/**
 * The floor of /work/shared/PERFORMANCE.md: bare Fastify 5 + pg against sla-desk's own schema (start it
 * on a database sla-desk has migrated). No auth, no validation beyond the id's shape, no ORM:
 *   GET  /tickets/:id  one named prepared statement, the ticket row as JSON (404 when unknown)
 *   POST /tickets      one CTE statement: the ticket, its two sla_timers rows and a ticket_events row
 *   GET  /health       200 once the pool and the statements' lookups are ready
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/db PORT=3912 [POOL_SIZE=10] node bench/floor-server.js
 * POOL_SIZE defaults to DATABASE_POOL_SIZE, else 10 (sla-desk's default), so both servers get as many
 * database connections.
 */
const Fastify = require('fastify');
const { Pool } = require('pg');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const GET_TICKET = 'SELECT * FROM tickets WHERE id = $1';

// The ticket, both running timers (the Normal policy's targets, 80 % at-risk) and the timeline record,
// in one statement: one round trip, one implicit transaction.
const CREATE_TICKET = `
  WITH t AS (
    INSERT INTO tickets (subject, description, category, subcategory, priority, status, channel, locale,
      requester_id, group_id, tier, fields, tags, policy_id, sla_due_at, sla_next_check_at)
    VALUES ($1, $2, $3, $4, 'normal', 'new', 'web', 'en', $5, $6, 1, $7, '{}', $8,
      now() + make_interval(mins => $9::int), now() + make_interval(mins => ($9::int * 8 / 10)))
    RETURNING *),
  s AS (
    INSERT INTO sla_timers (ticket_id, kind, status, target_minutes, at_risk_percent, calendar_id, started_at,
      due_at, at_risk_at)
    SELECT t.id, k.kind, 'active', k.minutes, 80, $11::uuid, t.created_at,
      t.created_at + make_interval(mins => k.minutes), t.created_at + make_interval(mins => (k.minutes * 8 / 10))
    FROM t, (VALUES ('firstResponse', $9::int), ('resolution', $10::int)) AS k (kind, minutes)),
  e AS (
    INSERT INTO ticket_events (ticket_id, type, actor_id, actor_role, customer_visible, data)
    SELECT t.id, 'ticket.created', $5, 'customer', true,
      jsonb_build_object('number', t.number, 'channel', t.channel, 'priority', t.priority, 'groupId', t.group_id)
    FROM t)
  SELECT * FROM t`;

async function lookups(pool) {
  const { rows } = await pool.query(`
    SELECT g.id AS group_id, p.id AS policy_id, p.calendar_id, p.first_response_minutes, p.resolution_minutes
    FROM groups g, sla_policies p
    WHERE g.name = 'Deposit & Withdrawal L1' AND p.name = 'Normal'`);
  if (rows.length !== 1) throw new Error('the database lacks sla-desk seed data: start sla-desk on it first');
  return rows[0];
}

async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const port = Number(process.env.PORT ?? 3912);
  const max = Number(process.env.POOL_SIZE ?? process.env.DATABASE_POOL_SIZE ?? 10);
  const pool = new Pool({ connectionString, max, application_name: 'sla-desk-floor' });
  const seed = await lookups(pool);

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/tickets/:id', async (request, reply) => {
    const { id } = request.params;
    if (!UUID.test(id)) return reply.code(404).send({ title: 'Ticket not found' });
    const { rows } = await pool.query({ name: 'get-ticket', text: GET_TICKET, values: [id] });
    if (rows.length === 0) return reply.code(404).send({ title: 'Ticket not found' });
    return rows[0];
  });

  app.post('/tickets', async (request, reply) => {
    const body = request.body ?? {};
    const { rows } = await pool.query({
      name: 'create-ticket',
      text: CREATE_TICKET,
      values: [
        body.subject,
        body.description,
        body.category,
        body.subcategory,
        body.requesterId ?? 'bench-customer',
        seed.group_id,
        body.fields ?? {},
        seed.policy_id,
        seed.first_response_minutes,
        seed.resolution_minutes,
        seed.calendar_id,
      ],
    });
    return reply.code(201).send(rows[0]);
  });

  const close = async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);

  await app.listen({ port, host: '127.0.0.1' });
  if (process.send) process.send('ready');
}

main().catch((error) => {
  console.error('floor-server failed:', error);
  process.exit(1);
});
