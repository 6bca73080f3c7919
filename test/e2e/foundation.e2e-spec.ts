import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTicket } from '../support/given';
import { SignJWT } from 'jose';
import { QueryFailedError } from 'typeorm';
import { TicketsService } from '../../src/tickets/tickets.service';
import { TestApp, TEST_JWT_SECRET } from '../support/test-app';

const PROBLEM = 'application/problem+json';

async function hs256(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, expiresIn = '1h') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('is live', async () => {
      const res = await t.http().get('/health/live').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it('is ready with the database reachable and migrations applied', async () => {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.details).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
    });
  });

  describe('docs', () => {
    it('serves the OpenAPI document with the bearer scheme', async () => {
      const res = await t.http().get('/docs/openapi.json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.body.paths['/v1/me']).toBeDefined();
    });

    it('lists the common problem responses on every /v1 operation, and the spec’s paths', async () => {
      const res = await t.http().get('/docs/openapi.json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      for (const path of [
        '/v1/tickets',
        '/v1/tickets/{id}',
        '/v1/tickets/{id}/messages',
        '/v1/tickets/{id}/events',
        '/v1/tickets/{id}/follow-up',
        '/v1/tickets/{id}/satisfaction',
        '/v1/tickets/{id}/escalate',
        '/v1/tickets/{id}/de-escalate',
        '/v1/tickets/{id}/attachments',
        '/v1/attachments/{id}',
        '/v1/attachments/{id}/content',
        '/v1/categories',
        '/v1/groups',
        '/v1/calendars',
        '/v1/sla-policies',
        '/v1/reports/sla',
        '/v1/scheduler/status',
        '/v1/webhooks',
        '/v1/webhooks/{id}/deliveries',
      ]) {
        expect(paths[path]).toBeDefined();
      }
      for (const [path, item] of Object.entries(paths).filter(([path]) => path.startsWith('/v1/'))) {
        for (const [method, operation] of Object.entries(item)) {
          const codes = Object.keys(operation.responses);
          expect({ path, method, has: ['401', '429', '500'].every((code) => codes.includes(code)) }).toEqual({
            path,
            method,
            has: true,
          });
          if (method === 'post' || method === 'patch') expect(codes).toContain('413');
        }
      }
      const limited = paths['/v1/tickets'].post.responses['429'] as { headers: Record<string, unknown> };
      expect(limited.headers).toHaveProperty('Retry-After');
    });

    it('serves the Swagger UI', async () => {
      const res = await t.http().get('/docs').redirects(1).expect(200);
      expect(res.text).toContain('swagger');
    });
  });

  describe('unexpected errors', () => {
    it('answer 500 problem+json without internals, logged with the request id and no query parameters', async () => {
      const agent = await t.as('agent');
      const failure = new QueryFailedError('SELECT secret_table', ['hunter2-parameter'], new Error('boom'));
      const spy = jest.spyOn(t.app.get(TicketsService), 'get').mockRejectedValueOnce(failure);
      try {
        const res = await agent
          .get('/v1/tickets/00000000-0000-4000-8000-000000000001')
          .set('X-Request-Id', 'req-unexpected-1')
          .expect(500);
        expect(res.headers['content-type']).toContain(PROBLEM);
        expect(res.body).toMatchObject({
          status: 500,
          instance: '/v1/tickets/00000000-0000-4000-8000-000000000001',
        });
        expect(JSON.stringify(res.body)).not.toMatch(/secret_table|hunter2|boom|QueryFailed/);
        const logged = t.logs.filter(
          (line) => line.includes('req-unexpected-1') && line.includes('Unexpected error'),
        );
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain('QueryFailedError');
        expect(logged[0]).not.toContain('hunter2-parameter');
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('request ids', () => {
    it('echoes a sent X-Request-Id and logs it', async () => {
      const res = await t.http().get('/health/live').set('X-Request-Id', 'req-abc-123').expect(200);
      expect(res.headers['x-request-id']).toBe('req-abc-123');
      expect(t.logs.some((line) => line.includes('"reqId":"req-abc-123"'))).toBe(true);
    });

    it('generates one when absent or unsafe', async () => {
      const plain = await t.http().get('/health/live');
      expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unsafe = await t.http().get('/health/live').set('X-Request-Id', 'a b<script>');
      expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is present on errors too', async () => {
      const res = await t.http().get('/v1/nowhere').expect(404);
      expect(res.headers['x-request-id']).toBeTruthy();
    });
  });

  describe('problem details', () => {
    it('answers an unknown route with 404 problem+json', async () => {
      const res = await t.http().get('/v1/nowhere').expect(404);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body).toMatchObject({ status: 404, title: 'Not found', instance: '/v1/nowhere' });
      expect(res.body.type).toMatch(/^https:\/\//);
    });
  });

  describe("Fastify's own refusals", () => {
    it('answers a malformed percent-encoding with a 400 problem and the request id', async () => {
      const res = await t.http().get('/v1/tickets/%E0%A4%A').set('X-Request-Id', 'req-bad-url').expect(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.headers['x-request-id']).toBe('req-bad-url');
      expect(res.body).toMatchObject({ status: 400, title: 'Bad request', instance: '/v1/tickets/%E0%A4%A' });
      expect(res.body.type).toMatch(/malformed_request$/);
      expect(JSON.stringify(res.body)).not.toContain('FST_ERR');
    });

    it('answers a path parameter over 256 characters with a 414 problem and a request id', async () => {
      const res = await t
        .http()
        .get(`/v1/tickets/${'a'.repeat(300)}`)
        .expect(414);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body).toMatchObject({ status: 414, title: 'URI too long' });
      expect(JSON.stringify(res.body)).not.toContain('FST_ERR');
    });
  });

  describe('authentication', () => {
    it('rejects a request without a token', async () => {
      const res = await t.http().get('/v1/me').expect(401);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body.detail).toMatch(/Bearer token/);
    });

    it.each([
      ['garbage', async () => 'not.a.jwt'],
      [
        'a wrong signature',
        async () => hs256({ sub: 'u1', role: 'agent' }, 'another-secret-another-secret-xxxx'),
      ],
      ['an expired token', async () => hs256({ sub: 'u1', role: 'agent' }, TEST_JWT_SECRET, '-1m')],
      ['no sub', async () => hs256({ role: 'agent' })],
      ['an unknown role', async () => hs256({ sub: 'u1', role: 'root' })],
      ['a vip out of range', async () => hs256({ sub: 'u1', role: 'customer', vip: 9 })],
    ])('rejects %s with 401 problem+json', async (_name, make) => {
      const res = await t
        .http()
        .get('/v1/me')
        .set('Authorization', `Bearer ${await make()}`)
        .expect(401);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body.status).toBe(401);
    });

    it.each(['bearer', 'BEARER', 'bEaReR'])(
      'accepts the scheme written %s (RFC 9110: case-insensitive)',
      async (scheme) => {
        const token = await hs256({ sub: 'cust-case', role: 'customer' });
        const res = await t.http().get('/v1/me').set('Authorization', `${scheme} ${token}`).expect(200);
        expect(res.body.id).toBe('cust-case');
      },
    );

    it('rejects another scheme with the token', async () => {
      const token = await hs256({ sub: 'u1', role: 'agent' });
      await t.http().get('/v1/me').set('Authorization', `Basic ${token}`).expect(401);
      await t.http().get('/v1/me').set('Authorization', `Bearer${token}`).expect(401);
    });

    it('rejects an unsigned (alg none) token', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'admin' })).toString('base64url');
      await t.http().get('/v1/me').set('Authorization', `Bearer ${header}.${body}.`).expect(401);
    });

    it('accepts a valid token and reports its claims', async () => {
      const token = await hs256({ sub: 'cust-9', role: 'customer', vip: 3, locale: 'zh-CN' });
      const res = await t.http().get('/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body).toEqual({ id: 'cust-9', role: 'customer', vip: 3, locale: 'zh-CN' });
    });

    it('accepts what `npm run token` prints', () => {
      const token = execFileSync('npm', ['run', '-s', 'token', '--', '--role', 'agent', '--sub', 'agent-7'], {
        env: { ...process.env, AUTH_JWT_SECRET: TEST_JWT_SECRET },
        encoding: 'utf8',
      }).trim();
      expect(token.split('.')).toHaveLength(3);
      return t
        .http()
        .get('/v1/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
        .expect((res) => expect(res.body).toMatchObject({ id: 'agent-7', role: 'agent', vip: 0 }));
    });

    it('never logs the Authorization header', async () => {
      const token = await hs256({ sub: 'u-log', role: 'agent' });
      await t.http().get('/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(t.logs.join('\n')).not.toContain(token);
    });
  });

  describe('metrics', () => {
    it('exposes HTTP request durations by route', async () => {
      await t.http().get('/health/live');
      const res = await t.http().get('/metrics').expect(200);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
      expect(res.text).toMatch(/route="\/health\/live",status_code="200"/);
    });
  });
});

