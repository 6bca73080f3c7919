import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  FIELD_TRANSFORMS,
  FIELD_TYPES,
  isRegExpSource,
  type FieldTransform,
  type FieldType,
} from '../field-definitions';
import { IfPresent, PlainText } from '../../common/validation/decorators';

/** Catalogue keys, as the schema's check constraint allows them. */
export const CATALOGUE_KEY = /^[a-z][a-z0-9_]{1,49}$/;
const CATALOGUE_KEY_MESSAGE =
  '$property must be 2–50 lower-case letters, digits or underscores, starting with a letter';
const FIELD_NAME = /^[a-z][A-Za-z0-9]{0,49}$/;

function IsRegExpSource(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegExpSource',
      validator: {
        validate: (value) => isRegExpSource(value),
        defaultMessage: () => '$property must be a valid JavaScript regular expression',
      },
    },
    options,
  );
}

export class FieldDefinitionDto {
  @ApiProperty({ description: 'A camelCase identifier, unique within the category.', example: 'txHash' })
  @IsString()
  @Matches(FIELD_NAME, { message: '$property must be a camelCase identifier of at most 50 characters' })
  name!: string;

  @ApiProperty({ enum: FIELD_TYPES, example: 'string' })
  @IsIn(FIELD_TYPES)
  type!: FieldType;

  @ApiProperty({ example: false })
  @IsBoolean()
  required!: boolean;

  @ApiPropertyOptional({
    description: 'A JavaScript regular expression the value must match.',
    example: '^(0x)?[0-9a-fA-F]{64}$',
    maxLength: 500,
  })
  @IfPresent()
  @IsString()
  @MaxLength(500)
  @PlainText()
  @IsRegExpSource()
  pattern?: string;

  @ApiPropertyOptional({ description: 'Lowest value (integer and decimal fields).', example: 0 })
  @IfPresent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  minimum?: number;

  @ApiPropertyOptional({ description: 'Highest value (integer and decimal fields).', example: 3 })
  @IfPresent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  maximum?: number;

  @ApiPropertyOptional({
    enum: FIELD_TRANSFORMS,
    description: 'Case applied to a string value before it is stored.',
    example: 'lower',
  })
  @IfPresent()
  @IsIn(FIELD_TRANSFORMS)
  transform?: FieldTransform;
}

export class NewSubcategoryDto {
  @ApiProperty({ pattern: CATALOGUE_KEY.source, example: 'staking_rewards' })
  @IsString()
  @Matches(CATALOGUE_KEY, { message: CATALOGUE_KEY_MESSAGE })
  key!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Staking rewards' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;
}

const REQUIRE_ONE_OF_DOC = {
  description:
    'Groups of field names of which a ticket must give at least one; each name must be a defined field.',
  type: 'array',
  items: { type: 'array', items: { type: 'string' } },
  example: [['txHash', 'orderId']],
} as const;

export class CreateCategoryDto {
  @ApiProperty({ pattern: CATALOGUE_KEY.source, example: 'earn' })
  @IsString()
  @Matches(CATALOGUE_KEY, { message: CATALOGUE_KEY_MESSAGE })
  key!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Earn & staking' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;

  @ApiPropertyOptional({ type: [FieldDefinitionDto], default: [] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FieldDefinitionDto)
  fields?: FieldDefinitionDto[];

  @ApiPropertyOptional({ ...REQUIRE_ONE_OF_DOC, default: [] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsArray({ each: true, message: 'each value in $property must be a list of field names' })
  @ArrayMinSize(1, { each: true, message: 'each value in $property must name at least one field' })
  requireOneOf?: string[][];

  @ApiPropertyOptional({ type: [NewSubcategoryDto], default: [] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => NewSubcategoryDto)
  subcategories?: NewSubcategoryDto[];
}

export class UpdateCategoryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Earn & staking' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({
    description: 'A disabled category is hidden from customers and takes no new tickets.',
    example: false,
  })
  @IfPresent()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: [FieldDefinitionDto], description: 'Replaces the whole list.' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FieldDefinitionDto)
  fields?: FieldDefinitionDto[];

  @ApiPropertyOptional({
    ...REQUIRE_ONE_OF_DOC,
    description: `${REQUIRE_ONE_OF_DOC.description} Replaces the list.`,
  })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsArray({ each: true, message: 'each value in $property must be a list of field names' })
  @ArrayMinSize(1, { each: true, message: 'each value in $property must name at least one field' })
  requireOneOf?: string[][];
}

export class UpdateSubcategoryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Staking rewards' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({ example: false })
  @IfPresent()
  @IsBoolean()
  enabled?: boolean;
}
