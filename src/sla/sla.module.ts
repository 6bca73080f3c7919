import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { CalendarsController } from './calendars.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { SlaPoliciesService } from './sla-policies.service';
import { SlaBreachFeed } from './sla-breach-feed';
import { SlaEngine } from './sla-engine';
import { SlaTimersRepository } from './sla-timers.repository';
import { SlaReportsController } from './sla-reports.controller';
import { SlaReportsService } from './sla-reports.service';

/** SLA: business calendars, policies, the timer engine tickets run, and the compliance report. */
@Module({
  imports: [CategoriesModule],
  controllers: [CalendarsController, SlaPoliciesController, SlaReportsController],
  providers: [
    CalendarsService,
    CalendarsRepository,
    SlaPoliciesService,
    SlaPoliciesRepository,
    SlaEngine,
    SlaBreachFeed,
    SlaTimersRepository,
    SlaReportsService,
  ],
  exports: [
    CalendarsService,
    CalendarsRepository,
    SlaPoliciesService,
    SlaPoliciesRepository,
    SlaEngine,
    SlaBreachFeed,
    SlaTimersRepository,
  ],
})
export class SlaModule {}
