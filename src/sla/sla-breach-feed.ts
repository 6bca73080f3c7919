import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

export type BreachListener = (count: number) => void;

/**
 * Breaches recorded outside the sweep (a reply, a solve or a close after the due time but before a
 * sweep noticed it: SlaEngine records the breach then), told to listeners once the transaction
 * that recorded them has committed, so a rolled-back request counts nothing. The escalation
 * scheduler adds them to `sla_breaches_total` with the ones its sweeps record.
 */
@Injectable()
export class SlaBreachFeed implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, number>();
  private readonly listeners: BreachListener[] = [];

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  subscribe(listener: BreachListener): void {
    this.listeners.push(listener);
  }

  /** `count` breaches were recorded in the manager's transaction (told at once outside of one). */
  recorded(manager: EntityManager, count: number): void {
    if (count === 0) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      this.tell(count);
      return;
    }
    this.pending.set(runner, (this.pending.get(runner) ?? 0) + count);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint's release leaves the transaction open: only the outermost commit counts.
    if (event.queryRunner.isTransactionActive) return;
    const count = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    if (count) this.tell(count);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  private tell(count: number): void {
    for (const listener of this.listeners) listener(count);
  }
}
