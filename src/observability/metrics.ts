import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';

/**
 * How long a value read from the database for a gauge is reused. `/metrics` may be public, so
 * however often it is scraped, each database-backed gauge costs at most one query per this long.
 */
export const DB_GAUGE_TTL_MS = 5_000;

/** The app's Prometheus registry and the metrics every feature shares. One per app instance. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly collectErrors = new Counter({
    name: 'metrics_collect_errors_total',
    help: 'Failed database reads behind gauges, by source; the gauges keep their last value meanwhile',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor(private readonly clock: Clock) {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A database read for gauges' `collect()`, named `source`: done at most once per DB_GAUGE_TTL_MS
   * (by the app's clock) and shared by concurrent scrapes. A failed read never fails the scrape: it
   * is logged and counted in `metrics_collect_errors_total{source}`, and the reading answers the
   * last value read (undefined before the first), so a gauge shows its last known value rather than
   * a made-up zero.
   */
  reading<T>(source: string, read: () => Promise<T>): () => Promise<T | undefined> {
    const logger = new Logger(Metrics.name);
    this.collectErrors.inc({ source }, 0);
    let last: T | undefined;
    let readAt: number | undefined;
    let inFlight: Promise<T | undefined> | undefined;
    return () => {
      const now = this.clock.now().getTime();
      // A clock that went back (tests move it) makes the value stale too.
      if (readAt !== undefined && now >= readAt && now - readAt < DB_GAUGE_TTL_MS) {
        return inFlight ?? Promise.resolve(last);
      }
      readAt = now;
      inFlight = read()
        .then((value) => (last = value))
        .catch((error: unknown) => {
          this.collectErrors.inc({ source });
          logger.warn(
            { err: error, source },
            'Could not read a gauge from the database; keeping its last value',
          );
          return last;
        })
        .finally(() => (inFlight = undefined));
      return inFlight;
    };
  }
}

// Issue 8: operators' view of the queue.
/** Open tickets (new, open, pending, on hold) by category and priority: one GROUP BY per read. */
@Injectable()
export class OpenTicketsGauge {
  constructor(metrics: Metrics, dataSource: DataSource) {
    const read = metrics.reading(
      'tickets_open',
      (): Promise<{ category: string; priority: string; n: number }[]> =>
        dataSource.query(
          `SELECT category, priority, count(*)::int AS n FROM tickets
            WHERE status IN ('new', 'open', 'pending', 'on_hold') GROUP BY category, priority`,
        ),
    );
    new Gauge({
      name: 'tickets_open',
      help: 'Tickets not yet solved or closed, by category and priority',
      labelNames: ['category', 'priority'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = await read();
        if (rows === undefined) return;
        this.reset();
        for (const row of rows) this.set({ category: row.category, priority: row.priority }, row.n);
      },
    });
  }
}
