import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { CalendarsController } from './calendars.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { SlaPoliciesService } from './sla-policies.service';

/** SLA configuration: business calendars and the policies whose targets tickets run under. */
@Module({
  imports: [CategoriesModule],
  controllers: [CalendarsController, SlaPoliciesController],
  providers: [CalendarsService, CalendarsRepository, SlaPoliciesService, SlaPoliciesRepository],
  exports: [CalendarsService, CalendarsRepository, SlaPoliciesService, SlaPoliciesRepository],
})
export class SlaModule {}
