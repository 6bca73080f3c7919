import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IDEMPOTENCY_RETENTION_HOURS, IdempotencyService } from '../common/idempotency/idempotency.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SlaBreachFeed } from '../sla/sla-breach-feed';
import { type BatchResult, EscalationService, SweepRun } from './escalation.service';
import { EscalationMetrics } from './escalation.metrics';

export interface RunReport extends Omit<BatchResult, 'claimed'> {
  startedAt: string;
  finishedAt: string | null;
  ticketsProcessed: number;
  batches: number;
  error: string | null;
}

/** At most this many batches per run, so one run cannot hold the process forever; the next run goes on. */
const MAX_BATCHES_PER_RUN = 100;

/** Idempotency keys forgotten per run at most; a backlog is worked off over the next runs. */
const IDEMPOTENCY_PURGE_LIMIT = 1000;

/** The name of the sweep's interval in @nestjs/schedule's registry. */
export const ESCALATION_INTERVAL = 'escalation-sweep';

/**
 * Runs the escalation sweep every ESCALATION_INTERVAL_S in every process, on an interval registered
 * with @nestjs/schedule. A run never overlaps itself (a tick during a run joins it, so slow runs do
 * not pile up) and ends only when all its batch loops have ended; shutdown waits for it. Processes
 * share the work through row locks, not coordination. Each run also forgets expired idempotency keys.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationScheduler.name);
  private running?: Promise<RunReport>;
  private stopping = false;
  lastRun: RunReport | null = null;

  get enabled(): boolean {
    return this.config.SCHEDULER_ENABLED && this.config.ESCALATION_INTERVAL_S > 0;
  }

  get intervalSeconds(): number {
    return this.config.ESCALATION_INTERVAL_S;
  }

  constructor(
    private readonly escalation: EscalationService,
    private readonly metrics: EscalationMetrics,
    private readonly idempotency: IdempotencyService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    breaches: SlaBreachFeed,
  ) {
    // Breaches recorded by a late answer (no sweep involved) count in the same series as the sweep's.
    breaches.subscribe((count) =>
      this.metrics.record({ claimed: 0, atRisk: 0, breaches: count, escalations: 0, autoClosed: 0 }),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // Catch up at start: everything missed while no process ran is processed now.
    setImmediate(() => void this.tick());
    const interval = setInterval(() => void this.tick(), this.config.ESCALATION_INTERVAL_S * 1000);
    interval.unref();
    this.registry.addInterval(ESCALATION_INTERVAL, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // @nestjs/schedule clears its intervals before shutdown; this covers being closed without it.
    if (this.registry.doesExist('interval', ESCALATION_INTERVAL)) {
      this.registry.deleteInterval(ESCALATION_INTERVAL);
    }
    await this.running?.catch(() => undefined);
  }

  /** Starts a run unless one is in progress; resolves with that run's report. */
  tick(): Promise<RunReport> {
    if (!this.running) {
      this.running = this.run().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  /** Claims batches until one comes back short (nothing more is due) or the run's batch budget is spent. */
  private async batches(report: RunReport, sweep: SweepRun): Promise<void> {
    const limit = this.config.ESCALATION_BATCH_SIZE;
    while (!this.stopping && report.batches < MAX_BATCHES_PER_RUN) {
      report.batches += 1;
      const batch = await this.escalation.runBatch(limit, sweep);
      report.ticketsProcessed += batch.claimed;
      report.atRisk += batch.atRisk;
      report.breaches += batch.breaches;
      report.escalations += batch.escalations;
      report.autoClosed += batch.autoClosed;
      this.metrics.record(batch);
      if (batch.claimed < limit && batch.autoClosed < limit) return;
    }
  }

  private async run(): Promise<RunReport> {
    const started = process.hrtime.bigint();
    const report: RunReport = {
      startedAt: new Date().toISOString(),
      finishedAt: null,
      ticketsProcessed: 0,
      batches: 0,
      atRisk: 0,
      breaches: 0,
      escalations: 0,
      autoClosed: 0,
      error: null,
    };
    this.lastRun = report;
    const errors: string[] = [];
    // Several batch loops share a run on PostgreSQL (row locks keep them apart); the embedded
    // database has one session, so one loop there. The run ends when every loop has ended, also
    // when one fails, so no batch is still in flight after it (nor during the next run or shutdown).
    const loops = this.config.DATABASE_URL ? this.config.ESCALATION_CONCURRENCY : 1;
    // The run's batches share what they read once per run (policies, groups, calendars).
    const sweep = new SweepRun();
    const outcomes = await Promise.allSettled(
      Array.from({ length: loops }, () => this.batches(report, sweep)),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        errors.push(messageOf(outcome.reason));
        this.logger.error({ err: outcome.reason }, 'Escalation batch loop failed');
      }
    }
    if (!this.stopping) {
      try {
        const purged = await this.idempotency.purgeOlderThan(
          IDEMPOTENCY_RETENTION_HOURS,
          IDEMPOTENCY_PURGE_LIMIT,
        );
        if (purged > 0) this.logger.log({ purged }, 'Expired idempotency keys forgotten');
      } catch (error) {
        errors.push(messageOf(error));
        this.logger.error({ err: error }, 'Idempotency key purge failed');
      }
    }
    report.error = errors.length > 0 ? errors.join('; ') : null;
    report.finishedAt = new Date().toISOString();
    this.metrics.runDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return report;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
