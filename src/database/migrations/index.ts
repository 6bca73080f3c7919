import type { MigrationInterface } from 'typeorm';

/** Every migration in order, listed once for the app and the migration CLI. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [];
