import { DateTime, IANAZone } from 'luxon';
import {
  addBusinessMinutes,
  BusinessHoursInterval,
  businessMinutesBetween,
  businessTimeGap,
  CALENDAR_24X7,
  CalendarSpec,
  Holiday,
  NoBusinessTimeError,
  validateCalendarSpec,
} from '../../src/sla/calendar/business-calendar';

// Instants are written as local wall-clock text in the calendar's zone with the weekday (checked) and, where
// the wall time is ambiguous (the repeated hour of a fall-back), the offset: "Sun 2024-11-03 01:30 -05:00".
// Results are shown the same way, always with the offset, so every DST expectation is explicit.

const LOCAL =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d{3})?)?)(?: ([+-]\d{2}:\d{2}))?$/;

function at(zone: string, text: string): Date {
  const match = LOCAL.exec(text);
  if (!match) {
    throw new Error(`test input "${text}" is not "Ddd YYYY-MM-DD HH:MM[:SS[.mmm]] [±HH:MM]"`);
  }
  const [, weekday, date, time, offset] = match;
  const local = offset
    ? DateTime.fromISO(`${date}T${time}${offset}`).setZone(zone)
    : DateTime.fromISO(`${date}T${time}`, { zone });
  if (!offset && local.getPossibleOffsets().length !== 1) {
    throw new Error(`test input "${text}" is ambiguous or skipped in ${zone}; add the offset`);
  }
  if (local.setLocale('en').toFormat('ccc') !== weekday || (offset && local.toFormat('ZZ') !== offset)) {
    throw new Error(`test input "${text}" is really ${show(zone, local.toJSDate())}`);
  }
  return local.toJSDate();
}

function show(zone: string, instant: Date): string {
  const local = DateTime.fromJSDate(instant, { zone }).setLocale('en');
  const seconds = local.millisecond !== 0 ? ':ss.SSS' : local.second !== 0 ? ':ss' : '';
  return local.toFormat(`ccc yyyy-MM-dd HH:mm${seconds} ZZ`);
}

function hours(days: number[], ...ranges: [string, string][]): BusinessHoursInterval[] {
  return days.flatMap((day) => ranges.map(([start, end]) => ({ day, start, end })));
}

function businessHours(
  timezone: string,
  intervals: BusinessHoursInterval[],
  holidays: Holiday[] = [],
): CalendarSpec {
  return { type: 'business_hours', timezone, businessHours: intervals, holidays };
}

const MON_FRI = [1, 2, 3, 4, 5];
const SAT = 6;
const SUN = 7;

const UTC_24X7 = CALENDAR_24X7;
const NEW_YORK_24X7: CalendarSpec = { ...CALENDAR_24X7, timezone: 'America/New_York' };
/** 8 h a day, 40 h a week. */
const NEW_YORK_9_TO_5 = businessHours('America/New_York', hours(MON_FRI, ['09:00', '17:00']));
/** New York 9–5 with a one-off Monday holiday in 2025 and Christmas every year (first given for 2019). */
const NEW_YORK_WITH_HOLIDAYS = businessHours('America/New_York', hours(MON_FRI, ['09:00', '17:00']), [
  { date: '2025-01-20', name: 'Martin Luther King Jr. Day 2025', recurring: false },
  { date: '2019-12-25', name: 'Christmas', recurring: true },
]);
/** Hours on Sunday across the DST change: 3 h on an ordinary Sunday, 2 h in March, 4 h in November. */
const NEW_YORK_EARLY_SUNDAY = businessHours('America/New_York', hours([SUN], ['01:00', '04:00']));
/** Weekend on-call across midnight: Sat 20:00–24:00 (4 h), Sun 00:00–06:00 (6 h; 5 h in March, 7 in Nov). */
const NEW_YORK_WEEKEND_ON_CALL = businessHours('America/New_York', [
  ...hours([SAT], ['20:00', '24:00']),
  ...hours([SUN], ['00:00', '06:00']),
]);
/** 9 h a day, 45 h a week, no DST. */
const SHANGHAI_9_TO_18 = businessHours('Asia/Shanghai', hours(MON_FRI, ['09:00', '18:00']));
/** Lunch break: 09:00–12:00 (3 h) and 13:30–18:00 (4.5 h) = 7.5 h a day. */
const SHANGHAI_WITH_LUNCH = businessHours(
  'Asia/Shanghai',
  hours(MON_FRI, ['09:00', '12:00'], ['13:30', '18:00']),
);
const BERLIN_9_TO_5 = businessHours('Europe/Berlin', hours(MON_FRI, ['09:00', '17:00']));
/** Sun 00:00–06:00: 6 h on an ordinary Sunday, 5 h on the last Sunday of March, 7 h on October's last. */
const BERLIN_SUNDAY_NIGHT = businessHours('Europe/Berlin', hours([SUN], ['00:00', '06:00']));
/** Cuba changes clocks at midnight; Sun 00:00–02:00 is 2 h, 1 h on 2024-03-10, 3 h on 2024-11-03. */
const HAVANA_SMALL_HOURS = businessHours('America/Havana', hours([SUN], ['00:00', '02:00']));
/** An evening desk ending at midnight: 20:00–24:00 = 4 h a day. */
const UTC_EVENINGS = businessHours('UTC', hours(MON_FRI, ['20:00', '24:00']));

/** mulberry32: a small seeded PRNG in [0, 1), so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Oddly placed Sunday intervals on the New York DST Sundays. */
const NEW_YORK_SUNDAY_01_TO_0230 = businessHours('America/New_York', hours([SUN], ['01:00', '02:30']));
const NEW_YORK_SUNDAY_0230_TO_0330 = businessHours('America/New_York', hours([SUN], ['02:30', '03:30']));
const NEW_YORK_SUNDAY_02_TO_03 = businessHours('America/New_York', hours([SUN], ['02:00', '03:00']));
const NEW_YORK_SUNDAY_00_TO_0130 = businessHours('America/New_York', hours([SUN], ['00:00', '01:30']));
const NEW_YORK_SUNDAY_0130_TO_02 = businessHours('America/New_York', hours([SUN], ['01:30', '02:00']));
const SHANGHAI_WITH_MONDAY_HOLIDAY: CalendarSpec = {
  ...SHANGHAI_9_TO_18,
  holidays: [{ date: '2024-06-10', name: 'Dragon Boat Festival', recurring: false }],
};

type AddRow = [scenario: string, start: string, minutes: number, due: string];
type BetweenRow = [scenario: string, from: string, to: string, minutes: number];

/** One test per row: `start` plus `minutes` of business time in `cal` is due at `due`. */
function addCases(cal: CalendarSpec, rows: AddRow[]): void {
  it.each(rows)('%s', (_scenario, start, minutes, due) => {
    expect(show(cal.timezone, addBusinessMinutes(cal, at(cal.timezone, start), minutes))).toBe(due);
  });
}

/** One test per row: `cal` has `minutes` of business time from `from` to `to`. */
function betweenCases(cal: CalendarSpec, rows: BetweenRow[]): void {
  it.each(rows)('%s', (_scenario, from, to, minutes) => {
    expect(businessMinutesBetween(cal, at(cal.timezone, from), at(cal.timezone, to))).toBe(minutes);
  });
}

