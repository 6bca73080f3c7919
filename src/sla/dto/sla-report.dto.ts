import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsTimestamp } from '../../common/validation/decorators';

export const REPORT_GROUPINGS = ['category', 'priority', 'channel', 'group'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

export class SlaReportQuery {
  @ApiProperty({ format: 'date-time', description: 'Tickets created from (inclusive).' })
  @IsTimestamp()
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Tickets created before (exclusive).' })
  @IsTimestamp()
  to!: string;

  @ApiProperty({ enum: REPORT_GROUPINGS })
  @IsIn(REPORT_GROUPINGS)
  groupBy!: ReportGrouping;
}

export class MinutesSummary {
  @ApiProperty({ nullable: true, type: Number, example: 42.5 }) median!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 180 }) p90!: number | null;
}

export class SlaReportRow {
  @ApiProperty({ description: 'The category, priority, channel or group id.', example: 'deposit_withdrawal' })
  key!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Group name when grouped by group.' })
  name!: string | null;
  @ApiProperty({ description: 'Tickets created in the period.' }) tickets!: number;
  @ApiProperty({
    description:
      'Timers that finished within their target (a reply timer only by a public agent reply: one ended by ' +
      'solving or closing the ticket without a reply counts as no reply, in none of these counts).',
  })
  achieved!: number;
  @ApiProperty({ description: 'Timers that passed their due time (answered late or still open).' })
  breached!: number;
  @ApiProperty({ description: 'Timers still running within their target.' }) running!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'achieved / (achieved + breached) × 100.' })
  compliancePercent!: number | null;
  @ApiProperty({
    type: MinutesSummary,
    description:
      'Business minutes to the first public agent reply, pauses excluded; a breached first reply still awaited ' +
      'counts with its wait so far.',
  })
  firstResponseMinutes!: MinutesSummary;
  @ApiProperty({
    type: MinutesSummary,
    description:
      'Business minutes to solved, pauses excluded; a breached ticket still open counts with its time so far.',
  })
  resolutionMinutes!: MinutesSummary;
}

export class SlaReport {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: REPORT_GROUPINGS }) groupBy!: ReportGrouping;
  @ApiProperty({ type: [SlaReportRow] }) data!: SlaReportRow[];
}
