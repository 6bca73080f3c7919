import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process is alive.' })
  live() {
    return this.health.check([]);
  }

  /** The database answers and every migration has been applied. */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready to serve: database reachable, migrations applied.' })
  @ApiServiceUnavailableResponse({ description: 'Database unreachable or migrations pending.' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database').withTimeout(2000),
      () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            if (await this.dataSource.showMigrations()) throw new Error('Migrations are pending.');
          })
          .withTimeout(2000),
    ]);
  }
}