describe('addBusinessMinutes', () => {
  describe('24x7: plain elapsed time', () => {
    addCases(UTC_24X7, [
      // 10:00 + 60 min → 11:00
      ['one hour', 'Wed 2024-05-01 10:00 +00:00', 60, 'Wed 2024-05-01 11:00 +00:00'],
      // + 0 → unchanged, at any hour
      ['zero minutes at night', 'Sat 2024-05-04 03:17 +00:00', 0, 'Sat 2024-05-04 03:17 +00:00'],
      // 10:00 + 1.5 min = 90 s → 10:01:30
      ['fractional minutes', 'Wed 2024-05-01 10:00 +00:00', 1.5, 'Wed 2024-05-01 10:01:30 +00:00'],
      // Fri 22:00 + 24 h: the weekend counts → Sat 22:00
      ['the weekend counts', 'Fri 2024-05-03 22:00 +00:00', 1440, 'Sat 2024-05-04 22:00 +00:00'],
      // Wed 2024-02-28 12:00 + 48 h: Feb 29 exists in 2024 → Fri Mar 1 12:00
      ['leap day', 'Wed 2024-02-28 12:00 +00:00', 2880, 'Fri 2024-03-01 12:00 +00:00'],
    ]);
    addCases(NEW_YORK_24X7, [
      // Sat 12:00 EST + 24 real hours; clocks spring forward Sun 02:00 → the wall clock shows 13:00 EDT
      ['the zone only changes the display', 'Sat 2024-03-09 12:00', 1440, 'Sun 2024-03-10 13:00 -04:00'],
    ]);
  });

  describe('New York, Mon–Fri 09:00–17:00: start inside business hours', () => {
    addCases(NEW_YORK_9_TO_5, [
      // Mon 10:00 + 2 h → 12:00
      ['same day', 'Mon 2024-06-03 10:00', 120, 'Mon 2024-06-03 12:00 -04:00'],
      // Mon 09:00 + 8 h = the whole day → its close, Mon 17:00 (not Tue 09:00)
      ['ends exactly at the close', 'Mon 2024-06-03 09:00', 480, 'Mon 2024-06-03 17:00 -04:00'],
      // Mon 09:00 + 8 h 1 min: Mon 8 h, Tue 09:00 + 1 min → Tue 09:01
      ['a minute past a full day', 'Mon 2024-06-03 09:00', 481, 'Tue 2024-06-04 09:01 -04:00'],
      // Fri 16:00 + 24 h: Fri 16–17 = 1 h, Mon 8 h (9), Tue 8 h (17), Wed 09:00 + 7 h → Wed 16:00
      ['Friday afternoon, 24 h', 'Fri 2024-06-07 16:00', 1440, 'Wed 2024-06-12 16:00 -04:00'],
      // Fri 16:59:30 + 1 min: 30 s on Fri, 30 s on Mon → Mon 09:00:30
      ['seconds over the weekend', 'Fri 2024-06-07 16:59:30', 1, 'Mon 2024-06-10 09:00:30 -04:00'],
    ]);
  });

  describe('New York, Mon–Fri 09:00–17:00: start outside business hours', () => {
    addCases(NEW_YORK_9_TO_5, [
      // before opening: counting starts Mon 09:00, + 1 h → 10:00
      ['before opening', 'Mon 2024-06-03 07:30', 60, 'Mon 2024-06-03 10:00 -04:00'],
      // after closing: counting starts Tue 09:00, + 1 h → Tue 10:00
      ['after closing', 'Mon 2024-06-03 18:00', 60, 'Tue 2024-06-04 10:00 -04:00'],
      // Saturday: counting starts Mon 09:00, + 1 h → Mon 10:00
      ['on the weekend', 'Sat 2024-06-08 11:00', 60, 'Mon 2024-06-10 10:00 -04:00'],
      // exactly at Friday's close: nothing left on Fri, Mon 09:00 + 30 min → Mon 09:30
      ['exactly at the close', 'Fri 2024-06-07 17:00', 30, 'Mon 2024-06-10 09:30 -04:00'],
    ]);
  });

  describe('zero minutes: the next business moment', () => {
    addCases(NEW_YORK_9_TO_5, [
      // inside hours → the start itself
      ['inside hours', 'Wed 2024-06-05 13:17', 0, 'Wed 2024-06-05 13:17 -04:00'],
      // at the opening → the start itself
      ['at the opening', 'Mon 2024-06-03 09:00', 0, 'Mon 2024-06-03 09:00 -04:00'],
      // at Friday's close the desk is closed → Mon 09:00
      ['at the close', 'Fri 2024-06-07 17:00', 0, 'Mon 2024-06-10 09:00 -04:00'],
      // Sunday night → Mon 09:00
      ['on the weekend', 'Sun 2024-06-09 23:00', 0, 'Mon 2024-06-10 09:00 -04:00'],
    ]);
    addCases(SHANGHAI_WITH_LUNCH, [
      // during lunch (12:00–13:30) → 13:30
      ['during lunch', 'Mon 2024-06-03 12:15', 0, 'Mon 2024-06-03 13:30 +08:00'],
    ]);
    addCases(NEW_YORK_WITH_HOLIDAYS, [
      // on a holiday Monday → Tue 09:00
      ['on a holiday', 'Mon 2025-01-20 10:00', 0, 'Tue 2025-01-21 09:00 -05:00'],
    ]);
    addCases(UTC_24X7, [
      // 24x7 → the start itself
      ['24x7', 'Sun 2024-06-09 23:00 +00:00', 0, 'Sun 2024-06-09 23:00 +00:00'],
    ]);
  });

  describe('fractional minutes (New York, Mon–Fri 09:00–17:00)', () => {
    addCases(NEW_YORK_9_TO_5, [
      // Mon 09:00 + 0.5 min = 30 s → 09:00:30
      ['half a minute', 'Mon 2024-06-03 09:00', 0.5, 'Mon 2024-06-03 09:00:30 -04:00'],
      // Mon 10:00 + 0.001 min = 60 ms → 10:00:00.060
      ['sixty milliseconds', 'Mon 2024-06-03 10:00', 0.001, 'Mon 2024-06-03 10:00:00.060 -04:00'],
      // Fri 16:00 + 90.25 min: Fri 16–17 = 60 min, Mon 09:00 + 30.25 min = 30 min 15 s → Mon 09:30:15
      ['a fraction over the weekend', 'Fri 2024-06-07 16:00', 90.25, 'Mon 2024-06-10 09:30:15 -04:00'],
    ]);
  });

  describe('Friday evening (Asia/Shanghai, Mon–Fri 09:00–18:00, no DST)', () => {
    addCases(SHANGHAI_9_TO_18, [
      // Fri 20:00 is after the close. 24 h: Mon 9 h, Tue 9 h (18), Wed 09:00 + 6 h → Wed 15:00
      ['opened Friday 20:00, 24 h', 'Fri 2024-06-07 20:00', 1440, 'Wed 2024-06-12 15:00 +08:00'],
      // New York springs forward that weekend, Shanghai does not: Fri 17–18 = 1 h, Mon 09:00 + 1 h → 10:00
      ['a US DST weekend changes nothing', 'Fri 2024-03-08 17:00', 120, 'Mon 2024-03-11 10:00 +08:00'],
    ]);
    addCases(SHANGHAI_WITH_MONDAY_HOLIDAY, [
      // Mon 2024-06-10 a holiday: Tue 9 h, Wed 9 h (18), Thu 09:00 + 6 h → Thu 15:00
      ['opened Friday 20:00, Monday off', 'Fri 2024-06-07 20:00', 1440, 'Thu 2024-06-13 15:00 +08:00'],
    ]);
    addCases(SHANGHAI_WITH_LUNCH, [
      // with lunch breaks, 7.5 h a day: Mon 7.5, Tue 7.5, Wed 7.5 (22.5), Thu 09:00 + 1.5 h → Thu 10:30
      ['opened Friday 20:00, lunches', 'Fri 2024-06-07 20:00', 1440, 'Thu 2024-06-13 10:30 +08:00'],
    ]);
  });

  describe('lunch break (Asia/Shanghai, 09:00–12:00 and 13:30–18:00)', () => {
    addCases(SHANGHAI_WITH_LUNCH, [
      // Mon 11:00 + 2 h: 11–12 = 1 h, 13:30 + 1 h → 14:30
      ['across lunch', 'Mon 2024-06-03 11:00', 120, 'Mon 2024-06-03 14:30 +08:00'],
      // Mon 11:00 + 1 h: 11–12 = 1 h → the morning's close, 12:00
      ['ends exactly at lunch', 'Mon 2024-06-03 11:00', 60, 'Mon 2024-06-03 12:00 +08:00'],
      // Mon 12:15 (lunch) + 30 min: counting starts 13:30 → 14:00
      ['start during lunch', 'Mon 2024-06-03 12:15', 30, 'Mon 2024-06-03 14:00 +08:00'],
      // Mon 09:00 + 7.5 h: 3 h + 4.5 h = the whole day → 18:00
      ['a whole day', 'Mon 2024-06-03 09:00', 450, 'Mon 2024-06-03 18:00 +08:00'],
      // Mon 09:00 + 7.5 h + 1 min → Tue 09:01
      ['a whole day and a minute', 'Mon 2024-06-03 09:00', 451, 'Tue 2024-06-04 09:01 +08:00'],
    ]);
  });

  describe('holidays (New York 09:00–17:00; 2025-01-20 one-off, Dec 25 recurring)', () => {
    addCases(NEW_YORK_WITH_HOLIDAYS, [
      // Fri 16:00 + 2 h: Fri 1 h, Mon 2025-01-20 holiday, Tue 09:00 + 1 h → Tue 10:00
      ['one-off Monday holiday', 'Fri 2025-01-17 16:00', 120, 'Tue 2025-01-21 10:00 -05:00'],
      // start on the holiday: counting starts Tue 09:00, + 1 h → Tue 10:00
      ['start on a holiday', 'Mon 2025-01-20 10:00', 60, 'Tue 2025-01-21 10:00 -05:00'],
      // the one-off does not recur: Tue 2026-01-20 is a working day, 10:00 + 1 h → 11:00
      ['a one-off does not recur', 'Tue 2026-01-20 10:00', 60, 'Tue 2026-01-20 11:00 -05:00'],
      // Christmas (recurring) on Mon 2023-12-25: Fri 1 h, Mon off, Tue 09:00 + 1 h → Tue 10:00
      ['recurring Monday holiday', 'Fri 2023-12-22 16:00', 120, 'Tue 2023-12-26 10:00 -05:00'],
      // Christmas on Mon 2028-12-25, nine years after the date given: Fri 1 h, Tue 09:00 + 1 h → Tue 10:00
      ['recurring, a later year', 'Fri 2028-12-22 16:00', 120, 'Tue 2028-12-26 10:00 -05:00'],
      // Christmas on Mon 2017-12-25, before the date given (every year means every year) → Tue 10:00
      ['recurring, an earlier year', 'Fri 2017-12-22 16:00', 120, 'Tue 2017-12-26 10:00 -05:00'],
      // Christmas on Sat 2027-12-25 takes nothing: Fri 1 h, Mon 09:00 + 1 h → Mon 10:00
      ['a holiday on a Saturday', 'Fri 2027-12-24 16:00', 120, 'Mon 2027-12-27 10:00 -05:00'],
      // Mon 2023-12-04 09:00 + 160 h: weeks of Dec 4, 11, 18 = 120 h, week of Dec 25 = 32 h (Christmas)
      // → 152 h, Mon 2024-01-01 (no holiday in this calendar) 09:00 + 8 h → Mon 17:00
      ['weeks around a holiday', 'Mon 2023-12-04 09:00', 160 * 60, 'Mon 2024-01-01 17:00 -05:00'],
    ]);
  });

  describe('DST with 09:00–17:00 days: still 8 h a day', () => {
    addCases(NEW_YORK_9_TO_5, [
      // New York springs forward Sun 2024-03-10. Fri 16:00 EST + 2 h: Fri 1 h, Mon 09:00 EDT + 1 h → 10:00
      ['New York, March weekend', 'Fri 2024-03-08 16:00', 120, 'Mon 2024-03-11 10:00 -04:00'],
      // Mon 2024-03-04 09:00 + 48 h: Mon–Fri 40 h, Mon 2024-03-11 09:00 + 8 h → Mon 17:00 EDT
      ['New York, a week over March', 'Mon 2024-03-04 09:00', 2880, 'Mon 2024-03-11 17:00 -04:00'],
      // New York falls back Sun 2024-11-03. Fri 16:00 EDT + 2 h: Fri 1 h, Mon 09:00 EST + 1 h → 10:00
      ['New York, November weekend', 'Fri 2024-11-01 16:00', 120, 'Mon 2024-11-04 10:00 -05:00'],
    ]);
    addCases(BERLIN_9_TO_5, [
      // Berlin springs forward Sun 2024-03-31. Fri 16:00 CET + 2 h: Fri 1 h, Mon 09:00 CEST + 1 h → 10:00
      ['Berlin, March weekend', 'Fri 2024-03-29 16:00', 120, 'Mon 2024-04-01 10:00 +02:00'],
      // Berlin falls back Sun 2024-10-27. Fri 16:00 CEST + 2 h: Fri 1 h, Mon 09:00 CET + 1 h → 10:00
      ['Berlin, October weekend', 'Fri 2024-10-25 16:00', 120, 'Mon 2024-10-28 10:00 +01:00'],
    ]);
  });

  describe('DST inside business hours: New York, Sun 01:00–04:00', () => {
    addCases(NEW_YORK_EARLY_SUNDAY, [
      // Sun 2024-03-10 01:00–04:00 is 2 real hours (02:00 EST → 03:00 EDT). 01:00 EST + 1 h = 03:00 EDT, + 30
      ['March: 90 min from opening', 'Sun 2024-03-10 01:00', 90, 'Sun 2024-03-10 03:30 -04:00'],
      // Sat noon + 2 h: all of that Sunday's 2 h → its close, 04:00 EDT
      ['March: the whole short Sunday', 'Sat 2024-03-09 12:00', 120, 'Sun 2024-03-10 04:00 -04:00'],
      // Sat noon + 2 h 1 min: the short Sunday's 2 h, next Sunday 01:00 + 1 min → 01:01
      ['March: one minute more', 'Sat 2024-03-09 12:00', 121, 'Sun 2024-03-17 01:01 -04:00'],
      // Sun 2024-11-03 01:00–04:00 is 4 real hours (01:00–02:00 twice). 01:00 EDT + 30 min → 01:30 EDT
      ['November: the first 01:30', 'Sun 2024-11-03 01:00 -04:00', 30, 'Sun 2024-11-03 01:30 -04:00'],
      // 01:00 EDT + 90 min: 01:00–02:00 EDT = 60 min, then 01:00 EST + 30 min → 01:30 EST
      ['November: the second 01:30', 'Sun 2024-11-03 01:00 -04:00', 90, 'Sun 2024-11-03 01:30 -05:00'],
      // start in the repeated hour's second pass: 01:30 EST + 1 h → 02:30 EST
      ['November: start in the repeat', 'Sun 2024-11-03 01:30 -05:00', 60, 'Sun 2024-11-03 02:30 -05:00'],
    ]);
  });

  describe('DST inside business hours: New York weekend on-call, Sat 20:00–24:00 and Sun 00:00–06:00', () => {
    addCases(NEW_YORK_WEEKEND_ON_CALL, [
      // Sat 23:00 + 3 h: Sat 23–24 = 1 h, Sun 00:00 EST + 2 h = 02:00 EST = 03:00 EDT
      ['March: across midnight', 'Sat 2024-03-09 23:00', 180, 'Sun 2024-03-10 03:00 -04:00'],
      // Sat 23:00 EDT + 3 h: Sat 1 h, Sun 00:00 EDT + 1 h = 01:00 EDT, + 1 h = 01:00 EST (the hour repeats)
      ['November: across midnight', 'Sat 2024-11-02 23:00', 180, 'Sun 2024-11-03 01:00 -05:00'],
    ]);
  });

  describe('DST inside business hours: Berlin, Sun 00:00–06:00', () => {
    addCases(BERLIN_SUNDAY_NIGHT, [
      // Sun 2024-03-31 02:00 CET → 03:00 CEST. 01:00 CET + 1 h = 03:00 CEST, + 30 min → 03:30 CEST
      ['March: over the missing hour', 'Sun 2024-03-31 01:00', 90, 'Sun 2024-03-31 03:30 +02:00'],
      // Sun 2024-10-27 03:00 CEST → 02:00 CET. 01:30 CEST + 1 h → 02:30 CEST (first pass)
      ['October: the first 02:30', 'Sun 2024-10-27 01:30', 60, 'Sun 2024-10-27 02:30 +02:00'],
      // 01:30 CEST + 2 h: 01:30–03:00 CEST = 90 min, then 02:00 CET + 30 min → 02:30 CET (second pass)
      ['October: the second 02:30', 'Sun 2024-10-27 01:30', 120, 'Sun 2024-10-27 02:30 +01:00'],
      // Sat noon + 6 h: that Sunday's 00:00–06:00 holds 7 h; 6 h after 00:00 CEST is 05:00 CET
      ['October: 6 h of a 7 h night', 'Sat 2024-10-26 12:00', 360, 'Sun 2024-10-27 05:00 +01:00'],
    ]);
  });

  describe('intervals that start or end inside a DST change', () => {
    addCases(NEW_YORK_SUNDAY_02_TO_03, [
      // Sun 02:00–03:00 does not exist on 2024-03-10: no business time that day. Sat noon + 30 min →
      // next Sunday 02:00 + 30 min → Sun 2024-03-17 02:30
      ['inside the missing hour', 'Sat 2024-03-09 12:00', 30, 'Sun 2024-03-17 02:30 -04:00'],
    ]);
    addCases(NEW_YORK_SUNDAY_00_TO_0130, [
      // Sun 00:00–01:30 on 2024-11-03: 00:00–01:30 EDT = 90 min, then 01:00–01:30 EST = 30 min.
      // 00:00 EDT + 100 min: 90 min, then 01:00 EST + 10 min → 01:10 EST
      ['ending in the repeated hour', 'Sun 2024-11-03 00:00', 100, 'Sun 2024-11-03 01:10 -05:00'],
    ]);
    addCases(HAVANA_SMALL_HOURS, [
      // Havana Sun 2024-11-03 00:00–02:00 holds 3 h. Sat 23:00 + 90: 00:00 CDT + 60 = 00:00 CST, + 30 → 00:30
      ['Havana: from the first midnight', 'Sat 2024-11-02 23:00', 90, 'Sun 2024-11-03 00:30 -05:00'],
    ]);
  });

  describe('end of day "24:00" (UTC, Mon–Fri 20:00–24:00)', () => {
    addCases(UTC_EVENINGS, [
      // Fri 23:00 + 2 h: Fri 23–24 = 1 h, Mon 20:00 + 1 h → Mon 21:00
      ['across the weekend', 'Fri 2024-06-07 23:00', 120, 'Mon 2024-06-10 21:00 +00:00'],
      // Mon 20:00 + 4 h = the whole evening → its close, midnight, which is Tue 00:00
      ['ends exactly at midnight', 'Mon 2024-06-03 20:00', 240, 'Tue 2024-06-04 00:00 +00:00'],
      // Tue 00:00 is Monday's close: zero minutes → Tue 20:00
      ['zero minutes at midnight', 'Tue 2024-06-04 00:00', 0, 'Tue 2024-06-04 20:00 +00:00'],
    ]);
  });

  describe('many weeks', () => {
    addCases(NEW_YORK_9_TO_5, [
      // 520 h / 40 h a week = 13 weeks from Mon 2024-01-01 09:00 → Fri of week 13 = 2024-03-29, 17:00 EDT
      ['13 weeks over March', 'Mon 2024-01-01 09:00', 520 * 60, 'Fri 2024-03-29 17:00 -04:00'],
      // 10,000 h / 40 h a week = 250 weeks exactly: Mon 2024-01-01 + 249 weeks + 4 days = + 1747 days
      // = Fri 2028-10-13 (1747 − 366 − 365 − 365 − 365 = day 286 of 2028), at its close 17:00 EDT
      ['10,000 h from a Monday', 'Mon 2024-01-01 09:00', 10_000 * 60, 'Fri 2028-10-13 17:00 -04:00'],
      // Fri 2024-01-05 16:00 + 10,000 h: Fri 1 h, 249 weeks from Mon 2024-01-08 = 9,960 h (to 2028-10-13),
      // Mon–Thu 2028-10-16..19 = 32 h (9,993), Fri 2028-10-20 09:00 + 7 h → 16:00
      ['10,000 h from a Friday', 'Fri 2024-01-05 16:00', 10_000 * 60, 'Fri 2028-10-20 16:00 -04:00'],
    ]);
    addCases(SHANGHAI_9_TO_18, [
      // 45 h a week, no DST: 900 h = 20 weeks from Mon 2024-01-01 09:00 → Fri 2024-05-17 (+137 days) 18:00
      ['20 weeks', 'Mon 2024-01-01 09:00', 900 * 60, 'Fri 2024-05-17 18:00 +08:00'],
    ]);
    addCases(UTC_24X7, [
      // 10,000 h = 416 days 16 h; Mon 2024-01-01 00:00 + 416 days = 2025-01-01 (+366) + 50 days
      // = Thu 2025-02-20, + 16 h → 16:00
      ['10,000 h on 24x7', 'Mon 2024-01-01 00:00 +00:00', 10_000 * 60, 'Thu 2025-02-20 16:00 +00:00'],
    ]);
  });
});

