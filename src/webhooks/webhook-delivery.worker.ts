import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { retryDelayMs } from './retry-schedule';
import { checkTarget } from './ssrf';
import { WebhookMetrics } from './webhook.metrics';
import {
  type AttemptResult,
  type ClaimedDelivery,
  WebhookOutboxRepository,
} from './webhook-outbox.repository';
import { sendWebhook, type SendResult } from './webhook-sender';
import { signatureHeader } from './webhook-signature';

/** One endpoint's deliveries per claim at most: they are sent one after another, in order. */
const PER_ENDPOINT = 10;

/**
 * Delivers the outbox, in every process. Each tick claims a bounded batch of due deliveries under
 * a lease (one short statement), then sends outside any transaction: endpoints in parallel, each
 * endpoint's deliveries one after another in outbox order. The first failure of an endpoint ends its
 * turn: the rest of its batch is released unattempted, so a dead endpoint costs one attempt per
 * tick instead of a timeout per event. A process that dies holding a lease delays its rows until
 * the lease lapses; then any worker claims them again (at-least-once).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wakeRequested = false;
  private stopping = false;
  /** Failed attempts in a row, by endpoint: the back-off of an endpoint's deferred deliveries. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly metrics: WebhookMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.WEBHOOK_DELIVERY_INTERVAL_MS > 0;
  }

  /** Long enough for an endpoint's whole turn at the timeout, plus a margin. */
  get leaseMs(): number {
    return PER_ENDPOINT * this.config.WEBHOOK_TIMEOUT_MS + 30_000;
  }

  onApplicationBootstrap(): void {
    // At start, catch up on whatever is due (rows of a previous run included).
    if (this.enabled) this.schedule(0);
  }

  /** Stops ticking and waits for the batch in flight, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** A change queued deliveries: look now rather than at the next tick. */
  wake(): void {
    if (!this.enabled || this.stopping) return;
    if (this.running) this.wakeRequested = true;
    else this.schedule(0);
  }

  /** Runs one batch unless one is running; resolves when that batch is done. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.runBatch()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'Webhook delivery batch failed');
          return 0;
        })
        .then((claimed) => {
          this.running = undefined;
          const more = claimed >= this.config.WEBHOOK_BATCH_SIZE || this.wakeRequested;
          this.wakeRequested = false;
          if (this.enabled) this.schedule(more ? 0 : this.config.WEBHOOK_DELIVERY_INTERVAL_MS);
        });
    }
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  /** One claim and its sends; returns how many deliveries were claimed. */
  async runBatch(): Promise<number> {
    const token = randomUUID();
    const claimed = await this.outbox.claim({
      limit: this.config.WEBHOOK_BATCH_SIZE,
      perEndpoint: PER_ENDPOINT,
      leaseMs: this.leaseMs,
      token,
    });
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed) {
      byEndpoint.set(delivery.webhookId, [...(byEndpoint.get(delivery.webhookId) ?? []), delivery]);
    }
    await Promise.all([...byEndpoint.values()].map((turn) => this.deliverInOrder(turn, token)));
    return claimed.length;
  }

  private async deliverInOrder(turn: ClaimedDelivery[], token: string): Promise<void> {
    for (const [index, delivery] of turn.entries()) {
      const ok = await this.attempt(delivery, token);
      if (ok) {
        this.failures.delete(delivery.webhookId);
        continue;
      }
      // The endpoint failed: the rest of its turn waits out the endpoint's back-off instead of
      // coming straight back into the next claim (each failure in a row doubles it).
      const streak = (this.failures.get(delivery.webhookId) ?? 0) + 1;
      this.failures.set(delivery.webhookId, streak);
      await this.outbox.defer(
        turn.slice(index + 1).map((rest) => rest.id),
        token,
        this.backoffMs(streak),
      );
      return;
    }
  }

  private backoffMs(attempt: number): number {
    return retryDelayMs(
      attempt,
      { baseMs: this.config.WEBHOOK_RETRY_BASE_MS, maxMs: this.config.WEBHOOK_RETRY_MAX_MS },
      Math.random(),
    );
  }

  /** One attempt, recorded whatever happens; returns whether it was delivered. */
  private async attempt(delivery: ClaimedDelivery, token: string): Promise<boolean> {
    const sent = await this.send(delivery);
    const attempt = delivery.attempts + 1;
    const result: AttemptResult = {
      ...sent,
      retryInMs: this.backoffMs(attempt),
    };
    const outcome = await this.outbox.recordAttempt(
      delivery,
      token,
      result,
      this.config.WEBHOOK_RETRY_WINDOW_MS,
    );
    this.metrics.recordAttempt(outcome, sent.durationMs / 1000);
    if (outcome !== 'delivered') {
      this.logger.warn(
        {
          webhookId: delivery.webhookId,
          eventId: delivery.eventId,
          attempt,
          statusCode: sent.statusCode,
          error: sent.error,
          outcome,
        },
        'Webhook attempt failed',
      );
    }
    return sent.ok;
  }

  private async send(delivery: ClaimedDelivery): Promise<SendResult> {
    // Checked again at each attempt: the name may resolve elsewhere now than at registration.
    const target = await checkTarget(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE);
    if (!target.ok) return { ok: false, statusCode: null, durationMs: 0, error: target.reason };
    return sendWebhook({
      url: target.url,
      address: target.address,
      body: delivery.body,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'sla-desk-webhooks/1',
        'X-Event-Id': delivery.eventId,
        'X-Event-Type': delivery.eventType,
        'X-Signature': signatureHeader(delivery.secret, delivery.body, Math.floor(Date.now() / 1000)),
      },
    });
  }
}
