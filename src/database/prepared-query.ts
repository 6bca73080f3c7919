import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * A statement PostgreSQL parses and plans once per connection, then only binds and executes
 * (pg's named prepared statements; PGlite, one session, takes the text as it is). TypeORM sends
 * every `query()` unnamed, which PostgreSQL re-plans each time: several times the database CPU of
 * a hot read. Only constant SQL belongs here: the name is derived from the text, so one name can
 * never stand for two statements.
 */
export class PreparedQuery {
  readonly name: string;

  constructor(readonly text: string) {
    this.name = `sla_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  }

  /**
   * Runs in the manager's transaction when it has one. TypeORM passes the query through to the
   * driver, and `pg` takes a `{name, text}` config in place of the text; errors still come back as
   * TypeORM's QueryFailedError. pg writes `values` into the config it is given, so each call gets
   * a fresh one.
   */
  run<T = unknown>(manager: EntityManager, params: unknown[]): Promise<T> {
    const config = { name: this.name, text: this.text };
    return manager.query(config as unknown as string, params);
  }
}

/** The SQL of a query given to TypeORM, whether plain text or a prepared statement's config. */
export function sqlOf(query: string | { text?: string }): string {
  return typeof query === 'string' ? query : String(query?.text ?? '');
}
