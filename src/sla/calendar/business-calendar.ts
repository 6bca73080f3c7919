/**
 * Business-calendar time arithmetic for the SLA engine: plain functions over plain values, no clock reads.
 *
 * A `business_hours` calendar defines business time as the set of instants whose local wall-clock time (in
 * `timezone`) falls inside one of the intervals given for that local ISO weekday, on a local date that is not
 * a holiday. Wall-clock times are interpreted on their own date, so DST changes are handled exactly:
 * - on a spring-forward day, the skipped wall-clock times do not exist and contribute nothing
 *   (01:00–04:00 in America/New_York on 2024-03-10 is 2 h of business time);
 * - on a fall-back day, the repeated wall-clock times occur twice and count twice
 *   (01:00–03:00 in America/New_York on 2024-11-03 is 3 h of business time).
 *
 * Results are computed to the millisecond (the resolution of `Date`). The work is done day by day, and whole
 * weeks are skipped at once when they hold no holiday and no UTC-offset change, so long spans are cheap.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

export type CalendarType = '24x7' | 'business_hours';

export interface BusinessHoursInterval {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  day: number;
  /** "HH:MM", 00:00–23:59. */
  start: string;
  /** "HH:MM", 00:01–24:00; "24:00" means the end of the day. */
  end: string;
}

export interface Holiday {
  /** Local date, "YYYY-MM-DD". */
  date: string;
  name: string;
  /** When true the holiday falls on the same month-day every year. */
  recurring: boolean;
}

export interface CalendarSpec {
  type: CalendarType;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timezone: string;
  businessHours: BusinessHoursInterval[];
  holidays: Holiday[];
}

export interface CalendarProblem {
  field: string;
  message: string;
}

/** Round-the-clock time; frozen, so no caller can change it for the others. */
export const CALENDAR_24X7: CalendarSpec = Object.freeze({
  type: '24x7',
  timezone: 'UTC',
  businessHours: Object.freeze([]) as unknown as BusinessHoursInterval[],
  holidays: Object.freeze([]) as unknown as Holiday[],
});

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;
const WEEK_MS = WEEK_DAYS * DAY_MS;
/** The largest amount addBusinessMinutes accepts: 100 years, far beyond any SLA target, so no call runs away. */
const MAX_MINUTES = 100 * 365 * 24 * 60;
/** How long addBusinessMinutes looks for business time before giving up on a calendar that has none. */
const MAX_DAYS_WITHOUT_BUSINESS_TIME = 3_660;

/**
 * Local midnights, and the offset stretches of days with an offset change, by zone and date: pure functions
 * of the tz database, memoised because luxon's zone look-ups are the only real cost here and the SLA engine
 * asks about the same few weeks over and over. Bounded: a cache is cleared when full.
 */
const dayStartCache = new Map<string, DayStart>();
const dayPiecesCache = new Map<string, Piece[]>();
const CACHE_LIMIT = 100_000;

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) {
    return known;
  }
  if (cache.size >= CACHE_LIMIT) {
    cache.clear();
  }
  const value = compute();
  cache.set(key, value);
  return value;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instant reached after `minutes` (>= 0, may be fractional) of business time counted from `start`. If
 * start is outside business hours, counting begins at the next opening. minutes=0 returns start moved to the
 * next business moment (or start itself if inside/at an open interval). When the count completes exactly at a
 * closing time, the closing time is returned (not the next opening).
 */
export function addBusinessMinutes(cal: CalendarSpec, start: Date, minutes: number): Date {
  const startMs = instantOf(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_MINUTES) {
    throw new RangeError(`minutes must be a number from 0 to ${MAX_MINUTES} (100 years), got ${minutes}`);
  }
  const amountMs = Math.round(minutes * MINUTE_MS);
  if (cal.type === '24x7') {
    return new Date(startMs + amountMs);
  }
  return new Date(compile(cal).add(startMs, amountMs));
}

/**
 * addBusinessMinutes found no business time in MAX_DAYS_WITHOUT_BUSINESS_TIME consecutive days: the
 * calendar has none to count (every day a holiday, say). Calendars are checked for this when saved
 * (businessTimeGap); the SLA timers fall back to round-the-clock time for one that has it anyway.
 */
