import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IfPresent } from '../../common/validation/decorators';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-events';

/** Printable ASCII without spaces: the secret is an HMAC key integrators copy into their config. */
const SECRET = /^[\x21-\x7e]+$/;

export class CreateWebhookRequest {
  @ApiProperty({
    maxLength: 2048,
    example: 'https://crm.example.com/hooks/sla-desk',
    description:
      'http(s) only, without credentials (user:password@); hosts on loopback or private networks are refused (SSRF).',
  })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['ticket.created', 'sla.breached'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @ApiPropertyOptional({
    minLength: 16,
    maxLength: 200,
    writeOnly: true,
    description: 'HMAC key for X-Signature. Generated when absent; returned only in the create response.',
  })
  @IfPresent()
  @IsString()
  @Length(16, 200)
  @Matches(SECRET, { message: 'must be printable ASCII without spaces' })
  secret?: string;

  @ApiPropertyOptional({ default: true })
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookRequest {
  @ApiPropertyOptional({ maxLength: 2048, example: 'https://crm.example.com/hooks/sla-desk' })
  @IfPresent()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Replaces the list.' })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({
    minLength: 16,
    maxLength: 200,
    writeOnly: true,
    description: 'Rotates the signing secret; never returned.',
  })
  @IfPresent()
  @IsString()
  @Length(16, 200)
  @Matches(SECRET, { message: 'must be printable ASCII without spaces' })
  secret?: string;

  @ApiPropertyOptional({
    description:
      'Inactive endpoints get no new events; their pending ones wait, and are given up (failed) once ' +
      'queued longer than the retry window (24 h by default).',
  })
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}
