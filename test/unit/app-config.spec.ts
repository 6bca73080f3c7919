import { ConfigError, loadConfig, MEMORY_DATA_DIR } from '../../src/config/app-config';

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults of the spec when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: 1200,
      ESCALATION_INTERVAL_S: 30,
      AUTO_CLOSE_DAYS: 7,
      ATTACHMENT_MAX_BYTES: 20 * 1024 * 1024,
      WEBHOOK_ALLOW_PRIVATE: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toMatch(/\/data$/);
  });

  it('reads decimal numbers, with surrounding spaces or an exponent', () => {
    expect(loadConfig({ PORT: ' 8080 ', ATTACHMENT_MAX_BYTES: '1e6' })).toMatchObject({
      PORT: 8080,
      ATTACHMENT_MAX_BYTES: 1_000_000,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('parses numbers, booleans and URLs', () => {
    const config = loadConfig({
      PORT: '8080',
      AUTO_CLOSE_DAYS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      DATABASE_URL: 'postgres://user@127.0.0.1:5432/desk',
    });
    expect(config).toMatchObject({ PORT: 8080, AUTO_CLOSE_DAYS: 0, RATE_LIMIT_PER_MINUTE: 0 });
    expect(config.WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(config.DATABASE_URL).toBe('postgres://user@127.0.0.1:5432/desk');
  });

  it.each([
    [undefined, ['loopback']],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, loopback', ['10.0.0.0/8', 'loopback']],
    ['192.0.2.7,2001:db8::1', ['192.0.2.7', '2001:db8::1']],
  ])('reads TRUST_PROXY=%s as %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('keeps memory:// as is and resolves other data directories', () => {
    expect(loadConfig({ DATA_DIR: MEMORY_DATA_DIR }).DATA_DIR).toBe(MEMORY_DATA_DIR);
    expect(loadConfig({ DATA_DIR: '/var/lib/desk/../desk' }).DATA_DIR).toBe('/var/lib/desk');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be a number'],
    [{ PORT: '0x50' }, 'PORT', 'must be a number'],
    [{ PORT: 'Infinity' }, 'PORT', 'must be a number'],
    [{ PORT: '70000' }, 'PORT', 'must be from 0 to 65535'],
    [{ PORT: '-1' }, 'PORT', 'must be from 0 to 65535'],
    [{ PORT: '3.5' }, 'PORT', 'must be an integer'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', 'must be from 1 to 200'],
    [{ DATABASE_POOL_SIZE: '500' }, 'DATABASE_POOL_SIZE', 'must be from 1 to 200'],
    [{ RATE_LIMIT_PER_MINUTE: '1e9' }, 'RATE_LIMIT_PER_MINUTE', 'must be from 0 to 1000000'],
    [{ ESCALATION_BATCH_SIZE: '0' }, 'ESCALATION_BATCH_SIZE', 'must be from 1 to 10000'],
    [{ WEBHOOK_TIMEOUT_MS: 'ten' }, 'WEBHOOK_TIMEOUT_MS', 'must be a number'],
    [{ WEBHOOK_RETRY_MAX_MS: '0' }, 'WEBHOOK_RETRY_MAX_MS', 'must be from 1 to 86400000'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'must use postgres: or postgresql:'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', 'must be a URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', ''],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET', 'at least 32 characters'],
    [{ AUTH_JWKS_URL: 'ftp://idp/jwks' }, 'AUTH_JWKS_URL', 'must use'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE', 'must be true or false'],
    [{ AUTO_CLOSE_DAYS: '-1' }, 'AUTO_CLOSE_DAYS', 'must be from 0 to 3650'],
    [{ ATTACHMENT_MAX_BYTES: '0' }, 'ATTACHMENT_MAX_BYTES', 'must be from 1 to 2147483648'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL', 'must use redis: or rediss:'],
    [{ TRUST_PROXY: 'nginx' }, 'TRUST_PROXY', 'must be true, false, a hop count'],
    [{ TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY', 'must be true, false, a hop count'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY', 'must be true, false, a hop count'],
  ])('rejects %j naming %s in one line', (env, variable, message) => {
    const problem = problemOf(env as Record<string, string>);
    expect(problem).toMatch(new RegExp(`^Invalid environment variable ${variable}: `));
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });

  it('refuses both an HS256 secret and a JWKS URL', () => {
    expect(
      problemOf({ AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWKS_URL: 'https://idp.example/jwks.json' }),
    ).toContain('AUTH_JWKS_URL');
  });

  it('requires a real secret in production', () => {
    expect(problemOf({ NODE_ENV: 'production' })).toContain('AUTH_JWT_SECRET');
  });
});
