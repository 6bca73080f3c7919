import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { types as pgTypes } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { type AppConfig, MEMORY_DATA_DIR } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { createPGliteDriver } from './pglite-pool';
import { TypeOrmLogger } from './typeorm-logger';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

// Dates ('YYYY-MM-DD') stay strings on PostgreSQL, as they do on PGlite (see pglite-pool.ts).
pgTypes.setTypeParser(pgTypes.builtins.DATE, (value) => value);

/** Where the embedded database keeps its files; in memory for `DATA_DIR=memory://`. */
export function pgliteDataDir(config: AppConfig): string | undefined {
  if (config.DATA_DIR === MEMORY_DATA_DIR) return undefined;
  const dir = join(config.DATA_DIR, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The one data source definition, shared by the app and the migration CLI (ormconfig.ts).
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite under DATA_DIR.
 * Migrations are run explicitly at start (see database.module.ts), never synchronize.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common: PostgresConnectionOptions = {
    type: 'postgres',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'sla-desk',
    };
  }
  return { ...common, driver: createPGliteDriver(pgliteDataDir(config)) };
}
