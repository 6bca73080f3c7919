import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { EscalationController } from './escalation.controller';
import { EscalationMetrics } from './escalation.metrics';
import { EscalationScheduler } from './escalation.scheduler';
import { EscalationService } from './escalation.service';

@Module({
  imports: [TicketsModule],
  controllers: [EscalationController],
  providers: [EscalationService, EscalationScheduler, EscalationMetrics],
  exports: [EscalationService, EscalationScheduler],
})
export class EscalationModule {}
