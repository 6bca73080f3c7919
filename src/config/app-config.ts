import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** `DATA_DIR=memory://` keeps the embedded database (and the development secret) in memory: for tests. */
export const MEMORY_DATA_DIR = 'memory://';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A whole number from `min` to `max`, each failure with its own message: not a number at all
 * (hex, `Infinity` and words included), a fraction, or out of range (`PORT=70000`).
 */
const integer = (min: number, max: number) =>
  z.string().transform((raw, ctx): number => {
    const value = raw.trim();
    const number = Number(value);
    let problem: string | undefined;
    if (!DECIMAL.test(value)) problem = 'must be a number';
    else if (!Number.isInteger(number)) problem = 'must be an integer';
    else if (number < min || number > max) problem = `must be from ${min} to ${max}`;
    if (problem === undefined) return number;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

const url = (protocols: string[]) =>
  z
    .string()
    .refine((value) => URL.canParse(value), { message: 'must be a URL', abort: true })
    .refine((value) => protocols.includes(new URL(value).protocol), {
      message: `must use ${protocols.join(' or ')}`,
    });

/** proxy-addr's names for whole ranges, as Fastify's trustProxy takes them. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(entry);
}

/**
 * Which proxies' X-Forwarded-For is believed: `true`/`false`, a hop count, or addresses, CIDR
 * ranges and range names (`loopback`, `linklocal`, `uniquelocal`), comma-separated.
 */
const trustProxy = z.string().transform((raw, ctx): boolean | number | string[] => {
  const value = raw.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every(isProxyAddress)) return entries;
  ctx.addIssue({
    code: 'custom',
    message: 'must be true, false, a hop count, or addresses, CIDR ranges and range names',
  });
  return z.NEVER;
});

/**
 * Every setting sla-desk reads from the environment. Unset and empty values take the default;
 * anything else must parse, or the process stops with one line naming the variable.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy.default(['loopback']),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: url(['https:', 'http:']).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(1200),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  ESCALATION_INTERVAL_S: integer(0, 86_400).default(30),
  ESCALATION_BATCH_SIZE: integer(1, 10_000).default(500),
  ESCALATION_CONCURRENCY: integer(1, 16).default(2),
  AUTO_CLOSE_DAYS: integer(0, 3650).default(7),
  ATTACHMENT_MAX_BYTES: integer(1, 2 ** 31).default(20 * 1024 * 1024),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: url(['https:', 'http:']).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  // Attachments: static S3 credentials (both or neither; the AWS default chain otherwise), and
  // path-style addressing for S3-compatible stores that do not serve bucket subdomains.
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  // Webhook delivery (issue 8): worker period (0: no worker in this process), batch, timeout, back-off.
  WEBHOOK_DELIVERY_INTERVAL_MS: integer(0, 3_600_000).default(1000),
  WEBHOOK_BATCH_SIZE: integer(1, 1000).default(50),
  WEBHOOK_TIMEOUT_MS: integer(1, 120_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: integer(1, 3_600_000).default(10_000),
  WEBHOOK_RETRY_MAX_MS: integer(1, 86_400_000).default(3_600_000),
  WEBHOOK_RETRY_WINDOW_MS: integer(0, 30 * 86_400_000).default(86_400_000),
  // Delivered and failed webhook deliveries (with their attempts and events) are deleted after this many days.
  WEBHOOK_RETENTION_DAYS: integer(1, 3650).default(30),
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).max(100).default('sla-desk:rl'),
  SCHEDULER_ENABLED: booleanFlag.default(true),
});

export type AppConfig = Readonly<z.output<typeof envSchema>>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid environment variable ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment map. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const config = parsed.data;
  if (config.AUTH_JWT_SECRET && config.AUTH_JWKS_URL) {
    throw new ConfigError('AUTH_JWKS_URL', 'set either AUTH_JWT_SECRET or AUTH_JWKS_URL, not both');
  }
  if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
    const missing = config.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    throw new ConfigError(missing, 'set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together');
  }
  if (config.NODE_ENV === 'production' && !config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL) {
    throw new ConfigError('AUTH_JWT_SECRET', 'required in production (or set AUTH_JWKS_URL)');
  }
  const dataDir = config.DATA_DIR === MEMORY_DATA_DIR ? MEMORY_DATA_DIR : resolve(config.DATA_DIR);
  return Object.freeze({ ...config, DATA_DIR: dataDir });
}

export const APP_CONFIG = Symbol('APP_CONFIG');