describe('businessMinutesBetween', () => {
  describe('24x7', () => {
    betweenCases(NEW_YORK_24X7, [
      // Fri 17:00 EST → Mon 09:00 EDT: 64 wall-clock hours, one of them skipped → 63 h = 3,780 min
      ['real time over spring-forward', 'Fri 2024-03-08 17:00', 'Mon 2024-03-11 09:00', 3780],
    ]);
    betweenCases(UTC_24X7, [
      // 10:00 → 10:00:30 = 0.5 min
      ['a fraction of a minute', 'Wed 2024-05-01 10:00 +00:00', 'Wed 2024-05-01 10:00:30 +00:00', 0.5],
      // to == from → 0
      ['an empty span', 'Wed 2024-05-01 10:00 +00:00', 'Wed 2024-05-01 10:00 +00:00', 0],
      // to < from → 0, not negative
      ['a reversed span', 'Wed 2024-05-01 11:00 +00:00', 'Wed 2024-05-01 10:00 +00:00', 0],
    ]);
  });

  describe('New York, Mon–Fri 09:00–17:00', () => {
    betweenCases(NEW_YORK_9_TO_5, [
      // a pause from Fri 15:30 to Mon 10:15: Fri 15:30–17:00 = 90 min, Mon 09:00–10:15 = 75 min → 165
      ['a pause over a weekend', 'Fri 2024-06-07 15:30', 'Mon 2024-06-10 10:15', 165],
      // Mon 18:00 → Tue 08:00: closed all night → 0
      ['overnight', 'Mon 2024-06-03 18:00', 'Tue 2024-06-04 08:00', 0],
      // Sat → Sun: weekend → 0
      ['weekend only', 'Sat 2024-06-08 08:00', 'Sun 2024-06-09 20:00', 0],
      // Mon 10:00 → 10:00:00.001 = 1 ms = 1/60,000 min
      ['one millisecond', 'Mon 2024-06-03 10:00', 'Mon 2024-06-03 10:00:00.001', 1 / 60_000],
      // to == from → 0
      ['an empty span', 'Mon 2024-06-03 12:00', 'Mon 2024-06-03 12:00', 0],
      // to < from → 0
      ['a reversed span', 'Mon 2024-06-03 12:00', 'Mon 2024-06-03 10:00', 0],
      // Fri 09:00 EST → Mon 17:00 EDT over spring-forward: Fri 8 h + Mon 8 h = 16 h = 960 min
      ['March DST weekend', 'Fri 2024-03-08 09:00', 'Mon 2024-03-11 17:00', 960],
      // Fri 16:00 EDT → Mon 10:00 EST over fall-back: Fri 1 h + Mon 1 h = 120 min
      ['November DST weekend', 'Fri 2024-11-01 16:00', 'Mon 2024-11-04 10:00', 120],
      // Mon 2024-01-01 09:00 → Mon 2024-04-01 09:00 = 13 weeks × 40 h = 520 h = 31,200 min
      ['13 weeks', 'Mon 2024-01-01 09:00', 'Mon 2024-04-01 09:00', 31_200],
      // all of 2024: 366 days from a Monday = 52 weeks + Mon, Tue → 262 weekdays × 8 h = 2,096 h = 125,760
      ['a whole leap year', 'Mon 2024-01-01 00:00', 'Wed 2025-01-01 00:00', 125_760],
    ]);
    betweenCases(NEW_YORK_WITH_HOLIDAYS, [
      // 2024 with Christmas (Wed 2024-12-25) off: 2,096 h − 8 h = 2,088 h = 125,280 min
      ['a leap year with a recurring holiday', 'Mon 2024-01-01 00:00', 'Wed 2025-01-01 00:00', 125_280],
      // Fri 2025-01-17 09:00 → Wed 2025-01-22 09:00: Fri 8 h, Mon off, Tue 8 h → 16 h = 960 min
      ['over a Monday holiday', 'Fri 2025-01-17 09:00', 'Wed 2025-01-22 09:00', 960],
    ]);
  });

  describe('lunch break and Shanghai', () => {
    betweenCases(SHANGHAI_WITH_LUNCH, [
      // Mon 11:30 → 14:00: 11:30–12:00 = 30 min, 13:30–14:00 = 30 min → 60
      ['across lunch', 'Mon 2024-06-03 11:30', 'Mon 2024-06-03 14:00', 60],
      // whole week Mon 00:00 → Mon 00:00: 5 × 7.5 h = 37.5 h = 2,250 min
      ['a week with lunches', 'Mon 2024-06-03 00:00', 'Mon 2024-06-10 00:00', 2250],
    ]);
    betweenCases(SHANGHAI_9_TO_18, [
      // Friday-evening ticket, Fri 20:00 → Wed 15:00: Mon 9 h + Tue 9 h + Wed 6 h = 24 h = 1,440 min
      ['Friday evening to Wednesday', 'Fri 2024-06-07 20:00', 'Wed 2024-06-12 15:00', 1440],
    ]);
  });

  describe('DST inside business hours', () => {
    betweenCases(NEW_YORK_EARLY_SUNDAY, [
      // Sun 2024-03-10 01:00–04:00: 01:00–02:00 EST, 03:00–04:00 EDT → 2 h = 120 min
      ['New York March: 01–04 is 2 h', 'Sat 2024-03-09 00:00', 'Mon 2024-03-11 00:00', 120],
      // an ordinary Sunday a week later: 3 h = 180 min
      ['New York, ordinary Sunday: 3 h', 'Sat 2024-03-16 00:00', 'Mon 2024-03-18 00:00', 180],
      // Sun 2024-11-03 01:00–04:00: 01–02 EDT, 01–02 EST, 02–04 EST → 4 h = 240 min
      ['New York November: 01–04 is 4 h', 'Sat 2024-11-02 00:00', 'Mon 2024-11-04 00:00', 240],
    ]);
    betweenCases(NEW_YORK_WEEKEND_ON_CALL, [
      // Sat 20:00 → Sun 06:00 EDT: Sat 4 h + Sun 00:00–06:00 with an hour skipped (5 h) = 9 h = 540 min
      ['New York March: on-call weekend', 'Sat 2024-03-09 20:00', 'Sun 2024-03-10 06:00', 540],
      // Sat 20:00 → Sun 06:00 EST: Sat 4 h + Sun 00:00–06:00 with an hour repeated (7 h) = 11 h = 660 min
      ['New York November: on-call weekend', 'Sat 2024-11-02 20:00', 'Sun 2024-11-03 06:00', 660],
    ]);
    betweenCases(BERLIN_SUNDAY_NIGHT, [
      // Sun 2024-03-31 00:00–06:00, 02:00–03:00 skipped → 5 h = 300 min
      ['Berlin March: 00–06 is 5 h', 'Sat 2024-03-30 00:00', 'Mon 2024-04-01 00:00', 300],
      // Sun 2024-10-27 00:00–06:00, 02:00–03:00 repeated → 7 h = 420 min
      ['Berlin October: 00–06 is 7 h', 'Sat 2024-10-26 00:00', 'Mon 2024-10-28 00:00', 420],
    ]);
    betweenCases(BERLIN_9_TO_5, [
      // Mon 2024-03-25 → Mon 2024-04-01, the March change on Sunday: 5 × 8 h = 2,400 min
      ['Berlin 9–5, the March week', 'Mon 2024-03-25 00:00', 'Mon 2024-04-01 00:00', 2400],
      // Mon 2024-10-21 → Mon 2024-10-28, the October change on Sunday: 5 × 8 h = 2,400 min
      ['Berlin 9–5, the October week', 'Mon 2024-10-21 00:00', 'Mon 2024-10-28 00:00', 2400],
    ]);
    betweenCases(HAVANA_SMALL_HOURS, [
      // Havana skips midnight on Sun 2024-03-10 (00:00 CST → 01:00 CDT): of 00–02 only 01–02 exists → 60
      ['Havana March: the day starts at 01:00', 'Sat 2024-03-09 00:00', 'Mon 2024-03-11 00:00', 60],
      // Havana has midnight twice on Sun 2024-11-03 (01:00 CDT → 00:00 CST): 00–01 CDT + 00–02 CST → 180 min
      ['Havana November: two midnights', 'Sat 2024-11-02 00:00', 'Mon 2024-11-04 00:00', 180],
    ]);
  });

  describe('intervals that start or end inside a DST change (New York)', () => {
    // Sun 01:00–02:30 on 2024-03-10: only 01:00–02:00 EST exists → 60 min
    betweenCases(NEW_YORK_SUNDAY_01_TO_0230, [
      ['ending in the gap', 'Sat 2024-03-09 00:00', 'Mon 2024-03-11 00:00', 60],
    ]);
    // Sun 02:30–03:30 on 2024-03-10: only 03:00–03:30 EDT exists → 30 min
    betweenCases(NEW_YORK_SUNDAY_0230_TO_0330, [
      ['starting in the gap', 'Sat 2024-03-09 00:00', 'Mon 2024-03-11 00:00', 30],
    ]);
    // Sun 02:00–03:00 on 2024-03-10 does not exist → 0
    betweenCases(NEW_YORK_SUNDAY_02_TO_03, [
      ['inside the gap', 'Sat 2024-03-09 00:00', 'Mon 2024-03-11 00:00', 0],
    ]);
    // Sun 00:00–01:30 on 2024-11-03: 00:00–01:30 EDT (90) + 01:00–01:30 EST (30) → 120 min
    betweenCases(NEW_YORK_SUNDAY_00_TO_0130, [
      ['ending in the repeat', 'Sat 2024-11-02 00:00', 'Mon 2024-11-04 00:00', 120],
    ]);
    // Sun 01:30–02:00 on 2024-11-03: 01:30–02:00 EDT (30) + 01:30–02:00 EST (30) → 60 min
    betweenCases(NEW_YORK_SUNDAY_0130_TO_02, [
      ['inside the repeat', 'Sat 2024-11-02 00:00', 'Mon 2024-11-04 00:00', 60],
    ]);
  });

  describe('end of day "24:00" (UTC, Mon–Fri 20:00–24:00)', () => {
    betweenCases(UTC_EVENINGS, [
      // Mon 00:00 → Sat 00:00: 5 evenings × 4 h = 20 h = 1,200 min
      ['a week of evenings', 'Mon 2024-06-03 00:00', 'Sat 2024-06-08 00:00', 1200],
      // Mon 23:30 → Tue 20:30: Mon 23:30–24:00 = 30, Tue 20:00–20:30 = 30 → 60 min
      ['across midnight', 'Mon 2024-06-03 23:30', 'Tue 2024-06-04 20:30', 60],
    ]);
  });
});

