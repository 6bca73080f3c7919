import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from './metrics';

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
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the bearer token does not match.' })
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const expected = this.config.METRICS_TOKEN;
    if (expected) {
      const given = Buffer.from(authorization ?? '');
      const wanted = Buffer.from(`Bearer ${expected}`);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        throw new AppError('unauthenticated', 'The metrics token is missing or wrong.');
      }
    }
    return this.metrics.registry.metrics();
  }
}
