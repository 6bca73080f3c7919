import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/database.module';
import { MIGRATIONS } from '../../src/database/migrations';
import { testConfig } from '../support/test-app';

/**
 * Several processes may start together against one PostgreSQL (SPEC §1): their migration runs on a
 * fresh database must all finish, each migration applied once. Needs a database server of its own.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('migrations started by several processes at once', () => {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://localhost/postgres');
  const database = `sla_desk_migrations_${process.pid}_${Date.now()}`;

  async function admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: new URL('/postgres', server).toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  beforeAll(() => admin(`CREATE DATABASE "${database}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));

  it('applies every migration once while a second process waits its turn', async () => {
    const url = new URL(`/${database}`, server).toString();
    const sources = [0, 1, 2].map(
      () => new DataSource(dataSourceOptions(testConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '3' }))),
    );
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      // A waiter blocked inside pg_advisory_lock held a snapshot that CREATE INDEX CONCURRENTLY waits for.
      await Promise.all(sources.map((source) => runMigrations(source)));
      const applied: { name: string }[] = await sources[0].query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      const [{ valid }] = await sources[0].query(
        `SELECT bool_and(i.indisvalid) AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relname = 'webhook_deliveries_due_idx'`,
      );
      expect(valid).toBe(true);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  }, 60_000);
});