describe('addBusinessMinutes and businessMinutesBetween agree', () => {
  const RANGE_START = Date.UTC(2023, 0, 1);
  const RANGE_END = Date.UTC(2029, 0, 1);
  const calendars: [string, CalendarSpec][] = [
    ['24x7', UTC_24X7],
    ['New York 9–5', NEW_YORK_9_TO_5],
    ['New York with holidays', NEW_YORK_WITH_HOLIDAYS],
    ['New York early Sunday', NEW_YORK_EARLY_SUNDAY],
    ['New York weekend on-call', NEW_YORK_WEEKEND_ON_CALL],
    ['Shanghai with lunch', SHANGHAI_WITH_LUNCH],
    ['Berlin Sunday night', BERLIN_SUNDAY_NIGHT],
    ['UTC evenings', UTC_EVENINGS],
  ];

  it.each(calendars)('between(a, add(a, m)) === m on %s (200 seeded cases)', (_name, cal) => {
    const random = prng(20240310);
    for (let i = 0; i < 200; i++) {
      const a = new Date(RANGE_START + Math.floor(random() * (RANGE_END - RANGE_START)));
      // whole minutes, or a whole number of milliseconds expressed in minutes
      const m = i % 2 === 0 ? Math.floor(random() * 20_000) : Math.floor(random() * 20_000 * 60_000) / 60_000;
      const due = addBusinessMinutes(cal, a, m);
      expect({ a: a.toISOString(), m, between: businessMinutesBetween(cal, a, due) }).toEqual({
        a: a.toISOString(),
        m,
        between: m,
      });
    }
  });

  it.each(calendars)('add(a, between(a, b)) === b when b is a business moment, on %s', (_name, cal) => {
    const random = prng(20241103);
    for (let i = 0; i < 60; i++) {
      const a = new Date(RANGE_START + Math.floor(random() * (RANGE_END - RANGE_START)));
      const b = addBusinessMinutes(cal, a, 1 + Math.floor(random() * 20_000));
      expect(addBusinessMinutes(cal, a, businessMinutesBetween(cal, a, b)).toISOString()).toBe(
        b.toISOString(),
      );
    }
  });
});

