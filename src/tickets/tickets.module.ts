import { Module } from '@nestjs/common';
import { SecretGuard } from '../redaction/secret-guard';
import { SlaEngine } from '../sla/sla-engine';
import { SlaTimersRepository } from '../sla/sla-timers.repository';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { Timeline } from './timeline';

@Module({
  controllers: [TicketsController],
  providers: [TicketsService, TicketsRepository, Timeline, SlaEngine, SlaTimersRepository, SecretGuard],
  exports: [TicketsService, TicketsRepository, Timeline, SlaEngine],
})
export class TicketsModule {}
