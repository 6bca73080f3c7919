import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  IfPresent,
  IsTimestamp,
  NoNul,
  NotBlank,
  NullableIfPresent,
  NullAsAbsent,
  PlainText,
} from '../../common/validation/decorators';
import { PageQuery } from '../../common/validation/list-query';
import { CHANNELS, PRIORITIES, STATUSES, VISIBILITIES } from '../ticket-rules';
import type { Channel, Priority, TicketStatus, Visibility } from '../ticket-rules';

const KEY = /^[a-z][a-z0-9_]{1,49}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const TAG = /^[^\s,]{1,50}$/;

export class CreateTicketRequest {
  @ApiProperty({ example: 'deposit_withdrawal' })
  @IsString()
  @Matches(KEY, { message: 'must be a category key' })
  category!: string;

  @ApiProperty({ example: 'deposit_not_credited' })
  @IsString()
  @Matches(KEY, { message: 'must be a subcategory key' })
  subcategory!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'USDT deposit not credited after 2 hours' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  @NoNul()
  subject!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 20000,
    example: 'I sent 150 USDT on TRON, the explorer shows it confirmed.',
  })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  @NoNul()
  description!: string;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'web' })
  @IfPresent()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({
    enum: PRIORITIES,
    description: 'Defaults by category (SPEC §5). Customers may not choose urgent.',
  })
  @IfPresent()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({
    example: 'zh-CN',
    description:
      "Defaults to the customer's token locale, else en (en when an agent opens the ticket for a customer).",
  })
  @IfPresent()
  @IsString()
  @Matches(LOCALE, { message: 'must be a language tag such as en or zh-CN' })
  locale?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { currency: 'USDT', network: 'TRC20', amount: '150.00', txHash: '0x…' },
    description: "The category's structured fields (GET /v1/categories).",
  })
  @IfPresent()
  @IsObject()
  fields?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['usdt'] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'each tag must be 1–50 characters without spaces or commas' })
  @PlainText(true)
  tags?: string[];

  @ApiPropertyOptional({ example: 'cust-42', description: 'Agents only: the customer the ticket is for.' })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  @PlainText()
  requesterId?: string;
}

export class UpdateTicketRequest {
  @ApiPropertyOptional({ enum: STATUSES, description: 'Customers may only set solved.' })
  @IfPresent()
  @IsIn(STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IfPresent()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ example: 'trading' })
  @IfPresent()
  @IsString()
  @Matches(KEY, { message: 'must be a category key' })
  category?: string;

  @ApiPropertyOptional({ example: 'spot' })
  @IfPresent()
  @IsString()
  @Matches(KEY, { message: 'must be a subcategory key' })
  subcategory?: string;

  @ApiPropertyOptional({ nullable: true, example: 'agent-7', description: 'null unassigns the ticket.' })
  @NullableIfPresent()
  @IsString()
  @Length(1, 200)
  @PlainText()
  assigneeId?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IfPresent()
  @IsUUID()
  groupId?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'each tag must be 1–50 characters without spaces or commas' })
  @PlainText(true)
  tags?: string[];
}

export const TICKET_SORTS = ['-createdAt', 'createdAt', 'slaDueAt', '-priority'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

const toArray = ({ value }: { value: unknown }) => (value === undefined ? undefined : [value].flat());
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListTicketsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES, isArray: true, description: 'Repeatable.' })
  @IsOptional()
  @Transform(toArray)
  @IsIn(STATUSES, { each: true })
  status?: TicketStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(KEY, { message: 'must be a category key' })
  category?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  groupId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  requesterId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only tickets with a running timer past its due time.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'must be true or false' })
  breached?: boolean;

  @ApiPropertyOptional({
    description: 'Only tickets with a running timer past its at-risk point, not yet due.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'must be true or false' })
  atRisk?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive.' })
  @IsOptional()
  @IsTimestamp()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive.' })
  @IsOptional()
  @IsTimestamp()
  createdTo?: string;

  @ApiPropertyOptional({
    description:
      'Words of subject, description or messages (English prefixes, Chinese substrings) or field values.',
    example: '提现 USDT',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: TICKET_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(TICKET_SORTS)
  sort: TicketSort = '-createdAt';
}

export class CreateMessageRequest {
  @ApiProperty({ minLength: 1, maxLength: 20000, example: 'We have credited your deposit.' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  @NoNul()
  body!: string;

  @ApiPropertyOptional({ enum: VISIBILITIES, default: 'public', description: 'Customers post public only.' })
  @IfPresent()
  @IsIn(VISIBILITIES)
  visibility: Visibility = 'public';

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 20 })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class SatisfactionRequest {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({
    maxLength: 2000,
    nullable: true,
    example: 'Quick and clear, thank you.',
    description: 'null is no comment, as when left out.',
  })
  @NullAsAbsent()
  @IfPresent()
  @IsString()
  @MaxLength(2000)
  @NoNul()
  comment?: string;
}