describe('against a brute-force count around DST changes', () => {
  // The reference looks at every 5-minute slot and asks luxon for its local weekday and time. Every interval
  // edge and every DST change below falls on a 5-minute boundary, so counting slots is exact.
  const SLOT_MINUTES = 5;
  const SLOT_MS = SLOT_MINUTES * 60_000;

  function isBusinessSlot(cal: CalendarSpec, slotStart: number): boolean {
    const local = DateTime.fromMillis(slotStart, { zone: cal.timezone });
    const minuteOfDay = local.hour * 60 + local.minute;
    const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    const isHoliday = cal.holidays.some((h) =>
      h.recurring ? h.date.slice(5) === local.toFormat('MM-dd') : h.date === local.toISODate(),
    );
    return (
      !isHoliday &&
      cal.businessHours.some(
        (i) => i.day === local.weekday && toMinutes(i.start) <= minuteOfDay && minuteOfDay < toMinutes(i.end),
      )
    );
  }

  function bruteBetween(cal: CalendarSpec, from: number, to: number): number {
    let slots = 0;
    for (let t = from; t < to; t += SLOT_MS) {
      slots += isBusinessSlot(cal, t) ? 1 : 0;
    }
    return slots * SLOT_MINUTES;
  }

  function bruteAdd(cal: CalendarSpec, start: number, minutes: number): number {
    let t = start;
    while (!isBusinessSlot(cal, t)) {
      t += SLOT_MS;
    }
    for (let counted = 0; counted < minutes; t += SLOT_MS) {
      counted += isBusinessSlot(cal, t) ? SLOT_MINUTES : 0;
    }
    return t;
  }

  // Many short intervals that start, end or sit inside the changed hour, on both sides of midnight.
  const edgy = (timezone: string): CalendarSpec =>
    businessHours(
      timezone,
      hours(
        [SAT, SUN, 1],
        ['00:00', '01:30'],
        ['01:45', '02:15'],
        ['02:30', '03:05'],
        ['03:30', '04:00'],
        ['05:00', '24:00'],
      ),
      [{ date: '2024-03-09', name: 'a Saturday off', recurring: false }],
    );
  const transitions: [string, CalendarSpec, string][] = [
    ['New York March', edgy('America/New_York'), '2024-03-10T07:00:00Z'],
    ['New York November', edgy('America/New_York'), '2024-11-03T06:00:00Z'],
    ['Berlin March', edgy('Europe/Berlin'), '2024-03-31T01:00:00Z'],
    ['Berlin October', edgy('Europe/Berlin'), '2024-10-27T01:00:00Z'],
    // Cuba changes clocks at midnight: 2024-03-10 has no 00:00 (00:00 → 01:00), 2024-11-03 has two.
    ['Havana March', edgy('America/Havana'), '2024-03-10T05:00:00Z'],
    ['Havana November', edgy('America/Havana'), '2024-11-03T05:00:00Z'],
    ['New York on-call, March', NEW_YORK_WEEKEND_ON_CALL, '2024-03-10T07:00:00Z'],
    ['Berlin Sunday night, October', BERLIN_SUNDAY_NIGHT, '2024-10-27T01:00:00Z'],
  ];

  it.each(transitions)('%s: 20 seeded spans and targets', (_name, cal, change) => {
    const random = prng(Date.parse(change) / 1000);
    const nextSlot = (limit: number) => Math.floor(random() * limit);
    for (let i = 0; i < 20; i++) {
      // from up to 30 h before the change, to up to 40 h after from; targets up to 10 h
      const from = Date.parse(change) - nextSlot(360) * SLOT_MS;
      const to = from + nextSlot(480) * SLOT_MS;
      const minutes = nextSlot(120) * SLOT_MINUTES;
      expect([from, to, businessMinutesBetween(cal, new Date(from), new Date(to))]).toEqual([
        from,
        to,
        bruteBetween(cal, from, to),
      ]);
      expect([from, minutes, addBusinessMinutes(cal, new Date(from), minutes).getTime()]).toEqual([
        from,
        minutes,
        bruteAdd(cal, from, minutes),
      ]);
    }
  });
});

