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
/** At most one "failing open" warning per this many milliseconds, so an outage does not flood the log. */
const WARN_EVERY_MS = 30_000;

/** One request's standing in its caller's window. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and, when refused, until a retry can succeed). */
  resetSeconds: number;
}

/**
 * RATE_LIMIT_PER_MINUTE requests per caller and fixed one-minute window (SPEC §12). With REDIS_URL
 * the counters live in Redis and every process shares them; otherwise each process counts alone.
 * When Redis is unreachable or slow the limiter fails open: the request goes through and a warning
 * is logged, since an outage of the counter store must not become an outage of the desk.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private limiter?: RateLimiterAbstract;
  private redis?: Redis;
  private lastWarning = 0;

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
      commandTimeout: 500,
      connectTimeout: 2000,
    });
    this.redis.on('error', (error: Error) => this.warn(error));
    try {
      await this.redis.connect();
    } catch (error) {
      this.warn(error);
    }
    this.limiter = new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /** Counts one request of `key`; undefined when limits are off or the store failed (fail open). */
  async consume(key: string): Promise<RateDecision | undefined> {
    if (!this.limiter) return undefined;
    try {
      return this.decision(await this.limiter.consume(key), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.decision(rejection, false);
      this.warn(rejection);
      return undefined;
    }
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
    this.logger.warn({ error: message }, 'Rate limit store unavailable: requests are not limited meanwhile');
  }
}
