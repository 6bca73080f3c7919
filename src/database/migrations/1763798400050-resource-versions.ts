import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version on the admin-managed resources, for their ETags and `If-Match` (SPEC §2), as tickets and
 * webhooks have: categories (their subcategories included), groups, calendars and SLA policies.
 */
export class ResourceVersions1763798400050 implements MigrationInterface {
  name = 'ResourceVersions1763798400050';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(
        `ALTER TABLE ${table} ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN version`);
  }
}

const TABLES = ['categories', 'groups', 'calendars', 'sla_policies'];
