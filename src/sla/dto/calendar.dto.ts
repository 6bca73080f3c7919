import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsTimeZone,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Calendar } from '../calendars.repository';
import type { CalendarType } from '../calendar/business-calendar';
import { IfPresent, PlainText } from '../../common/validation/decorators';

export const CALENDAR_TYPES: readonly CalendarType[] = ['24x7', 'business_hours'];

const START_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class BusinessHoursIntervalDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1, description: 'ISO weekday, 1 = Monday … 7 = Sunday.' })
  @IsInt()
  @Min(1)
  @Max(7)
  day!: number;

  @ApiProperty({
    pattern: START_TIME.source,
    example: '09:00',
    description: 'Local wall-clock time, 00:00–23:59.',
  })
  @IsString()
  @Matches(START_TIME, { message: '$property must be a time "HH:MM" from 00:00 to 23:59' })
  start!: string;

  @ApiProperty({
    pattern: END_TIME.source,
    example: '18:00',
    description: 'After start; "24:00" ends the day.',
  })
  @IsString()
  @Matches(END_TIME, { message: '$property must be a time "HH:MM" from 00:01 to 24:00' })
  end!: string;
}

export class HolidayDto {
  @ApiProperty({ format: 'date', example: '2025-12-25', description: 'Local date.' })
  @IsString()
  @Matches(DATE, { message: '$property must be a date "YYYY-MM-DD"' })
  date!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Christmas Day' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;

  @ApiPropertyOptional({
    default: false,
    example: true,
    description: 'Falls on the same month-day every year.',
  })
  @IfPresent()
  @IsBoolean()
  recurring?: boolean;
}

export class CreateCalendarDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Berlin office hours' })
  @IsString()
  @Length(1, 100)
  @PlainText()
  name!: string;

  @ApiProperty({ enum: CALENDAR_TYPES, example: 'business_hours' })
  @IsIn(CALENDAR_TYPES)
  type!: CalendarType;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', description: 'IANA time zone.' })
  @IfPresent()
  @IsTimeZone({ message: '$property must be an IANA time zone such as "Europe/Berlin"' })
  timezone?: string;

  @ApiPropertyOptional({
    type: [BusinessHoursIntervalDto],
    default: [],
    description: 'Required (non-empty) for business_hours; several intervals a day allowed, not overlapping.',
  })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BusinessHoursIntervalDto)
  businessHours?: BusinessHoursIntervalDto[];

  @ApiPropertyOptional({ type: [HolidayDto], default: [] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => HolidayDto)
  holidays?: HolidayDto[];
}

/** Each given member replaces the stored one; the calendar as it will be is validated as a whole. */
export class UpdateCalendarDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Berlin office hours' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({ enum: CALENDAR_TYPES, example: 'business_hours' })
  @IfPresent()
  @IsIn(CALENDAR_TYPES)
  type?: CalendarType;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IfPresent()
  @IsTimeZone({ message: '$property must be an IANA time zone such as "Europe/Berlin"' })
  timezone?: string;

  @ApiPropertyOptional({ type: [BusinessHoursIntervalDto] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BusinessHoursIntervalDto)
  businessHours?: BusinessHoursIntervalDto[];

  @ApiPropertyOptional({ type: [HolidayDto] })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => HolidayDto)
  holidays?: HolidayDto[];
}

export class BusinessHoursIntervalResponse {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1 }) day!: number;
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '18:00' }) end!: string;
}

export class HolidayResponse {
  @ApiProperty({ format: 'date', example: '2025-12-25' }) date!: string;
  @ApiProperty({ example: 'Christmas Day' }) name!: string;
  @ApiProperty({ example: true }) recurring!: boolean;
}

export class CalendarResponse {
  @ApiProperty({ format: 'uuid', example: '0b8e2f4c-6a1d-4f3e-9c7b-5d2a1e0f8b34' }) id!: string;
  @ApiProperty({ example: 'Berlin office hours' }) name!: string;
  @ApiProperty({ enum: CALENDAR_TYPES, example: 'business_hours' }) type!: CalendarType;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiProperty({ type: [BusinessHoursIntervalResponse] }) businessHours!: BusinessHoursIntervalResponse[];
  @ApiProperty({ type: [HolidayResponse] }) holidays!: HolidayResponse[];
}

export class CalendarListResponse {
  @ApiProperty({ type: [CalendarResponse] }) data!: CalendarResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Always null: calendars fit on one page.',
  })
  nextCursor!: string | null;
}

export function toCalendarResponse(calendar: Calendar): CalendarResponse {
  return {
    id: calendar.id,
    name: calendar.name,
    type: calendar.type,
    timezone: calendar.timezone,
    businessHours: calendar.businessHours.map(({ day, start, end }) => ({ day, start, end })),
    holidays: calendar.holidays.map(({ date, name, recurring }) => ({ date, name, recurring })),
  };
}