export class NoBusinessTimeError extends Error {
  constructor(readonly searchedUntil: Date) {
    super(
      `Business calendar has no business time in ${MAX_DAYS_WITHOUT_BUSINESS_TIME} consecutive days ` +
        `(searched up to ${searchedUntil.toISOString()}); check its hours and holidays`,
    );
    this.name = 'NoBusinessTimeError';
  }
}

/** How far ahead, in years, a calendar must have business time in every year to be saved. */
export const BUSINESS_TIME_LOOKAHEAD_YEARS = 10;

/**
 * The first of the `years` consecutive one-year windows from `from` (365 days and one, so every
 * month-day is in each) that holds no business time at all, or undefined when every one does. A
 * calendar with such a window (every day a recurring holiday, or a year of dated ones) could leave
 * a timer without any due time; a 24x7 calendar never has one. The spec must be valid.
 */
export function businessTimeGap(
  cal: CalendarSpec,
  from: Date,
  years = BUSINESS_TIME_LOOKAHEAD_YEARS,
): { from: Date; to: Date } | undefined {
  const fromMs = instantOf(from, 'from');
  if (cal.type === '24x7') {
    return undefined;
  }
  const compiled = compile(cal);
  for (let year = 0; year < years; year++) {
    const start = fromMs + year * 365 * DAY_MS;
    const end = start + 366 * DAY_MS;
    if (compiled.between(start, end) === 0) {
      return { from: new Date(start), to: new Date(end) };
    }
  }
  return undefined;
}

/** Business minutes between two instants (0 if to <= from), fractional allowed (not rounded). */
export function businessMinutesBetween(cal: CalendarSpec, from: Date, to: Date): number {
  const fromMs = instantOf(from, 'from');
  const toMs = instantOf(to, 'to');
  if (toMs <= fromMs) {
    return 0;
  }
  if (cal.type === '24x7') {
    return (toMs - fromMs) / MINUTE_MS;
  }
  return compile(cal).between(fromMs, toMs) / MINUTE_MS;
}

/**
 * Problems with a calendar spec, each named by its field path ("businessHours[1].start", "holidays[0].date",
 * "timezone"); empty when the spec is valid. For a 24x7 calendar, hours and holidays are ignored by the
 * arithmetic but are still checked for shape when present.
 */
export function validateCalendarSpec(cal: CalendarSpec): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (cal.type !== '24x7' && cal.type !== 'business_hours') {
    add('type', 'must be "24x7" or "business_hours"');
  }
  // IANAZone.create memoises zones (and their validity); isValidZone builds an Intl formatter on every call.
  if (typeof cal.timezone !== 'string' || cal.timezone === '' || !IANAZone.create(cal.timezone).isValid) {
    add('timezone', `unknown IANA time zone ${JSON.stringify(cal.timezone)}`);
  }

  if (!Array.isArray(cal.businessHours)) {
    add('businessHours', 'must be a list of intervals');
  } else {
    const valid: { index: number; day: number; start: number; end: number }[] = [];
    cal.businessHours.forEach((interval, i) => {
      const field = `businessHours[${i}]`;
      const day = interval?.day;
      const dayOk = Number.isInteger(day) && day >= 1 && day <= 7;
      if (!dayOk) {
        add(`${field}.day`, 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)');
      }
      const start = parseTimeOfDay(interval?.start, false);
      if (start === undefined) {
        add(`${field}.start`, 'must be a time "HH:MM" from 00:00 to 23:59');
      }
      const end = parseTimeOfDay(interval?.end, true);
      if (end === undefined) {
        add(`${field}.end`, 'must be a time "HH:MM" from 00:01 to 24:00');
      }
      if (start !== undefined && end !== undefined) {
        if (start >= end) {
          add(`${field}.end`, `must be after start (${interval.start})`);
        } else if (dayOk) {
          valid.push({ index: i, day, start, end });
        }
      }
    });
    const byDayThenStart = [...valid].sort((a, b) => a.day - b.day || a.start - b.start || a.index - b.index);
    for (let k = 1; k < byDayThenStart.length; k++) {
      const previous = byDayThenStart[k - 1];
      const current = byDayThenStart[k];
      if (current.day === previous.day && current.start < previous.end) {
        const { start, end } = cal.businessHours[previous.index];
        add(
          `businessHours[${current.index}].start`,
          `overlaps businessHours[${previous.index}] (${start}–${end}) on day ${current.day}`,
        );
      }
    }
    if (cal.type === 'business_hours' && cal.businessHours.length === 0) {
      add('businessHours', 'a business_hours calendar needs at least one interval');
    }
  }

  if (!Array.isArray(cal.holidays)) {
    add('holidays', 'must be a list of holidays');
  } else {
    cal.holidays.forEach((holiday, i) => {
      if (parseIsoDate(holiday?.date) === undefined) {
        add(`holidays[${i}].date`, 'must be a calendar date "YYYY-MM-DD"');
      }
      if (typeof holiday?.name !== 'string') {
        add(`holidays[${i}].name`, 'must be a string');
      }
      if (typeof holiday?.recurring !== 'boolean') {
        add(`holidays[${i}].recurring`, 'must be true or false');
      }
    });
  }
  return problems;
}

