import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { expectedVersion, staleVersion } from '../common/http/etag';
import { AppError } from '../common/errors/app-error';
import {
  BUSINESS_TIME_LOOKAHEAD_YEARS,
  businessTimeGap,
  validateCalendarSpec,
} from './calendar/business-calendar';
import { type Calendar, CalendarsRepository, type NewCalendar } from './calendars.repository';
import type { CreateCalendarDto, UpdateCalendarDto } from './dto/calendar.dto';

/**
 * Calendars' rules: a spec the business-calendar arithmetic accepts, with business time in each of
 * the coming years, unique names, used calendars kept.
 */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly calendars: CalendarsRepository,
    private readonly clock: Clock,
  ) {}

  list(): Promise<Calendar[]> {
    return this.calendars.listByName();
  }

  async get(id: string): Promise<Calendar> {
    const calendar = await this.calendars.findById(id);
    if (!calendar) throw AppError.notFound('Calendar');
    return calendar;
  }

  async create(input: CreateCalendarDto): Promise<Calendar> {
    const calendar = normalize({
      name: input.name,
      type: input.type,
      timezone: input.timezone ?? 'UTC',
      businessHours: input.businessHours ?? [],
      holidays: input.holidays ?? [],
    });
    assertValidSpec(calendar, this.clock.now());
    if (await this.calendars.nameTaken(calendar.name)) {
      throw new AppError('conflict', `A calendar named "${calendar.name}" already exists.`);
    }
    return this.calendars.create(calendar);
  }

  async update(id: string, input: UpdateCalendarDto, ifMatch?: string): Promise<Calendar> {
    const current = await this.get(id);
    const version = expectedVersion('calendar', ifMatch, current.version);
    const calendar = normalize({
      name: input.name ?? current.name,
      type: input.type ?? current.type,
      timezone: input.timezone ?? current.timezone,
      businessHours: input.businessHours ?? current.businessHours,
      holidays: input.holidays ?? current.holidays,
    });
    assertValidSpec(calendar, this.clock.now());
    if (input.name !== undefined && (await this.calendars.nameTaken(input.name, id))) {
      throw new AppError('conflict', `A calendar named "${input.name}" already exists.`);
    }
    const updated = await this.calendars.replace(id, calendar, version);
    if (updated) return updated;
    throw staleVersion('calendar', (await this.get(id)).version);
  }

  async remove(id: string): Promise<void> {
    const outcome = await this.calendars.deleteUnused(id);
    if (outcome === 'not_found') throw AppError.notFound('Calendar');
    if (outcome === 'in_use') {
      throw new AppError('conflict', 'SLA policies use this calendar: point them at another calendar first.');
    }
  }
}

/** Plain values only, holidays non-recurring unless said, so what is stored is exactly the spec. */
function normalize(calendar: {
  name: string;
  type: NewCalendar['type'];
  timezone: string;
  businessHours: { day: number; start: string; end: string }[];
  holidays: { date: string; name: string; recurring?: boolean }[];
}): NewCalendar {
  return {
    name: calendar.name,
    type: calendar.type,
    timezone: calendar.timezone,
    businessHours: calendar.businessHours.map(({ day, start, end }) => ({ day, start, end })),
    holidays: calendar.holidays.map(({ date, name, recurring }) => ({
      date,
      name,
      recurring: recurring ?? false,
    })),
  };
}

/**
 * What the request's field rules cannot see (an interval ending before it starts, overlapping
 * intervals, a business_hours calendar without hours, 2025-02-30), named by the same paths as
 * the validation pipe's (`businessHours.1.end`); and a calendar without business time in some year
 * of the coming ones (every day a holiday), which would leave its timers without due times.
 */
function assertValidSpec(calendar: NewCalendar, now: Date): void {
  const problems = validateCalendarSpec(calendar);
  if (problems.length > 0) {
    throw AppError.validation(
      problems.map(({ field, message }) => ({ field: field.replace(/\[(\d+)\]/g, '.$1'), message })),
    );
  }
  const gap = businessTimeGap(calendar, now);
  if (gap) {
    const day = (date: Date) => date.toISOString().slice(0, 10);
    throw AppError.validation([
      {
        field: 'holidays',
        message:
          `leave no business time from ${day(gap.from)} to ${day(gap.to)}: a calendar needs business ` +
          `time in each of the next ${BUSINESS_TIME_LOOKAHEAD_YEARS} years`,
      },
    ]);
  }
}
