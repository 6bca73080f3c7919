import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** The app's Prometheus registry and the metrics every feature shares. One per app instance. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

// Issue 8: operators' view of the queue.
/** Open tickets (new, open, pending, on hold) by category and priority: one GROUP BY per scrape. */
@Injectable()
export class OpenTicketsGauge {
  private readonly logger = new Logger(OpenTicketsGauge.name);

  constructor(metrics: Metrics, dataSource: DataSource) {
    const logger = this.logger;
    new Gauge({
      name: 'tickets_open',
      help: 'Tickets not yet solved or closed, by category and priority',
      labelNames: ['category', 'priority'] as const,
      registers: [metrics.registry],
      async collect() {
        try {
          const rows: { category: string; priority: string; n: number }[] = await dataSource.query(
            `SELECT category, priority, count(*)::int AS n FROM tickets
              WHERE status IN ('new', 'open', 'pending', 'on_hold') GROUP BY category, priority`,
          );
          this.reset();
          for (const row of rows) this.set({ category: row.category, priority: row.priority }, row.n);
        } catch (error) {
          logger.warn({ err: error }, 'Could not count open tickets');
        }
      },
    });
  }
}