/** A business segment [start, end) in epoch milliseconds. */
interface Segment {
  start: number;
  end: number;
}

/** The first instant of a local day, the UTC offset (minutes) in force then, and whether it reads 00:00. */
interface DayStart {
  ms: number;
  offset: number;
  midnight: boolean;
}

/** A stretch of a day with one UTC offset, [start, end) in epoch milliseconds. */
interface Piece {
  start: number;
  end: number;
  offset: number;
}

function compile(cal: CalendarSpec): CompiledCalendar {
  const problems = validateCalendarSpec(cal);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new Error(`Invalid business calendar: ${list}`);
  }
  return new CompiledCalendar(cal);
}

/** A validated business_hours calendar with its hours indexed by weekday; lives for one call. */
class CompiledCalendar {
  private readonly zone: IANAZone;
  /** Index 1..7 (ISO weekday): sorted, merged [startMinute, endMinute) pairs of local wall-clock time. */
  private readonly hours: [number, number][][];
  /** Business time of a week without holidays or UTC-offset changes. */
  private readonly nominalWeekMs: number;
  private readonly holidayDates = new Set<string>();
  private readonly recurringMonthDays = new Set<string>();

  constructor(cal: CalendarSpec) {
    this.zone = IANAZone.create(cal.timezone);
    this.hours = Array.from({ length: WEEK_DAYS + 1 }, () => []);
    for (const interval of cal.businessHours) {
      this.hours[interval.day].push([
        parseTimeOfDay(interval.start, false) as number,
        parseTimeOfDay(interval.end, true) as number,
      ]);
    }
    let weekMinutes = 0;
    for (let day = 1; day <= WEEK_DAYS; day++) {
      this.hours[day] = mergeRanges(this.hours[day]);
      weekMinutes += this.hours[day].reduce((sum, [start, end]) => sum + end - start, 0);
    }
    this.nominalWeekMs = weekMinutes * MINUTE_MS;
    for (const holiday of cal.holidays) {
      (holiday.recurring ? this.recurringMonthDays : this.holidayDates).add(
        holiday.recurring ? holiday.date.slice(5) : holiday.date,
      );
    }
  }

  add(startMs: number, amountMs: number): number {
    let remaining = amountMs;
    let dayNumber = this.localDayNumber(startMs);
    let dayStart = this.dayStart(dayNumber);
    let daysWithoutBusinessTime = 0;
    let firstDay = true;
    for (;;) {
      if (!firstDay && remaining > this.nominalWeekMs) {
        // Keep at least 1 ms to count, so a result at a closing time is found by the day walk below.
        const skip = this.skipPlainWeeks(
          dayNumber,
          dayStart,
          Math.floor((remaining - 1) / this.nominalWeekMs),
        );
        if (skip.weeks > 0) {
          remaining -= skip.weeks * this.nominalWeekMs;
          dayNumber += skip.weeks * WEEK_DAYS;
          dayStart = skip.end;
          daysWithoutBusinessTime = 0;
        }
      }
      const dayEnd = this.dayStart(dayNumber + 1);
      const segments = this.segments(dayNumber, dayStart, dayEnd);
      for (const segment of segments) {
        if (segment.end <= startMs) {
          continue;
        }
        const from = Math.max(segment.start, startMs);
        if (remaining <= segment.end - from) {
          return from + remaining;
        }
        remaining -= segment.end - from;
      }
      daysWithoutBusinessTime = segments.length > 0 ? 0 : daysWithoutBusinessTime + 1;
      if (daysWithoutBusinessTime > MAX_DAYS_WITHOUT_BUSINESS_TIME) {
        throw new NoBusinessTimeError(new Date(dayEnd.ms));
      }
      dayNumber += 1;
      dayStart = dayEnd;
      firstDay = false;
    }
  }

