import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const WINDOW_SECONDS = 60;
/** At most one "store unavailable" warning per this many milliseconds, so an outage does not flood the log. */
const WARN_EVERY_MS = 30_000;
/** A Redis command slower than this counts as a failure (Redis answers in well under a millisecond). */
const COMMAND_TIMEOUT_MS = 200;
/** How long the app's start waits for Redis to be ready. */
const CONNECT_WAIT_MS = 2_000;
/** After a failure, requests skip Redis for this long (counted per process), then Redis is tried again. */
const STORE_RETRY_MS = 5_000;

/** One request's standing in its caller's window. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and, when refused, until a retry can succeed). */
  resetSeconds: number;
}

/**
 * The per-process counters rate-limiter-flexible falls back to (its insuranceLimiter) when Redis
 * fails or is not connected. It notes when that happened: `consume` is what the Redis limiter calls
 * on a failure; `count` is for counting here directly while Redis is skipped.
 */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onStoreFailure: () => void,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onStoreFailure();
    return super.consume(...args);
  }

  count(key: string): Promise<RateLimiterRes> {
    return super.consume(key);
  }
}

/**
 * RATE_LIMIT_PER_MINUTE requests per caller and fixed one-minute window (SPEC §12). With REDIS_URL
 * the counters live in Redis and every process shares them; otherwise each process counts alone.
 * When Redis is unreachable, not yet connected or slow (over COMMAND_TIMEOUT_MS), the process falls
 * back to its own in-memory counters (rate-limiter-flexible's insuranceLimiter) and skips Redis for
 * STORE_RETRY_MS, so a Redis outage costs neither the desk nor each request's latency, and callers
 * are still limited (per process) meanwhile; a warning is logged.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private limiter?: RateLimiterAbstract;
  private fallback?: FallbackLimiter;
  private redis?: Redis;
  private lastWarning = 0;
  /** Until when (performance.now()) requests skip Redis after a failure. */
  private skipStoreUntil = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.RATE_LIMIT_PER_MINUTE > 0;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const options = {
      points: this.config.RATE_LIMIT_PER_MINUTE,
      duration: WINDOW_SECONDS,
      keyPrefix: this.config.RATE_LIMIT_KEY_PREFIX,
    };
    if (!this.config.REDIS_URL) {
      this.limiter = new RateLimiterMemory(options);
      return;
    }
    this.redis = new Redis(this.config.REDIS_URL, {
      lazyConnect: true,
      // Fail fast instead of queueing commands while disconnected; ioredis reconnects by itself.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
    });
    this.redis.on('error', (error: Error) => this.warn(error));
    // Connected again: back to the shared counters at once.
    this.redis.on('ready', () => (this.skipStoreUntil = 0));
    // The app starts once Redis is ready or after CONNECT_WAIT_MS, whichever comes first; until
    // Redis is ready the fallback counts.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      this.redis.connect().catch((error: unknown) => this.warn(error)),
      new Promise((resolve) => (waited = setTimeout(resolve, CONNECT_WAIT_MS))),
    ]);
    clearTimeout(waited);
    this.fallback = new FallbackLimiter(options, () => this.storeFailed());
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: this.fallback,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /** Counts one request of `key`; undefined when limits are off or every store failed (fail open). */
  async consume(key: string): Promise<RateDecision | undefined> {
    if (!this.limiter) return undefined;
    try {
      const skipStore = this.fallback && performance.now() < this.skipStoreUntil;
      const res = await (skipStore ? this.fallback!.count(key) : this.limiter.consume(key));
      return this.decision(res, true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.decision(rejection, false);
      this.warn(rejection);
      return undefined;
    }
  }

  private storeFailed(): void {
    this.skipStoreUntil = performance.now() + STORE_RETRY_MS;
    this.warn(new Error('Redis failed or is not connected'));
  }

  private decision(res: RateLimiterRes, allowed: boolean): RateDecision {
    return {
      allowed,
      limit: this.config.RATE_LIMIT_PER_MINUTE,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { error: message },
      'Rate limit store unavailable: each process counts requests on its own meanwhile',
    );
  }
}
