import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookOutboxRepository } from './webhook-outbox.repository';
import { WebhookOutboxSweeper } from './webhook-outbox.sweeper';
import { WebhookOutboxWriter } from './webhook-outbox.writer';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Webhooks (SPEC §10): endpoints, the outbox written with each ticket change, and its delivery. */
@Module({
  imports: [TicketsModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhooksRepository,
    WebhookOutboxRepository,
    WebhookOutboxWriter,
    WebhookDeliveryWorker,
    WebhookOutboxSweeper,
    WebhookMetrics,
  ],
})
export class WebhooksModule {}