  between(fromMs: number, toMs: number): number {
    let total = 0;
    let dayNumber = this.localDayNumber(fromMs);
    let dayStart = this.dayStart(dayNumber);
    while (dayStart.ms < toMs) {
      if (dayStart.ms >= fromMs) {
        const skip = this.skipPlainWeeks(dayNumber, dayStart, Math.floor((toMs - dayStart.ms) / WEEK_MS));
        total += skip.weeks * this.nominalWeekMs;
        dayNumber += skip.weeks * WEEK_DAYS;
        dayStart = skip.end;
      }
      const dayEnd = this.dayStart(dayNumber + 1);
      for (const segment of this.segments(dayNumber, dayStart, dayEnd)) {
        const overlap = Math.min(segment.end, toMs) - Math.max(segment.start, fromMs);
        if (overlap > 0) {
          total += overlap;
        }
      }
      dayNumber += 1;
      dayStart = dayEnd;
    }
    return total;
  }

  /**
   * How many whole weeks (at most `maxWeeks`) from local midnight `dayStart` hold exactly the nominal
   * business time, i.e. have no holiday on a day with hours and no UTC-offset change, and the start of the
   * day after them. The offset is sampled once per week, assuming (as all current tz rules do) that no two
   * offset changes cancelling each other out fall within one week; the week's end is then plain elapsed time.
   */
  private skipPlainWeeks(
    dayNumber: number,
    dayStart: DayStart,
    maxWeeks: number,
  ): { weeks: number; end: DayStart } {
    let weeks = 0;
    if (dayStart.midnight) {
      while (weeks < maxWeeks && !this.hasHolidayInWeek(dayNumber + weeks * WEEK_DAYS)) {
        const weekEndNumber = dayNumber + (weeks + 1) * WEEK_DAYS;
        const weekEndMs = dayStart.ms + (weeks + 1) * WEEK_MS;
        const known = dayStartCache.get(this.cacheKey(weekEndNumber));
        const offset = known?.ms === weekEndMs ? known.offset : this.zone.offset(weekEndMs);
        if (offset !== dayStart.offset) {
          break;
        }
        // Same offset all week: weekEndMs is that day's midnight, worth remembering.
        remember(dayStartCache, this.cacheKey(weekEndNumber), () => ({
          ms: weekEndMs,
          offset,
          midnight: true,
        }));
        weeks += 1;
      }
    }
    if (weeks === 0) {
      return { weeks, end: dayStart };
    }
    return { weeks, end: { ms: dayStart.ms + weeks * WEEK_MS, offset: dayStart.offset, midnight: true } };
  }

  private hasHolidayInWeek(firstDayNumber: number): boolean {
    for (let dayNumber = firstDayNumber; dayNumber < firstDayNumber + WEEK_DAYS; dayNumber++) {
      if (this.hours[isoWeekday(dayNumber)].length > 0 && this.isHoliday(dayNumber)) {
        return true;
      }
    }
    return false;
  }

  /** Business segments of one local day, whose instants are [dayStart, dayEnd). */
  private segments(dayNumber: number, dayStart: DayStart, dayEnd: DayStart): Segment[] {
    const hours = this.hours[isoWeekday(dayNumber)];
    if (hours.length === 0 || this.isHoliday(dayNumber)) {
      return [];
    }
    if (isOrdinaryDay(dayStart, dayEnd)) {
      // An ordinary day: wall-clock minutes map linearly onto elapsed time from local midnight.
      return hours.map(([start, end]) => ({
        start: dayStart.ms + start * MINUTE_MS,
        end: dayStart.ms + end * MINUTE_MS,
      }));
    }
    // A day with an offset change (or next to a skipped midnight): map each interval within each stretch of
    // constant offset, so skipped wall-clock times count nothing and repeated ones count twice.
    const { year, month, day } = civilDate(dayNumber);
    const segments: [number, number][] = [];
    for (const piece of this.pieces(dayNumber, dayStart.ms, dayEnd.ms)) {
      const wallMidnight = DateTime.fromObject(
        { year, month, day },
        { zone: FixedOffsetZone.instance(piece.offset) },
      ).toMillis();
      for (const [start, end] of hours) {
        const segmentStart = Math.max(wallMidnight + start * MINUTE_MS, piece.start);
        const segmentEnd = Math.min(wallMidnight + end * MINUTE_MS, piece.end);
        if (segmentStart < segmentEnd) {
          segments.push([segmentStart, segmentEnd]);
        }
      }
    }
    return mergeRanges(segments).map(([start, end]) => ({ start, end }));
  }