describe('no minute stepping', () => {
  afterEach(() => jest.restoreAllMocks());

  it('adds 10,000 business hours with far fewer zone look-ups than the 1,250 business days it spans', () => {
    const fromObject = jest.spyOn(DateTime, 'fromObject');
    const offset = jest.spyOn(IANAZone.prototype, 'offset');
    const due = addBusinessMinutes(
      NEW_YORK_9_TO_5,
      at('America/New_York', 'Mon 2024-01-01 09:00'),
      10_000 * 60,
    );
    expect(show('America/New_York', due)).toBe('Fri 2028-10-13 17:00 -04:00');
    expect(fromObject.mock.calls.length + offset.mock.calls.length).toBeLessThan(1250);
  });
});

describe('calendars without business time', () => {
  it('refuses a business_hours calendar with no intervals instead of looping', () => {
    const empty = businessHours('UTC', []);
    expect(() => addBusinessMinutes(empty, new Date('2024-01-01T00:00:00Z'), 60)).toThrow(
      /Invalid business calendar: businessHours: /,
    );
  });

  it('gives up after ten years when holidays cover every day', () => {
    const everyDay: Holiday[] = [];
    for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2025, 0, 1); day += 86_400_000) {
      everyDay.push({ date: new Date(day).toISOString().slice(0, 10), name: 'closed', recurring: true });
    }
    const neverOpen = businessHours('UTC', hours(MON_FRI, ['09:00', '17:00']), everyDay);
    expect(() => addBusinessMinutes(neverOpen, new Date('2024-01-01T00:00:00Z'), 1)).toThrow(
      /no business time/,
    );
    // A named error, so the SLA timers can tell it from a broken calendar.
    expect(() => addBusinessMinutes(neverOpen, new Date('2024-01-01T00:00:00Z'), 1)).toThrow(
      NoBusinessTimeError,
    );
    // with no business time, nothing elapses; the span is bounded, so this returns
    expect(
      businessMinutesBetween(neverOpen, new Date('2024-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')),
    ).toBe(0);
  });
});

