import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';
const REDIS_URL = 'redis://127.0.0.1:6379';
/** No webhook worker here: these apps only count requests. */
const QUIET = { WEBHOOK_DELIVERY_INTERVAL_MS: '0' };

describe('rate limits', () => {
  describe('in one process', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ ...QUIET, RATE_LIMIT_PER_MINUTE: '5' });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After and RateLimit-* once a user spent the minute’s budget', async () => {
      const user = await t.as('agent');
      for (let i = 1; i <= 5; i += 1) {
        const res = await user.get('/v1/me').expect(200);
        expect(res.headers['ratelimit-limit']).toBe('5');
        expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
        expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
      }
      const limited = await user.get('/v1/me').expect(429);
      expect(limited.headers['content-type']).toContain(PROBLEM);
      expect(limited.headers['x-request-id']).toEqual(expect.any(String));
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers['ratelimit-limit']).toBe('5');
      expect(limited.headers['ratelimit-remaining']).toBe('0');
      expect(limited.headers['ratelimit-reset']).toBe(String(retryAfter));
      expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests', instance: '/v1/me' });

      // A limited request is refused before its body is read or its route runs.
      await user.post('/v1/tickets', { not: 'even valid' }).expect(429);
    });

    it('counts per user: another user is not limited', async () => {
      const busy = await t.as('customer');
      for (let i = 0; i < 5; i += 1) await busy.get('/v1/me').expect(200);
      await busy.get('/v1/me').expect(429);
      const other = await t.as('customer');
      const res = await other.get('/v1/me').expect(200);
      expect(res.headers['ratelimit-remaining']).toBe('4');
    });

    it('counts anonymous callers (and invalid tokens) per IP address', async () => {
      const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
      await t.http().get('/v1/me').set('X-Forwarded-For', ip).expect(401);
      for (let i = 0; i < 4; i += 1) {
        await t
          .http()
          .get('/v1/me')
          .set('X-Forwarded-For', ip)
          .set('Authorization', 'Bearer forged.token.x')
          .expect(401);
      }
      await t.http().get('/v1/me').set('X-Forwarded-For', ip).expect(429);
      // A valid token from the same address has its own budget.
      const user = await t.as('agent');
      await user.get('/v1/me').set('X-Forwarded-For', ip).expect(200);
    });

    it('counts anonymous IPv6 callers per /64: new addresses in one network share a budget', async () => {
      const network = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
      for (let i = 1; i <= 5; i += 1) {
        await t.http().get('/v1/me').set('X-Forwarded-For', `${network}::${i}`).expect(401);
      }
      // Before: each address had a budget of its own (2^64 of them per subscriber).
      await t.http().get('/v1/me').set('X-Forwarded-For', `${network}:ffff:1:2:3`).expect(429);
      await t
        .http()
        .get('/v1/me')
        .set('X-Forwarded-For', `${network.replace(/:7$/, ':8')}::1`)
        .expect(401);
    });

    it('believes only the trusted proxy: a client cannot pick a new address per request', async () => {
      // The connection comes from loopback (trusted by default), whose proxy appended the client's
      // address last; whatever the client wrote before it is not believed.
      const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      for (let i = 0; i < 5; i += 1) {
        await t.http().get('/v1/me').set('X-Forwarded-For', `10.9.${i}.1, ${ip}`).expect(401);
      }
      await t.http().get('/v1/me').set('X-Forwarded-For', `10.9.99.1, ${ip}`).expect(429);
    });

    it('never limits health checks and metrics scrapes', async () => {
      for (let i = 0; i < 8; i += 1) {
        const live = await t.http().get('/health/live').expect(200);
        expect(live.headers).not.toHaveProperty('ratelimit-limit');
        await t.http().get('/metrics').expect(200);
      }
    });
  });

  it('ignores X-Forwarded-For with TRUST_PROXY=false: the connection’s address counts', async () => {
    const t = await TestApp.start({ ...QUIET, RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'false' });
    try {
      for (let i = 0; i < 3; i += 1) {
        await t
          .http()
          .get('/v1/me')
          .set('X-Forwarded-For', `203.0.113.${i + 1}`)
          .expect(401);
      }
      await t.http().get('/v1/me').set('X-Forwarded-For', '203.0.113.200').expect(429);
    } finally {
      await t.close();
    }
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const t = await TestApp.start({ ...QUIET, RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const user = await t.as('agent');
      for (let i = 0; i < 30; i += 1) {
        const res = await user.get('/v1/me').expect(200);
        expect(res.headers).not.toHaveProperty('ratelimit-limit');
      }
    } finally {
      await t.close();
    }
  });

  describe('shared through Redis', () => {
    const prefix = `sla-desk-test:rl:${randomUUID()}`;
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      const config = { ...QUIET, RATE_LIMIT_PER_MINUTE: '5', REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix };
      [first, second] = await Promise.all([TestApp.start(config), TestApp.start(config)]);
    });
    afterAll(async () => {
      await Promise.all([first.close(), second.close()]);
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('counts one user’s requests across two processes', async () => {
      const claims = { sub: `agent-${randomUUID()}` };
      const onFirst = await first.as('agent', claims);
      const onSecond = await second.as('agent', claims);
      await onFirst.get('/v1/me').expect(200);
      await onSecond.get('/v1/me').expect(200);
      await onFirst.get('/v1/me').expect(200);
      const fourth = await onSecond.get('/v1/me').expect(200);
      expect(fourth.headers['ratelimit-remaining']).toBe('1');
      await onFirst.get('/v1/me').expect(200);
      const limited = await onSecond.get('/v1/me').expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await onFirst.get('/v1/me').expect(429);
      // Someone else is not limited on either.
      await (await second.as('agent')).get('/v1/me').expect(200);
    });
  });

  it('falls back to per-process limits, with a warning, when Redis is unreachable', async () => {
    const t = await TestApp.start({
      ...QUIET,
      RATE_LIMIT_PER_MINUTE: '2',
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_KEY_PREFIX: `sla-desk-test:rl:${randomUUID()}`,
    });
    try {
      const user = await t.as('agent');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await user.get('/v1/me')).status);
      // Before: every request went through unlimited while Redis was down.
      expect(statuses).toEqual([200, 200, 429, 429]);
      expect(t.logs.some((line) => /"level":40.*Rate limit store unavailable/.test(line))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('does not wait for a Redis that accepts connections but never answers', async () => {
    const hole = net.createServer(() => undefined);
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const t = await TestApp.start({
      ...QUIET,
      RATE_LIMIT_PER_MINUTE: '3',
      REDIS_URL: `redis://127.0.0.1:${(hole.address() as net.AddressInfo).port}`,
      RATE_LIMIT_KEY_PREFIX: `sla-desk-test:rl:${randomUUID()}`,
    });
    try {
      const user = await t.as('agent');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await user.get('/v1/me')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await t.close();
      hole.close();
    }
  });

  it('stops asking a Redis that froze after one slow command, and counts per process meanwhile', async () => {
    const proxy = await freezableProxy();
    const prefix = `sla-desk-test:rl:${randomUUID()}`;
    const t = await TestApp.start({
      ...QUIET,
      RATE_LIMIT_PER_MINUTE: '3',
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      RATE_LIMIT_KEY_PREFIX: prefix,
    });
    try {
      const user = await t.as('agent');
      const first = await user.get('/v1/me').expect(200);
      expect(first.headers['ratelimit-remaining']).toBe('2');
      // Counted in Redis (the app started once Redis was ready).
      expect(await redisKeys(prefix)).toHaveLength(1);
      proxy.freeze();
      const started = performance.now();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await user.get('/v1/me')).status);
      const elapsed = performance.now() - started;
      // Before: each request waited 500 ms for Redis and then went through unlimited.
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(elapsed).toBeLessThan(1500);
    } finally {
      await t.close();
      proxy.close();
      await deleteKeys(prefix);
    }
  });
});

/** A TCP proxy to the local Redis that can freeze: connections stay open, nothing is answered. */
async function freezableProxy(): Promise<{ port: number; freeze: () => void; close: () => void }> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (data) => frozen || upstream.write(data));
    upstream.on('data', (data) => frozen || client.write(data));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function redisKeys(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    await redis.quit();
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}
