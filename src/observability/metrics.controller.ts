import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from './metrics';

/** The credentials of an `Authorization: Bearer <token>` header (the scheme in any letter case, RFC 9110). */
const BEARER = /^bearer +(\S+) *$/i;

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prometheus exposition; public unless METRICS_TOKEN is set, then that bearer token is required. */
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Prometheus text format.' })
  @ApiUnauthorizedResponse({
    description:
      'METRICS_TOKEN is set and the bearer token is missing or does not match (with WWW-Authenticate: Bearer).',
  })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const expected = this.config.METRICS_TOKEN;
    if (expected) {
      const given = BEARER.exec(authorization ?? '')?.[1];
      if (given === undefined || !sameToken(given, expected)) {
        void reply.header('WWW-Authenticate', 'Bearer');
        throw new AppError('unauthenticated', 'The metrics token is missing or wrong.');
      }
    }
    return this.metrics.registry.metrics();
  }
}