describe('businessTimeGap: a year without business time ahead', () => {
  const from = new Date('2025-03-03T00:00:00Z');
  const days = (first: string, count: number, recurring = false): Holiday[] =>
    Array.from({ length: count }, (_, i) => ({
      date: new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
      name: 'closed',
      recurring,
    }));

  it('finds none in 24x7 or in an ordinary office calendar', () => {
    expect(businessTimeGap(CALENDAR_24X7, from)).toBeUndefined();
    expect(
      businessTimeGap(businessHours('Europe/Berlin', hours(MON_FRI, ['09:00', '17:00'])), from),
    ).toBeUndefined();
  });

  it('finds the first year when every month-day is a recurring holiday', () => {
    const neverOpen = businessHours('UTC', hours(MON_FRI, ['09:00', '17:00']), days('2024-01-01', 366, true));
    // from 2025-03-03 + 366 days = 2026-03-04
    expect(businessTimeGap(neverOpen, from)).toEqual({
      from: new Date('2025-03-03T00:00:00Z'),
      to: new Date('2026-03-04T00:00:00Z'),
    });
  });

  it('finds a year of dated holidays starting within the look-ahead, not a shorter closure', () => {
    const mondays = (holidays: Holiday[]) => businessHours('UTC', hours([1], ['09:00', '17:00']), holidays);
    // Closed every day of 2027-03-01 … 2028-03-05 (371 days): the window from 2027-03-03 (2 × 365 days on) has
    // no business time.
    expect(businessTimeGap(mondays(days('2027-03-01', 371)), from)).toEqual({
      from: new Date('2027-03-03T00:00:00Z'),
      to: new Date('2028-03-03T00:00:00Z'),
    });
    // 300 days closed: every window still holds a Monday.
    expect(businessTimeGap(mondays(days('2025-03-03', 300)), from)).toBeUndefined();
    // Past the ten years looked at: not reported.
    expect(businessTimeGap(mondays(days('2036-01-01', 400)), from)).toBeUndefined();
  });
});

