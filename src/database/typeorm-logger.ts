import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';
import { sqlOf } from './prepared-query';

/**
 * TypeORM's messages through the app's logger. Query parameters are never logged: they carry
 * what customers typed (and redaction happens in the services, not here).
 */
export class TypeOrmLogger implements OrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Statements are not logged one by one.
  }

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.warn({ query: sqlOf(query).slice(0, 500), error: message }, 'Query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query: sqlOf(query).slice(0, 500), ms: time }, 'Slow query');
  }

  logSchemaBuild(): void {
    // Never used: the schema comes from migrations.
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.log(String(message));
  }
}
