import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { ProblemFilter } from './common/errors/problem.filter';
import type { AppConfig } from './config/app-config';
import { CommonModule } from './common/common.module';
import { Clock } from './common/clock/clock';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { GroupsModule } from './groups/groups.module';
import { HealthModule } from './health/health.module';
import { OpenTicketsGauge } from './observability/metrics';
import { ObservabilityModule } from './observability/observability.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SlaModule } from './sla/sla.module';
import { TicketsModule } from './tickets/tickets.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { EscalationModule } from './escalation/escalation.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clock),
        ScheduleModule.forRoot(),
        DatabaseModule,
        ObservabilityModule,
        AuthModule,
        HealthModule,
        CategoriesModule,
        GroupsModule,
        SlaModule,
        TicketsModule,
        AttachmentsModule, // issue 6
        EscalationModule,
        WebhooksModule, // issue 8
        RateLimitModule, // issue 8
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        OpenTicketsGauge, // issue 8
      ],
    };
  }
}