describe('bad arguments', () => {
  const monday = new Date('2024-06-03T13:00:00Z');

  it.each([
    ['negative minutes', () => addBusinessMinutes(NEW_YORK_9_TO_5, monday, -1), RangeError],
    ['NaN minutes', () => addBusinessMinutes(NEW_YORK_9_TO_5, monday, Number.NaN), RangeError],
    ['infinite minutes', () => addBusinessMinutes(UTC_24X7, monday, Number.POSITIVE_INFINITY), RangeError],
    ['101 years of minutes', () => addBusinessMinutes(NEW_YORK_9_TO_5, monday, 101 * 365 * 1440), RangeError],
    ['invalid start', () => addBusinessMinutes(UTC_24X7, new Date('nope'), 1), RangeError],
    ['invalid to', () => businessMinutesBetween(UTC_24X7, monday, new Date('nope')), RangeError],
    [
      'unknown time zone',
      () => addBusinessMinutes({ ...NEW_YORK_9_TO_5, timezone: 'Mars/Olympus_Mons' }, monday, 1),
      /^Invalid business calendar: timezone: unknown IANA time zone "Mars\/Olympus_Mons"$/,
    ],
  ])('%s throws', (_name, call, expected) => {
    expect(call).toThrow(expected);
  });
});

describe('validateCalendarSpec', () => {
  const fieldsOf = (cal: CalendarSpec) => validateCalendarSpec(cal).map((problem) => problem.field);
  const mondaysWithHoliday = (date: string, recurring = false) =>
    businessHours('UTC', hours([1], ['09:00', '17:00']), [{ date, name: 'a holiday', recurring }]);

  it.each<[string, CalendarSpec]>([
    ['the 24x7 calendar', CALENDAR_24X7],
    ['New York 9–5 with holidays', NEW_YORK_WITH_HOLIDAYS],
    ['two intervals a day (lunch)', SHANGHAI_WITH_LUNCH],
    [
      'intervals that touch (12:00 end, 12:00 start)',
      businessHours('UTC', hours([1], ['09:00', '12:00'], ['12:00', '13:00'])),
    ],
    [
      'the same hours on different days',
      businessHours('UTC', [...hours([1], ['09:00', '12:00']), ...hours([2], ['11:00', '13:00'])]),
    ],
    ['"24:00" as an end and "00:00" as a start', UTC_EVENINGS],
    ['a whole day', businessHours('UTC', hours([SUN], ['00:00', '24:00']))],
    ['a recurring 29 February', mondaysWithHoliday('2024-02-29', true)],
  ])('accepts %s', (_name, cal) => {
    expect(validateCalendarSpec(cal)).toEqual([]);
  });

  it.each<[string, CalendarSpec, string[]]>([
    ['an unknown time zone', { ...NEW_YORK_9_TO_5, timezone: 'Mars/Olympus_Mons' }, ['timezone']],
    ['a fixed offset instead of a zone', { ...NEW_YORK_9_TO_5, timezone: '+05:00' }, ['timezone']],
    ['an unknown type', { ...NEW_YORK_9_TO_5, type: 'always' as CalendarSpec['type'] }, ['type']],
    ['business_hours with no intervals', businessHours('UTC', []), ['businessHours']],
    [
      'day 0 and day 8',
      businessHours('UTC', [...hours([0], ['09:00', '17:00']), ...hours([8], ['09:00', '17:00'])]),
      ['businessHours[0].day', 'businessHours[1].day'],
    ],
    ['a fractional day', businessHours('UTC', hours([1.5], ['09:00', '17:00'])), ['businessHours[0].day']],
    ['a one-digit hour', businessHours('UTC', hours([1], ['9:00', '17:00'])), ['businessHours[0].start']],
    ['minute 60', businessHours('UTC', hours([1], ['12:60', '17:00'])), ['businessHours[0].start']],
    ['"24:00" as a start', businessHours('UTC', hours([1], ['24:00', '24:00'])), ['businessHours[0].start']],
    ['an end after 24:00', businessHours('UTC', hours([1], ['09:00', '24:01'])), ['businessHours[0].end']],
    ['an end of 25:00', businessHours('UTC', hours([1], ['09:00', '25:00'])), ['businessHours[0].end']],
    ['start after end', businessHours('UTC', hours([1], ['17:00', '09:00'])), ['businessHours[0].end']],
    ['start equal to end', businessHours('UTC', hours([1], ['09:00', '09:00'])), ['businessHours[0].end']],
    [
      'overlapping intervals on one day',
      businessHours('UTC', hours([1], ['09:00', '12:00'], ['11:00', '13:00'])),
      ['businessHours[1].start'],
    ],
    [
      'an interval inside another',
      businessHours('UTC', hours([3], ['13:00', '14:00'], ['09:00', '17:00'])),
      ['businessHours[0].start'],
    ],
    ['30 February', mondaysWithHoliday('2025-02-30'), ['holidays[0].date']],
    ['month 13', mondaysWithHoliday('2025-13-01', true), ['holidays[0].date']],
    ['29 February in a common year', mondaysWithHoliday('2025-02-29'), ['holidays[0].date']],
    ['a slash-separated date', mondaysWithHoliday('2025/12/25', true), ['holidays[0].date']],
    ['a two-digit year', mondaysWithHoliday('25-12-25', true), ['holidays[0].date']],
    [
      'a holiday with a non-string name and a non-boolean recurring',
      businessHours('UTC', hours([1], ['09:00', '17:00']), [
        { date: '2025-12-25', name: 42, recurring: 'yes' } as unknown as Holiday,
      ]),
      ['holidays[0].name', 'holidays[0].recurring'],
    ],
    ['a 24x7 calendar in an unknown zone', { ...CALENDAR_24X7, timezone: 'Utopia/Central' }, ['timezone']],
  ])('rejects %s', (_name, cal, fields) => {
    expect(fieldsOf(cal)).toEqual(fields);
  });

  it('lists every problem with a readable message', () => {
    const cal: CalendarSpec = {
      type: 'business_hours',
      timezone: 'Europe/Atlantis',
      businessHours: [
        { day: 1, start: '09:00', end: '12:00' },
        { day: 1, start: '11:30', end: '18:00' },
        { day: 9, start: '7am', end: '17:00' },
      ],
      holidays: [
        { date: '2024-12-25', name: 'Christmas', recurring: true },
        { date: '2024-04-31', name: 'Nope', recurring: false },
      ],
    };
    expect(validateCalendarSpec(cal)).toEqual([
      { field: 'timezone', message: 'unknown IANA time zone "Europe/Atlantis"' },
      { field: 'businessHours[2].day', message: 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)' },
      { field: 'businessHours[2].start', message: 'must be a time "HH:MM" from 00:00 to 23:59' },
      { field: 'businessHours[1].start', message: 'overlaps businessHours[0] (09:00–12:00) on day 1' },
      { field: 'holidays[1].date', message: 'must be a calendar date "YYYY-MM-DD"' },
    ]);
  });
});
