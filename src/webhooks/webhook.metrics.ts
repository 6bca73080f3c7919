import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '../observability/metrics';
import type { AttemptOutcome } from './webhook-outbox.repository';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/** Outbox backlog and delivery results on the app's registry (SPEC §11). */
@Injectable()
export class WebhookMetrics {
  private readonly results: Counter<'result'>;
  private readonly duration: Histogram;

  constructor(metrics: Metrics, outbox: WebhookOutboxRepository) {
    const registers = [metrics.registry];
    this.results = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered (2xx), retry (failed, will retry), failed (gave up)',
      labelNames: ['result'] as const,
      registers,
    });
    for (const result of ['delivered', 'retry', 'failed']) this.results.inc({ result }, 0);
    this.duration = new Histogram({
      name: 'webhook_delivery_duration_seconds',
      help: 'Duration of webhook delivery attempts, from connect to response status',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    // Both gauges come from one read (Metrics.reading: at most one query per few seconds, shared by
    // the scrape's two collects). While the database cannot be read they keep their last value
    // (NaN before the first): a backlog must not look like zero because it could not be counted.
    const read = metrics.reading('webhook_outbox', () => outbox.backlog());
    new Gauge({
      name: 'webhook_outbox_pending',
      help: 'Webhook deliveries not yet delivered or given up (the outbox backlog)',
      registers,
      async collect() {
        this.set((await read())?.pending ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'webhook_outbox_oldest_pending_seconds',
      help: 'Age of the oldest pending webhook delivery',
      registers,
      async collect() {
        this.set((await read())?.oldestSeconds ?? Number.NaN);
      },
    });
  }

  recordAttempt(outcome: AttemptOutcome, seconds: number): void {
    this.results.inc({ result: outcome });
    this.duration.observe(seconds);
  }
}
