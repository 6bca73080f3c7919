import { Module } from '@nestjs/common';
import { AttachmentLinksModule } from '../attachments/attachment-links.module';
import { SecretGuard } from '../redaction/secret-guard';
import { SlaModule } from '../sla/sla.module';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { Timeline } from './timeline';

@Module({
  imports: [SlaModule, AttachmentLinksModule], // issue 6: attachmentIds on messages
  controllers: [TicketsController],
  providers: [TicketsService, TicketsRepository, Timeline, SecretGuard],
  exports: [TicketsService, TicketsRepository, Timeline, SecretGuard, SlaModule],
})
export class TicketsModule {}
