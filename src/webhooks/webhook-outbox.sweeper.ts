import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/** How often each delivering process sweeps. */
const SWEEP_EVERY_MS = 60_000;
/** Rows per statement: each is a short transaction that holds few locks. */
const BATCH = 1000;
/** Statements of one kind per sweep at most; what is left waits for the next sweep. */
const MAX_BATCHES = 50;

export interface SweepResult {
  /** Pending deliveries of inactive endpoints given up. */
  failed: number;
  /** Delivered and failed deliveries removed (with their attempts). */
  deliveries: number;
  /** Events no delivery refers to any more, removed. */
  events: number;
}

/**
 * Keeps the outbox small, in every process that delivers (WEBHOOK_DELIVERY_INTERVAL_MS > 0), once
 * a minute:
 *
 * - pending deliveries of inactive endpoints queued longer ago than WEBHOOK_RETRY_WINDOW_MS are
 *   marked failed (no worker claims them, and they would keep the backlog gauges growing);
 * - deliveries delivered or failed more than WEBHOOK_RETENTION_DAYS ago are deleted with their
 *   attempts, and so are events of that age no delivery refers to any more.
 *
 * Safe with several processes: each statement takes its rows with SKIP LOCKED, so two sweepers
 * share the work instead of waiting for each other, and each batch commits on its own.
 */
@Injectable()
export class WebhookOutboxSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookOutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.WEBHOOK_DELIVERY_INTERVAL_MS > 0) this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Webhook outbox sweep failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(SWEEP_EVERY_MS);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One sweep; resolves with what it did. */
  async sweep(): Promise<SweepResult> {
    const days = this.config.WEBHOOK_RETENTION_DAYS;
    const result: SweepResult = {
      failed: await this.repeat(() =>
        this.outbox.failStaleOfInactive(this.config.WEBHOOK_RETRY_WINDOW_MS, BATCH),
      ),
      deliveries: await this.repeat(() => this.outbox.purgeFinished(days, BATCH)),
      events: await this.repeat(() => this.outbox.purgeOrphanEvents(days, BATCH)),
    };
    if (result.failed + result.deliveries + result.events > 0) {
      this.logger.log(result, 'Webhook outbox swept');
    }
    return result;
  }

  /** Runs a batch statement until it finds less than a batch (or the sweep's share is spent). */
  private async repeat(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let round = 0; round < MAX_BATCHES && !this.stopping; round += 1) {
      const done = await batch();
      total += done;
      if (done < BATCH) break;
    }
    return total;
  }
}
