import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { toTicketResponse } from '../tickets/ticket.mapper';
import { Timeline, type TimelineEvent } from '../tickets/timeline';
import { TicketsRepository } from '../tickets/tickets.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { type WebhookEventType, webhookEventsFor } from './webhook-events';
import { type OutboxEvent, WebhookOutboxRepository } from './webhook-outbox.repository';

interface Recorded {
  record: TimelineEvent;
  at: Date;
}

/** What one transaction recorded so far, by ticket, in record order. */
type Pending = Map<string, Recorded[]>;

/**
 * Writes the webhook outbox in the transaction of each ticket change.
 *
 * The timeline subscriber only collects what the transaction recorded; the rows are written just
 * before COMMIT (TypeORM's beforeTransactionCommit, still inside the transaction on its own
 * connection). That way the ticket in the payload is the ticket as the transaction leaves it, even
 * where a feature records the timeline before updating the ticket, and one transaction gives each
 * ticket at most one `ticket.updated`. A rollback drops what was collected: no event for a change
 * that did not happen, and no change committed without its events.
 */
@Injectable()
export class WebhookOutboxWriter implements OnModuleInit, EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Pending>();
  private readonly wrote = new WeakSet<QueryRunner>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly timeline: Timeline,
    private readonly tickets: TicketsRepository,
    private readonly outbox: WebhookOutboxRepository,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  onModuleInit(): void {
    this.timeline.subscribe((manager, ticketId, events, at) => this.collect(manager, ticketId, events, at));
    this.dataSource.subscribers.push(this);
  }

  private async collect(manager: EntityManager, ticketId: string, records: TimelineEvent[], at: Date) {
    if (records.length === 0) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      // Not in a transaction (no feature does this today): the write is as atomic as the record.
      await this.write(manager, new Map([[ticketId, records.map((record) => ({ record, at }))]]));
      return;
    }
    let byTicket = this.pending.get(runner);
    if (!byTicket) this.pending.set(runner, (byTicket = new Map()));
    const list = byTicket.get(ticketId) ?? [];
    list.push(...records.map((record) => ({ record, at })));
    byTicket.set(ticketId, list);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    // A savepoint's release is not the commit: the outermost COMMIT writes everything.
    if (depthOf(runner) > 1) return;
    const byTicket = this.pending.get(runner);
    if (!byTicket) return;
    this.pending.delete(runner);
    if (await this.write(event.manager, byTicket)) this.wrote.add(runner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.wrote.has(event.queryRunner)) return;
    this.wrote.delete(event.queryRunner);
    this.worker.wake();
  }

  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    if (depthOf(event.queryRunner) > 1) return;
    this.pending.delete(event.queryRunner);
  }

  /** Returns whether any delivery was queued. */
  private async write(manager: EntityManager, byTicket: Pending): Promise<boolean> {
    const planned = [...byTicket].map(([ticketId, recorded]) => ({
      ticketId,
      recorded,
      events: webhookEventsFor(recorded.map((entry) => entry.record)),
    }));
    const types = [...new Set(planned.flatMap((plan) => plan.events.map((event) => event.type)))];
    if (types.length === 0) return false;
    const endpoints = await this.outbox.subscribers(manager, types);
    if (endpoints.length === 0) return false;

    const events: OutboxEvent[] = [];
    const deliveries: { webhookId: string; eventId: string; ticketId: string }[] = [];
    for (const plan of planned) {
      const wanted = plan.events.filter((event) =>
        endpoints.some((endpoint) => endpoint.events.includes(event.type)),
      );
      if (wanted.length === 0) continue;
      const state = await this.tickets.findWithSla(manager, plan.ticketId);
      if (!state) continue;
      for (const { type, source } of wanted) {
        const { record, at } = plan.recorded[source];
        const id = randomUUID();
        const body = JSON.stringify({
          id,
          type,
          createdAt: at.toISOString(),
          data: { ticket: toTicketResponse(state, at), ...messageOf(type, record, at) },
        });
        events.push({ id, ticketId: plan.ticketId, type, body, createdAt: at });
        for (const endpoint of endpoints) {
          if (endpoint.events.includes(type)) {
            deliveries.push({ webhookId: endpoint.id, eventId: id, ticketId: plan.ticketId });
          }
        }
      }
    }
    await this.outbox.enqueue(manager, events, deliveries);
    return deliveries.length > 0;
  }
}

/**
 * What a `ticket.message_created` says of its message, from the timeline record: its id, whether
 * it is a public reply or an internal note, who wrote it and when. The text is left out: the ticket
 * API serves it to whoever may read it.
 */
function messageOf(
  type: WebhookEventType,
  record: TimelineEvent,
  at: Date,
): { message?: { id: string; visibility: string; authorRole: string; createdAt: string } } {
  if (type !== 'ticket.message_created') return {};
  return {
    message: {
      id: String(record.data.messageId),
      visibility: String(record.data.visibility),
      authorRole: String(record.data.authorRole),
      createdAt: at.toISOString(),
    },
  };
}

/** TypeORM keeps the nesting depth protected; savepoints (depth > 1) are not the commit. */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth?: number }).transactionDepth ?? 1;
}
