import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_KEY } from '../../categories/dto/category.dto';
import { IfPresent, PlainText } from '../../common/validation/decorators';

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
