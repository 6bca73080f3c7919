import { EventEmitter } from 'node:events';
import { PGlite, type PGliteOptions, type Results } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** What TypeORM's postgres driver reads from a `pg` result. */
interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

type Release = (err?: unknown) => void;
type ConnectCallback = (err: unknown, session?: PGliteSession, release?: Release) => void;

/**
 * Parse values the way `pg` does by default, so code sees the same types on both databases:
 * int8 as string (pg never silently loses precision), dates as 'YYYY-MM-DD' strings.
 */
const PG_COMPATIBLE_PARSERS = { 20: (value: string) => value, 1082: (value: string) => value };

/** One FIFO lock: PGlite is a single session, so at most one caller may hold it at a time. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

function commandOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(sql);
  return match ? match[1].toUpperCase() : '';
}

function toPgResult(sql: string, result: Results | undefined): PgResult {
  const rows = (result?.rows ?? []) as unknown[];
  const command = commandOf(sql);
  const rowCount = command === 'SELECT' ? rows.length : (result?.affectedRows ?? rows.length);
  return { rows, rowCount, command, fields: result?.fields ?? [] };
}

/** A `pg.PoolClient`-shaped view of the PGlite session, valid while its holder keeps the lock. */
class PGliteSession extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(text: string | { text: string; values?: unknown[] }, values?: unknown[]): Promise<PgResult> {
    const sql = typeof text === 'string' ? text : text.text;
    const params = (typeof text === 'string' ? values : (text.values ?? values)) ?? [];
    if (params.length > 0) return toPgResult(sql, await this.db.query(sql, params));
    // Without parameters the simple protocol is used, which also runs multi-statement migration scripts.
    const results = await this.db.exec(sql);
    return toPgResult(sql, results[results.length - 1]);
  }
}

/**
 * A `pg.Pool`-shaped driver over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite has a single session, so a transaction must own it from BEGIN to COMMIT: `connect()`
 * hands the session out under a FIFO lock until it is released (a pool of exactly one
 * connection). That keeps concurrent requests' transactions from interleaving, which a shared
 * session without a lock would not.
 */
export function createPGliteDriver(dataDir: string | undefined, options: PGliteOptions = {}) {
  // Options go in one object: `new PGlite(undefined, options)` silently drops the extensions.
  const db = new PGlite({
    ...options,
    dataDir,
    parsers: { ...PG_COMPATIBLE_PARSERS, ...options.parsers },
    extensions: { pg_trgm, ...options.extensions },
  });
  const lock = new SessionLock();
  const session = new PGliteSession(db);

  async function checkout(): Promise<Release> {
    await db.waitReady;
    const unlock = await lock.acquire();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A holder that leaves a transaction open (a bug, or a crash mid-way) must not leak it.
      if (db.isInTransaction()) {
        db.exec('ROLLBACK').finally(unlock);
      } else {
        unlock();
      }
    };
  }

  class Pool extends EventEmitter {
    connect(callback?: ConnectCallback): Promise<PGliteSession> | void {
      const connected = checkout().then((release) => ({ release }));
      if (!callback) {
        return connected.then(({ release }) => Object.assign(session, { release }));
      }
      connected.then(
        ({ release }) => callback(undefined, session, release),
        (err) => callback(err),
      );
    }

    async query(text: string, values?: unknown[]): Promise<PgResult> {
      const release = await checkout();
      try {
        return await session.query(text, values);
      } finally {
        release();
      }
    }

    end(callback?: (err?: unknown) => void): Promise<void> {
      const ended = lock.acquire().then(async (unlock) => {
        if (!db.closed) await db.close();
        unlock();
      });
      if (callback) ended.then(() => callback(), callback);
      return ended;
    }
  }

  return { Pool, db };
}
