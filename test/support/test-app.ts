import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '../../src/observability/logger';
import request from 'supertest';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import type { Role } from '../../src/auth/roles';
import { signToken, type TokenClaims } from '../../src/auth/sign-token';
import { type AppConfig, loadConfig, MEMORY_DATA_DIR } from '../../src/config/app-config';

export const TEST_JWT_SECRET = 'test-secret-for-sla-desk-e2e-suites-0123456789';

/**
 * Config for a test app: the embedded database in memory, unless DATABASE_URL selects a PostgreSQL
 * (CI runs every suite once each way).
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: MEMORY_DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    SCHEDULER_ENABLED: 'false',
    ...overrides,
  });
}

/** A caller with a token, in the manner of a logged-in client. */
export class Session {
  constructor(
    private readonly app: TestApp,
    readonly token: string,
    readonly claims: TokenClaims,
  ) {}

  get id(): string {
    return this.claims.sub;
  }

  private auth(test: request.Test): request.Test {
    return test.set('Authorization', `Bearer ${this.token}`);
  }
  get(url: string) {
    return this.auth(this.app.http().get(url));
  }
  post(url: string, body?: object) {
    return this.auth(this.app.http().post(url)).send(body);
  }
  patch(url: string, body?: object) {
    return this.auth(this.app.http().patch(url)).send(body);
  }
  delete(url: string) {
    return this.auth(this.app.http().delete(url));
  }
}

let counter = 0;

/** One running app for a suite, with captured logs and helpers to act as any role. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    /** Every log line the app wrote, as JSON text. */
    readonly logs: string[],
  ) {}

  static async start(
    overrides: Record<string, string> = {},
    options: { clock?: Clock } = {},
  ): Promise<TestApp> {
    const config = testConfig(overrides);
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    const app = await createApp(config, {
      // The production logger, redaction and serializers included: what the tests read is what would be logged.
      logger: createLogger(config, sink),
      clock: options.clock,
    });
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, config, logs);
  }

  http() {
    return request(this.app.getHttpServer());
  }

  /** A session for a new, unique user of the role unless `sub` is given. */
  async as(role: Role, claims: Partial<TokenClaims> = {}): Promise<Session> {
    const full: TokenClaims = { sub: `${role}-${process.pid}-${Date.now()}-${++counter}`, role, ...claims };
    return new Session(this, await signToken(this.config, full), full);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** A clock the test sets and moves; it never moves by itself. */
export class TestClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}
