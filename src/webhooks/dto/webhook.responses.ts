import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-events';
import type { Webhook, WebhookAttempt } from '../webhooks.repository';

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://crm.example.com/hooks/sla-desk' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['ticket.created'] })
  events!: WebhookEventType[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The create response is the only one that carries the secret. */
export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ example: 'whsec_2mXq…', description: 'Shown once: store it to verify X-Signature.' })
  secret!: string;
}

export class WebhookPage {
  @ApiProperty({ type: [WebhookResponse] }) data!: WebhookResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DeliveryAttemptResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The delivery (one event to this endpoint) the attempt is of.',
  })
  deliveryId!: string;
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Event-Id; the same on every attempt.' })
  eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: WebhookEventType;
  @ApiProperty({ minimum: 1, example: 1 }) attempt!: number;
  @ApiProperty({
    enum: ['delivered', 'retry', 'failed'],
    description: 'delivered (2xx); retry (will be tried again); failed (retries exhausted).',
  })
  outcome!: 'delivered' | 'retry' | 'failed';
  @ApiProperty({ type: Number, nullable: true, example: 500, description: 'null when no response came.' })
  statusCode!: number | null;
  @ApiProperty({ example: 120 }) durationMs!: number;
  @ApiProperty({ type: String, nullable: true, example: 'blocked address' }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DeliveryAttemptPage {
  @ApiProperty({ type: [DeliveryAttemptResponse] }) data!: DeliveryAttemptResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export function toWebhookResponse(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    url: webhook.url,
    events: [...webhook.events],
    active: webhook.active,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

export function toDeliveryAttemptResponse(attempt: WebhookAttempt): DeliveryAttemptResponse {
  return {
    id: attempt.id,
    deliveryId: attempt.deliveryId,
    eventId: attempt.eventId,
    eventType: attempt.eventType,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    error: attempt.error,
    createdAt: attempt.createdAt.toISOString(),
  };
}
