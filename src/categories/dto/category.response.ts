import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Category, Subcategory } from '../categories.repository';
import {
  FIELD_TRANSFORMS,
  FIELD_TYPES,
  toFieldDefinition,
  type FieldTransform,
  type FieldType,
} from '../field-definitions';

export class SubcategoryResponse {
  @ApiProperty({ example: 'withdrawal_delayed' }) key!: string;
  @ApiProperty({ example: 'Withdrawal delayed' }) name!: string;
  @ApiProperty({ example: true }) enabled!: boolean;
}

export class FieldDefinitionResponse {
  @ApiProperty({ example: 'txHash' }) name!: string;
  @ApiProperty({ enum: FIELD_TYPES, example: 'string' }) type!: FieldType;
  @ApiProperty({ example: false }) required!: boolean;
  @ApiPropertyOptional({ example: '^(0x)?[0-9a-fA-F]{64}$' }) pattern?: string;
  @ApiPropertyOptional({ example: 0 }) minimum?: number;
  @ApiPropertyOptional({ example: 3 }) maximum?: number;
  @ApiPropertyOptional({ enum: FIELD_TRANSFORMS, example: 'lower' }) transform?: FieldTransform;
}

export class CategoryResponse {
  @ApiProperty({ example: 'deposit_withdrawal' }) key!: string;
  @ApiProperty({ example: 'Deposits & withdrawals' }) name!: string;
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ type: [SubcategoryResponse] }) subcategories!: SubcategoryResponse[];
  @ApiProperty({ type: [FieldDefinitionResponse] }) fields!: FieldDefinitionResponse[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    example: [['txHash', 'orderId']],
  })
  requireOneOf!: string[][];
}

export class CategoryListResponse {
  @ApiProperty({ type: [CategoryResponse] }) data!: CategoryResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Always null: the catalogue is one page.',
  })
  nextCursor!: string | null;
}

export function toSubcategoryResponse(subcategory: Subcategory): SubcategoryResponse {
  return { key: subcategory.key, name: subcategory.name, enabled: subcategory.enabled };
}

export function toCategoryResponse(category: Category): CategoryResponse {
  return {
    key: category.key,
    name: category.name,
    enabled: category.enabled,
    subcategories: category.subcategories.map(toSubcategoryResponse),
    fields: category.fields.map(toFieldDefinition),
    requireOneOf: category.requireOneOf.map((group) => [...group]),
  };
}
