import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { SlaBreachFeed } from '../../src/sla/sla-breach-feed';

/** A feed on a fake data source, with what its listener was told. */
function feed() {
  const dataSource = { subscribers: [] as unknown[] };
  const subject = new SlaBreachFeed(dataSource as unknown as DataSource);
  const told: number[] = [];
  subject.subscribe((count) => told.push(count));
  return { subject, told, dataSource };
}

/** An open transaction's query runner and its manager. */
function transaction() {
  const runner = { isTransactionActive: true };
  const manager = { queryRunner: runner as QueryRunner } as unknown as EntityManager;
  return { runner, manager };
}

describe('SlaBreachFeed', () => {
  it('subscribes to the data source’s transaction events', () => {
    const { subject, dataSource } = feed();

    expect(dataSource.subscribers).toEqual([subject]);
  });

  it('tells the breaches of a transaction once it commits, added up', () => {
    const { subject, told } = feed();
    const { runner, manager } = transaction();

    subject.recorded(manager, 1);
    subject.recorded(manager, 2);
    expect(told).toEqual([]);
    runner.isTransactionActive = false;
    subject.afterTransactionCommit({ queryRunner: runner } as never);
    subject.afterTransactionCommit({ queryRunner: runner } as never);

    expect(told).toEqual([3]);
  });

  it('tells nothing of a transaction rolled back, nor on a savepoint’s release', () => {
    const { subject, told } = feed();
    const rolledBack = transaction();
    const nested = transaction();

    subject.recorded(rolledBack.manager, 1);
    rolledBack.runner.isTransactionActive = false;
    subject.afterTransactionRollback({ queryRunner: rolledBack.runner } as never);
    subject.afterTransactionCommit({ queryRunner: rolledBack.runner } as never);
    subject.recorded(nested.manager, 1);
    subject.afterTransactionCommit({ queryRunner: nested.runner } as never); // still open: a savepoint

    expect(told).toEqual([]);
  });

  it('tells at once outside a transaction, and never a count of 0', () => {
    const { subject, told } = feed();

    subject.recorded({ queryRunner: undefined } as unknown as EntityManager, 1);
    subject.recorded(transaction().manager, 0);

    expect(told).toEqual([1]);
  });
});
