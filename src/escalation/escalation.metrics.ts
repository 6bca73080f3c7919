import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '../observability/metrics';
import type { BatchResult } from './escalation.service';

/** SLA and scheduler metrics on the app's registry (SPEC §11). */
@Injectable()
export class EscalationMetrics {
  readonly runDuration: Histogram;
  private readonly breaches: Counter;
  private readonly atRisk: Counter;
  private readonly escalations: Counter;
  private readonly autoClosed: Counter;

  constructor(metrics: Metrics, dataSource: DataSource) {
    const registers = [metrics.registry];
    this.runDuration = new Histogram({
      name: 'sla_scheduler_run_duration_seconds',
      help: 'Duration of escalation scheduler runs',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.breaches = new Counter({
      name: 'sla_breaches_total',
      help: 'SLA timers recorded as breached',
      registers,
    });
    this.atRisk = new Counter({
      name: 'sla_at_risk_total',
      help: 'SLA timers that reached their at-risk point',
      registers,
    });
    this.escalations = new Counter({
      name: 'sla_escalations_total',
      help: 'Escalation levels raised by the scheduler',
      registers,
    });
    this.autoClosed = new Counter({
      name: 'tickets_auto_closed_total',
      help: 'Solved tickets closed automatically',
      registers,
    });
    // Read through Metrics.reading: at most one query per few seconds, the last value kept on error.
    const backlog = metrics.reading('sla_scheduler_backlog', async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS due FROM tickets WHERE sla_next_check_at <= now()`,
      );
      return row.due as number;
    });
    new Gauge({
      name: 'sla_scheduler_backlog',
      help: 'Tickets whose next SLA moment has passed and that no sweep has processed yet',
      registers,
      async collect() {
        this.set((await backlog()) ?? Number.NaN);
      },
    });
    // The nearest running, unpaused due time has passed (as `breached=true` lists): its partial index answers.
    const breached = metrics.reading('sla_breached_tickets', async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM tickets WHERE sla_due_at <= now()`,
      );
      return row.n as number;
    });
    new Gauge({
      name: 'sla_breached_tickets',
      help: 'Tickets with a running SLA timer past its due time',
      registers,
      async collect() {
        this.set((await breached()) ?? Number.NaN);
      },
    });
  }

  record(batch: BatchResult): void {
    this.breaches.inc(batch.breaches);
    this.atRisk.inc(batch.atRisk);
    this.escalations.inc(batch.escalations);
    this.autoClosed.inc(batch.autoClosed);
  }
}
