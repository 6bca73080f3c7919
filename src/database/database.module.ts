import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** Any fixed number: the advisory lock under which one process at a time applies migrations. */
const MIGRATION_LOCK = 724_310_001;

/** How long a process that finds another migrating waits before it asks again. */
const MIGRATION_LOCK_POLL_MS = 200;

/**
 * Applies pending migrations. On PostgreSQL several processes may start together, so the run is
 * serialized by an advisory lock; the embedded database belongs to a single process.
 *
 * The lock is polled, never waited for inside `pg_advisory_lock`: a session blocked in that call
 * holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the lock holder's migration waits for every
 * older snapshot, so each process would wait for the other for good.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const logger = new Logger('Migrations');
  const shared = 'url' in dataSource.options && Boolean(dataSource.options.url);
  const lock = shared ? dataSource.createQueryRunner() : undefined;
  try {
    while (lock) {
      const [{ locked }]: { locked: boolean }[] = await lock.query(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [MIGRATION_LOCK],
      );
      if (locked) break;
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.log(`Applied ${applied.length} migration(s)`);
  } finally {
    await lock?.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock?.release();
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        retryAttempts: 3,
        retryDelay: 2000,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
