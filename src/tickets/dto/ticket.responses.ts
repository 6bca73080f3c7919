import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '../../auth/roles';
import { CHANNELS, PRIORITIES, STATUSES, VISIBILITIES } from '../ticket-rules';
import type { Channel, Priority, TicketStatus, Visibility } from '../ticket-rules';
import { EVENT_TYPES, type EventType } from '../timeline';

export class SlaTimerResponse {
  @ApiProperty({ nullable: true, type: Number, example: 1440 }) targetMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt!: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'achieved', 'breached', 'none'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Calendar minutes counted, pauses excluded.' })
  elapsedMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) breachedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) achievedAt!: string | null;
}

export class SlaResponse {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) policyId!: string | null;
  @ApiProperty({ type: SlaTimerResponse }) firstResponse!: SlaTimerResponse;
  @ApiProperty({ type: SlaTimerResponse }) nextResponse!: SlaTimerResponse;
  @ApiProperty({ type: SlaTimerResponse }) resolution!: SlaTimerResponse;
}

export class SatisfactionResponse {
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 1042 }) number!: number;
  @ApiProperty() subject!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ example: 'deposit_withdrawal' }) category!: string;
  @ApiProperty({ example: 'deposit_not_credited' }) subcategory!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: STATUSES }) status!: TicketStatus;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ example: 'en' }) locale!: string;
  @ApiProperty({ example: 'cust-42' }) requesterId!: string;
  @ApiProperty({ minimum: 0, maximum: 7 }) requesterVip!: number;
  @ApiProperty({ nullable: true, type: String, example: 'agent-7' }) assigneeId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) groupId!: string | null;
  @ApiProperty({ minimum: 1, maximum: 3 }) tier!: number;
  @ApiProperty({ minimum: 0, maximum: 3 }) escalationLevel!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { currency: 'USDT', txHash: '0xab…' } })
  fields!: Record<string, string | number>;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: SlaResponse }) sla!: SlaResponse;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) firstRespondedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) solvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: SatisfactionResponse }) satisfaction!: SatisfactionResponse | null;
}

export class TicketPage {
  @ApiProperty({ type: [TicketResponse] }) data!: TicketResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ example: 'agent-7' }) authorId!: string;
  @ApiProperty({ enum: [...ROLES, 'system'] }) authorRole!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: VISIBILITIES }) visibility!: Visibility;
  @ApiProperty({ type: [String], format: 'uuid' }) attachmentIds!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class MessagePage {
  @ApiProperty({ type: [MessageResponse] }) data!: MessageResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ActorResponse {
  @ApiProperty({ example: 'agent-7' }) id!: string;
  @ApiProperty({ enum: [...ROLES, 'system'] }) role!: string;
}

export class EventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) type!: EventType;
  @ApiProperty({ type: ActorResponse }) actor!: ActorResponse;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { from: 'new', to: 'open' } })
  data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class EventPage {
  @ApiProperty({ type: [EventResponse] }) data!: EventResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ProblemResponse {
  @ApiProperty({ example: 'https://sla-desk.dev/problems/validation_failed' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'The request has invalid fields.' }) detail!: string;
  @ApiPropertyOptional({ example: '/v1/tickets' }) instance?: string;
  @ApiPropertyOptional({ example: [{ field: 'fields.txHash', message: 'has an invalid format' }] })
  errors?: { field: string; message: string }[];
}
