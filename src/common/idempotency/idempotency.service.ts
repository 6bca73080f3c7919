import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Keys are kept at least this long (SPEC §2); the purge never forgets a younger one. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/**
 * `Idempotency-Key` handling (SPEC §2): the key is claimed in the same transaction as the work
 * and stores its 2xx response there, so a retry replays it and two concurrent requests with one
 * key do the work once (the second waits on the key's row, then replays). Keys are per caller.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(
    callerId: string,
    key: string | undefined,
    scope: string,
    request: unknown,
    work: (manager: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<StoredResponse<T>> {
    if (key === undefined) {
      return { ...(await this.dataSource.transaction(work)), replayed: false };
    }
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw AppError.validation([
        { field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
      ]);
    }
    const hash = createHash('sha256')
      .update(scope)
      .update('\0')
      .update(JSON.stringify(request))
      .digest('hex');
    // A key whose row the purge removes between the claim and the replay is claimed afresh, once.
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const claimed: unknown[] = await manager.query(
          `INSERT INTO idempotency_keys (caller_id, key, scope, request_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT (caller_id, key) DO NOTHING RETURNING 1`,
          [callerId, key, scope, hash],
        );
        if (claimed.length === 0) return undefined;
        const result = await work(manager);
        await manager.query(
          `UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE caller_id = $1 AND key = $2`,
          [callerId, key, result.status, JSON.stringify(result.body)],
        );
        return { ...result, replayed: false };
      });
      if (outcome) return outcome;
      const replayed = await this.replay<T>(callerId, key, hash, attempt > 1);
      if (replayed) return replayed;
    }
  }

  /** The stored answer; undefined when the key is gone (purged) and `final` is false. */
  private async replay<T>(
    callerId: string,
    key: string,
    hash: string,
    final: boolean,
  ): Promise<StoredResponse<T> | undefined> {
    const [stored]: { request_hash: string; status_code: number | null; response: T }[] =
      await this.dataSource.query(
        `SELECT request_hash, status_code, response FROM idempotency_keys WHERE caller_id = $1 AND key = $2`,
        [callerId, key],
      );
    if (!stored && !final) return undefined;
    if (!stored || stored.request_hash !== hash || stored.status_code === null) {
      throw new AppError(
        'idempotency_conflict',
        'This Idempotency-Key was already used with a different request.',
      );
    }
    return { status: stored.status_code, body: stored.response, replayed: true };
  }

  /**
   * Forgets up to `limit` keys older than `hours` (never fewer than IDEMPOTENCY_RETENTION_HOURS),
   * oldest first; returns how many. Run by the scheduler of every process: rows another process is
   * deleting at the same moment are skipped, not waited for, so concurrent purges split the work.
   */
  async purgeOlderThan(hours: number, limit = 1000): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE (caller_id, key) IN (
         SELECT caller_id, key FROM idempotency_keys
         WHERE created_at < now() - make_interval(hours => $1)
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [Math.max(Math.ceil(hours), IDEMPOTENCY_RETENTION_HOURS), limit],
    );
    return Number(count ?? 0);
  }
}