describe('metrics token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ METRICS_TOKEN: 'metrics-token-0123456789' });
  });
  afterAll(() => t.close());

  it('requires the token when METRICS_TOKEN is set', async () => {
    const res = await t.http().get('/metrics').expect(401);
    expect(res.headers['content-type']).toContain(PROBLEM);
    await t.http().get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    await t.http().get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789').expect(200);
  });
});

describe('issuer and audience', () => {
  const ISSUER = 'https://idp.example.test/';
  const AUDIENCE = 'sla-desk-api';
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(() => t.close());

  it('refuses a token without them', async () => {
    await t
      .http()
      .get('/v1/me')
      .set('Authorization', `Bearer ${await hs256({ sub: 'u1', role: 'agent' })}`)
      .expect(401);
  });

  it('accepts what `npm run token` prints with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE set', async () => {
    const token = execFileSync('npm', ['run', '-s', 'token', '--', '--role', 'agent', '--sub', 'agent-8'], {
      env: {
        ...process.env,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      },
      encoding: 'utf8',
    }).trim();
    const res = await t.http().get('/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({ id: 'agent-8', role: 'agent' });
  });
});

describe('restart', () => {
  it('keeps the data across a graceful shutdown and a new start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-restart-'));
    try {
      const first = await TestApp.start({ DATA_DIR: dataDir });
      const customer = await first.as('customer', { sub: `restart-${Date.now()}` });
      const ticket = await openTicket(customer);
      await first.close();
      const second = await TestApp.start({ DATA_DIR: dataDir });
      try {
        const again = await second.as('customer', { sub: customer.id });
        const res = await again.get(`/v1/tickets/${ticket.id}`).expect(200);
        expect(res.body.subject).toBe(ticket.subject);
        await second.http().get('/health/ready').expect(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