  /** Splits a local day, [start, end), into stretches of constant UTC offset. */
  private pieces(dayNumber: number, start: number, end: number): Piece[] {
    return remember(dayPiecesCache, this.cacheKey(dayNumber), () => this.splitByOffset(start, end));
  }

  private splitByOffset(start: number, end: number): Piece[] {
    const pieces: Piece[] = [];
    let pieceStart = start;
    while (pieceStart < end) {
      const offset = this.zone.offset(pieceStart);
      if (this.zone.offset(end - 1) === offset) {
        pieces.push({ start: pieceStart, end, offset });
        break;
      }
      const change = this.nextOffsetChange(pieceStart, end - 1, offset);
      pieces.push({ start: pieceStart, end: change, offset });
      pieceStart = change;
    }
    return pieces;
  }

  /** The first instant in (low, high] whose offset differs from `offset`, given that high's does. */
  private nextOffsetChange(low: number, high: number, offset: number): number {
    let lo = low;
    let hi = high;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.zone.offset(mid) === offset) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /**
   * The first instant of a local date. Luxon moves a skipped midnight forward to the first real instant, and
   * of a midnight that happens twice (a fall-back at 01:00, as in Cuba) it picks the later one; the day
   * starts at the earlier one. Only a midnight shortly after an offset change can happen twice, so the
   * other candidates are looked up only then.
   */
  private dayStart(dayNumber: number): DayStart {
    return remember(dayStartCache, this.cacheKey(dayNumber), () => {
      const midnight = DateTime.fromObject(civilDate(dayNumber), { zone: this.zone });
      const first =
        this.zone.offset(midnight.toMillis() - DAY_MS - HOUR_MS) === midnight.offset
          ? midnight
          : midnight
              .getPossibleOffsets()
              .reduce((earliest, other) => (other.toMillis() < earliest.toMillis() ? other : earliest));
      return { ms: first.toMillis(), offset: first.offset, midnight: first.hour === 0 && first.minute === 0 };
    });
  }

  private cacheKey(dayNumber: number): string {
    return `${this.zone.name}|${dayNumber}`;
  }

  private localDayNumber(ms: number): number {
    const local = DateTime.fromMillis(ms, { zone: this.zone });
    return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
  }

  private isHoliday(dayNumber: number): boolean {
    const date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    return this.holidayDates.has(date) || this.recurringMonthDays.has(date.slice(5));
  }
}

/**
 * A day from midnight to midnight, 24 h long with one UTC offset (no two changes cancel out within a day).
 */
function isOrdinaryDay(dayStart: DayStart, dayEnd: DayStart): boolean {
  return dayStart.midnight && dayEnd.ms - dayStart.ms === DAY_MS && dayEnd.offset === dayStart.offset;
}

/** Days since 1970-01-01 of a civil date (no time zone involved) and back. */
function civilDate(dayNumber: number): { year: number; month: number; day: number } {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % WEEK_DAYS) + WEEK_DAYS) % WEEK_DAYS) + 1;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

/** Minutes since midnight of "HH:MM"; "24:00" only where allowed; undefined when malformed. */
function parseTimeOfDay(value: unknown, allowEndOfDay: boolean): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  if (value === '24:00') {
    return allowEndOfDay ? 24 * 60 : undefined;
  }
  const match = TIME_OF_DAY.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** A real calendar date "YYYY-MM-DD" (2025-02-30 is not), returned as-is; undefined when malformed. */
function parseIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = ISO_DATE.exec(value);
  if (!match) {
    return undefined;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? value : undefined;
}

function instantOf(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(`${name} must be a valid Date`);
  }
  return ms;
}
