import { ApiProperty } from '@nestjs/swagger';
import type { Group } from '../groups.repository';

export class GroupResponse {
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-3b0d-4c55-9a0e-2f4b7d1e9c11' }) id!: string;
  @ApiProperty({ example: 'Deposit & Withdrawal L1' }) name!: string;
  @ApiProperty({ minimum: 1, maximum: 3, example: 1 }) tier!: number;
  @ApiProperty({ type: [String], example: ['deposit_withdrawal'] }) categories!: string[];
  @ApiProperty({ type: [String], example: ['agent-7'] }) members!: string[];
  @ApiProperty({ format: 'date-time', example: '2025-11-22T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2025-11-22T08:00:00.000Z' }) updatedAt!: string;
}

export class GroupListResponse {
  @ApiProperty({ type: [GroupResponse] }) data!: GroupResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Always null: groups fit on one page.',
  })
  nextCursor!: string | null;
}

export function toGroupResponse(group: Group): GroupResponse {
  return {
    id: group.id,
    name: group.name,
    tier: group.tier,
    categories: [...group.categories],
    members: [...group.members],
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}
