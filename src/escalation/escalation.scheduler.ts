import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type BatchResult, EscalationService } from './escalation.service';
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

/**
 * Runs the escalation sweep every ESCALATION_INTERVAL_S in every process. A run never overlaps
 * itself (a tick during a run is skipped, so slow runs do not pile up); shutdown waits for the
 * batch in flight. Processes share the work through row locks, not coordination.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationScheduler.name);
  private timer?: NodeJS.Timeout;
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // Catch up at start: everything missed while no process ran is processed now.
    setImmediate(() => void this.tick());
    this.timer = setInterval(() => void this.tick(), this.config.ESCALATION_INTERVAL_S * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
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
  private async batches(report: RunReport): Promise<void> {
    const limit = this.config.ESCALATION_BATCH_SIZE;
    while (!this.stopping && report.batches < MAX_BATCHES_PER_RUN) {
      report.batches += 1;
      const batch = await this.escalation.runBatch(limit);
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
    try {
      // Several batch loops share a run on PostgreSQL (row locks keep them apart); the embedded
      // database has one session, so one loop there.
      const loops = this.config.DATABASE_URL ? this.config.ESCALATION_CONCURRENCY : 1;
      await Promise.all(Array.from({ length: loops }, () => this.batches(report)));
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error }, 'Escalation run failed');
    } finally {
      report.finishedAt = new Date().toISOString();
      this.metrics.runDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
    return report;
  }
}
