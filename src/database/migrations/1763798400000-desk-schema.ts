import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The desk's schema: catalogue, groups, calendars, SLA policies, tickets with their timers,
 * messages, timeline and idempotency keys. Invariants live here: enums as checks, one running
 * timer of each kind per ticket, one timeline record per de-duplication key.
 */
export class DeskSchema1763798400000 implements MigrationInterface {
  name = 'DeskSchema1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE categories (
        key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,49}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        enabled boolean NOT NULL DEFAULT true,
        position integer NOT NULL DEFAULT 0,
        fields jsonb NOT NULL DEFAULT '[]',
        require_one_of jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE subcategories (
        category_key text NOT NULL REFERENCES categories (key) ON DELETE CASCADE,
        key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,49}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        enabled boolean NOT NULL DEFAULT true,
        position integer NOT NULL DEFAULT 0,
        PRIMARY KEY (category_key, key)
      )`);

    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
        categories text[] NOT NULL DEFAULT '{}',
        members text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE calendars (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        type text NOT NULL CHECK (type IN ('24x7', 'business_hours')),
        timezone text NOT NULL DEFAULT 'UTC',
        business_hours jsonb NOT NULL DEFAULT '[]',
        holidays jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        position integer NOT NULL CHECK (position >= 0),
        conditions jsonb NOT NULL DEFAULT '{}',
        first_response_minutes integer NOT NULL CHECK (first_response_minutes > 0),
        next_response_minutes integer NOT NULL CHECK (next_response_minutes > 0),
        resolution_minutes integer NOT NULL CHECK (resolution_minutes > 0),
        calendar_id uuid NOT NULL REFERENCES calendars (id) ON DELETE RESTRICT,
        at_risk_percent smallint NOT NULL DEFAULT 80 CHECK (at_risk_percent BETWEEN 1 AND 99),
        max_level smallint NOT NULL DEFAULT 3 CHECK (max_level BETWEEN 0 AND 3),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sla_policies_position_key UNIQUE (position) DEFERRABLE INITIALLY IMMEDIATE
      )`);

    await q.query(`CREATE SEQUENCE ticket_number_seq START 1000`);
    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number integer NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 20000),
        category text NOT NULL REFERENCES categories (key) ON DELETE RESTRICT,
        subcategory text NOT NULL,
        priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint NOT NULL GENERATED ALWAYS AS (
          CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END
        ) STORED,
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
        channel text NOT NULL CHECK (channel IN ('web', 'app', 'email', 'chat', 'social', 'phone')),
        locale text NOT NULL DEFAULT 'en',
        requester_id text NOT NULL,
        requester_vip smallint NOT NULL DEFAULT 0 CHECK (requester_vip BETWEEN 0 AND 7),
        assignee_id text,
        group_id uuid REFERENCES groups (id) ON DELETE SET NULL,
        tier smallint NOT NULL DEFAULT 1 CHECK (tier BETWEEN 1 AND 3),
        escalation_level smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 3),
        fields jsonb NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        policy_id uuid REFERENCES sla_policies (id) ON DELETE SET NULL,
        sla_due_at timestamptz,
        sla_next_check_at timestamptz,
        satisfaction jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        first_responded_at timestamptz,
        solved_at timestamptz,
        closed_at timestamptz,
        FOREIGN KEY (category, subcategory) REFERENCES subcategories (category_key, key) ON DELETE RESTRICT
      )`);
    // The agent queue and list filters: each sort has an index matching (sort key, id) for keyset pages.
    await q.query(`CREATE INDEX tickets_created_idx ON tickets (created_at, id)`);
    await q.query(`CREATE INDEX tickets_requester_created_idx ON tickets (requester_id, created_at, id)`);
    await q.query(`CREATE INDEX tickets_status_created_idx ON tickets (status, created_at, id)`);
    await q.query(
      `CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at, id) WHERE assignee_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX tickets_group_status_idx ON tickets (group_id, status, created_at, id)`);
    await q.query(`CREATE INDEX tickets_category_idx ON tickets (category, created_at, id)`);
    await q.query(`CREATE INDEX tickets_tags_idx ON tickets USING gin (tags)`);
    await q.query(
      `CREATE INDEX tickets_sla_due_idx ON tickets (sla_due_at, id) WHERE sla_due_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX tickets_priority_idx ON tickets (priority_rank, created_at, id)`);
    // What the escalation sweep claims: only tickets with something SLA-related still to happen.
    await q.query(
      `CREATE INDEX tickets_sla_next_check_idx ON tickets (sla_next_check_at) WHERE sla_next_check_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE status = 'solved'`);

    await q.query(`
      CREATE TABLE ticket_search (
        ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
        public_text text NOT NULL DEFAULT '',
        internal_text text NOT NULL DEFAULT ''
      )`);
    await q.query(
      `CREATE INDEX ticket_search_public_idx ON ticket_search USING gin (public_text gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX ticket_search_internal_idx ON ticket_search USING gin (internal_text gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE sla_timers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('firstResponse', 'nextResponse', 'resolution')),
        cycle integer NOT NULL DEFAULT 1 CHECK (cycle >= 1),
        status text NOT NULL CHECK (status IN ('active', 'paused', 'achieved', 'breached')),
        running boolean NOT NULL DEFAULT true,
        target_minutes integer NOT NULL CHECK (target_minutes > 0),
        calendar_id uuid REFERENCES calendars (id) ON DELETE SET NULL,
        at_risk_percent smallint NOT NULL CHECK (at_risk_percent BETWEEN 1 AND 99),
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        at_risk_at timestamptz NOT NULL,
        at_risk_notified boolean NOT NULL DEFAULT false,
        paused_at timestamptz,
        paused_minutes double precision NOT NULL DEFAULT 0 CHECK (paused_minutes >= 0),
        remaining_minutes double precision,
        breached_at timestamptz,
        achieved_at timestamptz,
        stopped_at timestamptz,
        escalations integer NOT NULL DEFAULT 0,
        next_escalation_at timestamptz,
        UNIQUE (ticket_id, kind, cycle)
      ) WITH (fillfactor = 90)`);
    // One running timer of each kind per ticket.
    await q.query(
      `CREATE UNIQUE INDEX sla_timers_one_running_idx ON sla_timers (ticket_id, kind) WHERE running`,
    );
    await q.query(`CREATE INDEX sla_timers_report_idx ON sla_timers (kind, started_at)`);

    await q.query(`
      CREATE TABLE ticket_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        author_id text NOT NULL,
        author_role text NOT NULL CHECK (author_role IN ('customer', 'agent', 'supervisor', 'admin', 'system')),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at, id)`);

    await q.query(`
      CREATE TABLE ticket_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        type text NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        customer_visible boolean NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        dedupe_key text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, seq)`);
    // Append-only: the timeline is history, so nothing may rewrite or remove a record.
    await q.query(`
      CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ticket_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
      FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only()`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        caller_id text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        scope text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'ticket_events',
      'ticket_messages',
      'sla_timers',
      'ticket_search',
      'tickets',
      'sla_policies',
      'calendars',
      'groups',
      'subcategories',
      'categories',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS ticket_events_append_only()`);
    await q.query(`DROP SEQUENCE IF EXISTS ticket_number_seq`);
  }
}
