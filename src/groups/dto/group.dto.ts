import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { CATALOGUE_KEY } from '../../categories/dto/category.dto';

/** Optional, but when present it must be valid: unlike @IsOptional(), null is rejected, not skipped. */
const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Names are single-line text; NUL in particular cannot be stored by PostgreSQL. */
const PlainText = (each = false) =>
  ValidateBy(
    {
      name: 'isPlainText',
      validator: {
        validate: (value) => typeof value !== 'string' || !CONTROL_CHARACTERS.test(value),
        defaultMessage: () => `${each ? 'each value in ' : ''}$property must not contain control characters`,
      },
    },
    { each },
  );

export const MAX_MEMBERS = 1000;

export class CreateGroupDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Deposit & Withdrawal L1' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;

  @ApiProperty({ minimum: 1, maximum: 3, example: 1, description: 'Support tier the group works.' })
  @IsInt()
  @Min(1)
  @Max(3)
  tier!: number;

  @ApiProperty({
    type: [String],
    example: ['deposit_withdrawal'],
    description: 'Keys of existing categories.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(CATALOGUE_KEY, { each: true, message: 'each value in $property must be a category key' })
  categories!: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['agent-7'],
    default: [],
    description: 'Agent ids (JWT `sub`).',
  })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @PlainText(true)
  members?: string[];
}

export class UpdateGroupDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Deposit & Withdrawal L1' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3, example: 2 })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(3)
  tier?: number;

  @ApiPropertyOptional({ type: [String], example: ['deposit_withdrawal'], description: 'Replaces the list.' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(CATALOGUE_KEY, { each: true, message: 'each value in $property must be a category key' })
  categories?: string[];

  @ApiPropertyOptional({ type: [String], example: ['agent-7', 'agent-9'], description: 'Replaces the list.' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @PlainText(true)
  members?: string[];
}
