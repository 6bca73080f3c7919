import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import type { AppConfig } from '../config/app-config';

/** Query parameters whose values never reach a log line (search terms may carry what customers typed). */
const SECRET_QUERY_PARAMS = /([?&](?:q|token|access_token)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[REDACTED]');
}

/**
 * The process logger: JSON lines, with the Authorization header, cookies and any request or
 * response body removed by pino's redaction before serialization.
 */
export function createLogger(
  config: Pick<AppConfig, 'LOG_LEVEL'>,
  destination?: pino.DestinationStream,
): Pino {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'sla-desk' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.body',
          'res.body',
          'body',
          'headers.authorization',
          // Libraries log request headers nested in their own objects (@fastify/multipart's busboyOptions).
          '*.headers.authorization',
          '*.headers.cookie',
          'authorization',
        ],
        censor: '[REDACTED]',
      },
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          url: redactUrl(req.url),
          id: req.id,
        }),
      },
    },
    destination,
  );
}

/** Routes Nest's own log calls into the same pino instance, with the calling class as context. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, params: unknown[]) {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    if (message !== null && typeof message === 'object') {
      const text = typeof params[0] === 'string' ? (params[0] as string) : undefined;
      this.pino[level]({ context, ...(message as object) }, text);
      return;
    }
    const stack = level === 'error' && typeof params[0] === 'string' ? params[0] : undefined;
    this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
  }

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
}
