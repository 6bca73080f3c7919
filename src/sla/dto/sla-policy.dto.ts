import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CATALOGUE_KEY } from '../../categories/dto/category.dto';
import type { SlaPolicy } from '../sla-policies.repository';
import { IfPresent, PlainText } from '../../common/validation/decorators';

export const POLICY_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type PolicyPriority = (typeof POLICY_PRIORITIES)[number];
export const POLICY_CHANNELS = ['web', 'app', 'email', 'chat', 'social', 'phone'] as const;
export type PolicyChannel = (typeof POLICY_CHANNELS)[number];

/** A year: long enough for any reply or resolution target, far from integer overflow. */
export const MAX_TARGET_MINUTES = 525_600;
export const MAX_POSITION = 1_000_000;

/** Every given condition must match; an absent one matches everything. */
export class PolicyConditionsDto {
  @ApiPropertyOptional({ enum: POLICY_PRIORITIES, isArray: true, example: ['urgent'] })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1, { message: '$property must not be empty: leave it out to match every priority' })
  @ArrayMaxSize(POLICY_PRIORITIES.length * 2)
  @IsIn(POLICY_PRIORITIES, { each: true })
  priorities?: PolicyPriority[];

  @ApiPropertyOptional({ type: [String], example: ['deposit_withdrawal'], description: 'Category keys.' })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1, { message: '$property must not be empty: leave it out to match every category' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(CATALOGUE_KEY, { each: true, message: 'each value in $property must be a category key' })
  categories?: string[];

  @ApiPropertyOptional({ enum: POLICY_CHANNELS, isArray: true, example: ['chat', 'phone'] })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1, { message: '$property must not be empty: leave it out to match every channel' })
  @ArrayMaxSize(POLICY_CHANNELS.length * 2)
  @IsIn(POLICY_CHANNELS, { each: true })
  channels?: PolicyChannel[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 7,
    example: 3,
    description: 'Lowest requester VIP tier matched.',
  })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(7)
  minVip?: number;
}

export class PolicyTargetsDto {
  @ApiProperty({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 1440, description: 'Calendar minutes.' })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  firstResponseMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 1440 })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  nextResponseMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 2880 })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  resolutionMinutes!: number;
}

export class UpdatePolicyTargetsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 1440 })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  firstResponseMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 1440 })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  nextResponseMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TARGET_MINUTES, example: 2880 })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  resolutionMinutes?: number;
}

export class PolicyEscalationDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 99,
    default: 80,
    example: 80,
    description: 'Share of a running target after which the ticket is at risk.',
  })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(99)
  atRiskPercent?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3,
    default: 3,
    example: 3,
    description: 'Highest escalation level.',
  })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(3)
  maxLevel?: number;
}

export class CreateSlaPolicyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Chat & phone' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_POSITION,
    example: 1,
    description:
      'Lower positions are tried first. A taken position moves the policies from it down one; last when absent.',
  })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_POSITION)
  position?: number;

  @ApiPropertyOptional({ type: PolicyConditionsDto, default: {} })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyConditionsDto)
  conditions?: PolicyConditionsDto;

  @ApiProperty({ type: PolicyTargetsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyTargetsDto)
  targets!: PolicyTargetsDto;

  @ApiProperty({
    format: 'uuid',
    example: '0b8e2f4c-6a1d-4f3e-9c7b-5d2a1e0f8b34',
    description: 'An existing calendar.',
  })
  @IsUUID('all', { message: '$property must be a calendar id (UUID)' })
  calendarId!: string;

  @ApiPropertyOptional({ type: PolicyEscalationDto, default: { atRiskPercent: 80, maxLevel: 3 } })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyEscalationDto)
  escalation?: PolicyEscalationDto;
}

/** `conditions` replaces the stored conditions; `targets` and `escalation` change only the members given. */
export class UpdateSlaPolicyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Chat & phone' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_POSITION,
    example: 2,
    description: 'Moves the policy; the policies between its old and new position shift by one to make room.',
  })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_POSITION)
  position?: number;

  @ApiPropertyOptional({ type: PolicyConditionsDto })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyConditionsDto)
  conditions?: PolicyConditionsDto;

  @ApiPropertyOptional({ type: UpdatePolicyTargetsDto })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdatePolicyTargetsDto)
  targets?: UpdatePolicyTargetsDto;

  @ApiPropertyOptional({ format: 'uuid', example: '0b8e2f4c-6a1d-4f3e-9c7b-5d2a1e0f8b34' })
  @IfPresent()
  @IsUUID('all', { message: '$property must be a calendar id (UUID)' })
  calendarId?: string;

  @ApiPropertyOptional({ type: PolicyEscalationDto })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyEscalationDto)
  escalation?: PolicyEscalationDto;
}

export class PolicyConditionsResponse {
  @ApiPropertyOptional({ enum: POLICY_PRIORITIES, isArray: true, example: ['urgent'] })
  priorities?: PolicyPriority[];
  @ApiPropertyOptional({ type: [String], example: ['deposit_withdrawal'] }) categories?: string[];
  @ApiPropertyOptional({ enum: POLICY_CHANNELS, isArray: true, example: ['chat'] })
  channels?: PolicyChannel[];
  @ApiPropertyOptional({ minimum: 0, maximum: 7, example: 3 }) minVip?: number;
}

export class PolicyTargetsResponse {
  @ApiProperty({ example: 60 }) firstResponseMinutes!: number;
  @ApiProperty({ example: 120 }) nextResponseMinutes!: number;
  @ApiProperty({ example: 480 }) resolutionMinutes!: number;
}

export class PolicyEscalationResponse {
  @ApiProperty({ minimum: 1, maximum: 99, example: 80 }) atRiskPercent!: number;
  @ApiProperty({ minimum: 0, maximum: 3, example: 3 }) maxLevel!: number;
}

export class SlaPolicyResponse {
  @ApiProperty({ format: 'uuid', example: '5a3c9e1b-2d4f-4a6b-8c0d-1e2f3a4b5c6d' }) id!: string;
  @ApiProperty({ example: 'Urgent' }) name!: string;
  @ApiProperty({ example: 2 }) position!: number;
  @ApiProperty({ type: PolicyConditionsResponse, example: { priorities: ['urgent'] } })
  conditions!: PolicyConditionsResponse;
  @ApiProperty({ type: PolicyTargetsResponse }) targets!: PolicyTargetsResponse;
  @ApiProperty({ format: 'uuid', example: '0b8e2f4c-6a1d-4f3e-9c7b-5d2a1e0f8b34' }) calendarId!: string;
  @ApiProperty({ type: PolicyEscalationResponse }) escalation!: PolicyEscalationResponse;
  @ApiProperty({ format: 'date-time', example: '2025-11-22T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2025-11-22T08:00:00.000Z' }) updatedAt!: string;
}

export class SlaPolicyListResponse {
  @ApiProperty({ type: [SlaPolicyResponse] }) data!: SlaPolicyResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Always null: policies fit on one page.',
  })
  nextCursor!: string | null;
}

export function toSlaPolicyResponse(policy: SlaPolicy): SlaPolicyResponse {
  return {
    id: policy.id,
    name: policy.name,
    position: policy.position,
    conditions: { ...policy.conditions },
    targets: { ...policy.targets },
    calendarId: policy.calendarId,
    escalation: { ...policy.escalation },
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
