import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { retryDelayMs } from './retry-schedule';
import { WebhookMetrics } from './webhook.metrics';
import {
  type AttemptResult,
  type ClaimedDelivery,
  WebhookOutboxRepository,
} from './webhook-outbox.repository';
import { attemptDelivery, type SendResult } from './webhook-sender';
import { signatureHeader } from './webhook-signature';

/** One endpoint's deliveries per claim at most: they are sent one after another, in order. */
const PER_ENDPOINT = 10;
/** Endpoints one process delivers to at the same time, each in its own run. */
const CONCURRENT_ENDPOINTS = 16;
/** How long shutdown waits for the attempts in flight before it interrupts them. */
export const SHUTDOWN_GRACE_MS = 5_000;
/** The error an interrupted attempt is recorded with. */
const INTERRUPTED = 'interrupted: the process is shutting down';

/**
 * Delivers the outbox, in every process. A claim takes due deliveries under a lease (one short
 * statement, fair across endpoints: see WebhookOutboxRepository.claim), then sends outside any
 * transaction. Each endpoint's deliveries go in a run of their own, one after another; up to
 * CONCURRENT_ENDPOINTS runs go on at once, and an endpoint with a run in progress is not claimed
 * for again, so a slow endpoint holds up nobody else. As soon as a run ends the worker claims again
 * (so a backlog drains at the receiver's pace, not one batch per interval); when nothing is due it
 * looks again after WEBHOOK_DELIVERY_INTERVAL_MS, or when a change queues deliveries (wake).
 *
 * The first failure of an endpoint ends its run: the rest of the run is deferred by the endpoint's
 * back-off (doubling with each failure in a row), and this process leaves the endpoint alone
 * until then, so a dead endpoint costs one attempt per back-off instead of a timeout per event. A
 * process that dies holding a lease delays its rows until the lease lapses; then any worker claims
 * them again (at-least-once).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private timer?: NodeJS.Timeout;
  /** The claim in progress (one at a time), and whether another was asked for meanwhile. */
  private claiming?: Promise<void>;
  private claimAgain = false;
  /** Runs in progress, by endpoint. */
  private readonly runs = new Map<string, Promise<void>>();
  /** Failed attempts in a row, by endpoint: the back-off of an endpoint's deferred deliveries. */
  private readonly failures = new Map<string, number>();
  /** Endpoints that just failed, and until when (performance.now()) this process leaves them alone. */
  private readonly cooling = new Map<string, number>();
  private stopping = false;
  /** Aborted when shutdown stops waiting for the attempts in flight. */
  private readonly interrupt = new AbortController();

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly metrics: WebhookMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.WEBHOOK_DELIVERY_INTERVAL_MS > 0;
  }

  /** Long enough for an endpoint's whole run at the timeout, plus a margin. */
  get leaseMs(): number {
    return PER_ENDPOINT * this.config.WEBHOOK_TIMEOUT_MS + 30_000;
  }

  onApplicationBootstrap(): void {
    // At start, catch up on whatever is due (rows of a previous run included).
    if (this.enabled) this.schedule(0);
  }

  /** Stops claiming and waits for the claim and runs in flight, before the database closes. */
  /**
   * Stops claiming; each run stops before its next attempt and gives its unattempted deliveries
   * back (due at once, for any process). The attempts in flight get SHUTDOWN_GRACE_MS to finish;
   * then they are interrupted (recorded as failed attempts, due again at once), so shutdown never
   * waits for a slow receiver's full timeout. All of it before the database closes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.claiming;
    if (this.runs.size === 0) return;
    this.logger.log(
      { runs: this.runs.size },
      'Webhook delivery stopping: waiting for the attempts in flight',
    );
    const runs = Promise.all(this.runs.values());
    let grace: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      runs.then(() => true),
      new Promise<boolean>((resolve) => (grace = setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(grace);
    if (!finished) {
      this.logger.warn(
        { runs: this.runs.size },
        'Webhook delivery stopping: interrupting the attempts in flight',
      );
      this.interrupt.abort();
      await runs;
    }
  }

  /** A change queued deliveries: look now rather than at the next interval. */
  wake(): void {
    if (this.enabled) this.pump();
  }

  /** Claims for the free run slots unless a claim is in progress (then once more after it). */
  private pump(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimAndStart()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Webhook delivery claim failed');
        return false;
      })
      .then((more) => {
        this.claiming = undefined;
        const again = this.claimAgain || more;
        this.claimAgain = false;
        if (again) this.pump();
        else this.schedule(this.config.WEBHOOK_DELIVERY_INTERVAL_MS);
      });
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), delayMs);
    this.timer.unref();
  }

  /** One claim, its runs started; true when the claim was full and slots are left (claim again). */
  private async claimAndStart(): Promise<boolean> {
    const free = CONCURRENT_ENDPOINTS - this.runs.size;
    // Every slot busy: the end of a run claims again.
    if (free <= 0) return false;
    const { turns, token, claimed } = await this.claim(free);
    for (const turn of turns) void this.start(turn, token);
    return claimed >= this.config.WEBHOOK_BATCH_SIZE && this.runs.size < CONCURRENT_ENDPOINTS;
  }

  /** One claim and all its runs, awaited; returns how many deliveries were claimed (for tests and tools). */
  async runBatch(): Promise<number> {
    const { turns, token, claimed } = await this.claim(CONCURRENT_ENDPOINTS - this.runs.size);
    await Promise.all(turns.map((turn) => this.start(turn, token)));
    return claimed;
  }

  private async claim(
    endpoints: number,
  ): Promise<{ turns: ClaimedDelivery[][]; token: string; claimed: number }> {
    const token = randomUUID();
    const now = performance.now();
    for (const [id, until] of this.cooling) if (until <= now) this.cooling.delete(id);
    const claimed = await this.outbox.claim({
      limit: this.config.WEBHOOK_BATCH_SIZE,
      perEndpoint: PER_ENDPOINT,
      endpoints,
      skip: [...this.runs.keys(), ...this.cooling.keys()],
      leaseMs: this.leaseMs,
      token,
    });
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed) {
      byEndpoint.set(delivery.webhookId, [...(byEndpoint.get(delivery.webhookId) ?? []), delivery]);
    }
    return { turns: [...byEndpoint.values()], token, claimed: claimed.length };
  }

  /** Starts one endpoint's run; when it ends, its slot is free and the worker claims again. */
  private start(turn: ClaimedDelivery[], token: string): Promise<void> {
    const webhookId = turn[0].webhookId;
    const run = this.deliverInOrder(turn, token)
      .catch((error: unknown) => this.logger.error({ err: error, webhookId }, 'Webhook delivery run failed'))
      .finally(() => {
        this.runs.delete(webhookId);
        if (this.enabled) this.pump();
      });
    this.runs.set(webhookId, run);
    return run;
  }

  private async deliverInOrder(turn: ClaimedDelivery[], token: string): Promise<void> {
    for (const [index, delivery] of turn.entries()) {
      if (this.stopping) {
        // Shutting down: what was not attempted is due again at once, for whichever process is left.
        await this.outbox.release(
          turn.slice(index).map((rest) => rest.id),
          token,
        );
        return;
      }
      const ok = await this.attempt(delivery, token);
      if (ok) {
        this.failures.delete(delivery.webhookId);
        this.cooling.delete(delivery.webhookId);
        continue;
      }
      // A failure while shutting down (an interrupted attempt, say): the rest is given back above.
      if (this.stopping) continue;
      // The endpoint failed: the rest of its run waits out the endpoint's back-off instead of
      // coming straight back into the next claim (each failure in a row doubles it), and this
      // process leaves the endpoint alone as long.
      const streak = (this.failures.get(delivery.webhookId) ?? 0) + 1;
      const backoffMs = this.backoffMs(streak);
      this.failures.set(delivery.webhookId, streak);
      this.cooling.set(delivery.webhookId, performance.now() + backoffMs);
      await this.outbox.defer(
        turn.slice(index + 1).map((rest) => rest.id),
        token,
        backoffMs,
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
    // An attempt cut short by shutdown is no fault of the endpoint's: due again at once.
    const interrupted = !sent.ok && this.interrupt.signal.aborted;
    const result: AttemptResult = {
      ...sent,
      error: interrupted ? INTERRUPTED : sent.error,
      retryInMs: interrupted ? 0 : this.backoffMs(attempt),
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
          error: result.error,
          outcome,
        },
        'Webhook attempt failed',
      );
    }
    return sent.ok;
  }

  private send(delivery: ClaimedDelivery): Promise<SendResult> {
    return attemptDelivery({
      url: delivery.url,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE,
      body: delivery.body,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      signal: this.interrupt.signal,
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
