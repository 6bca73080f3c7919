import { DateTime } from 'luxon';
import { CALENDAR_24X7, type CalendarSpec } from '../../src/sla/calendar/business-calendar';
import {
  achieveTimer,
  breachTimer,
  effectiveStatus,
  elapsedMinutes,
  nearestDueAt,
  nextCheckAt,
  pauseTimer,
  resumeTimer,
  retargetTimer,
  scheduleNextEscalation,
  startTimer,
  type Timer,
  type TimerStatus,
  type TimerTarget,
} from '../../src/sla/sla-timers';

// Instants are written as local wall-clock text with the weekday, which is checked: "Fri 2025-03-07 16:00".
// March 2025 has no DST change in Berlin before the 30th, so every day below is 24 h long.

function local(zone: string): (text: string) => Date {
  return (text) => {
    const [weekday, date, time] = text.split(' ');
    const instant = DateTime.fromISO(`${date}T${time}`, { zone });
    if (!instant.isValid || instant.setLocale('en').toFormat('ccc') !== weekday) {
      throw new Error(`test input "${text}" is not a valid "Ddd YYYY-MM-DD HH:MM" in ${zone}`);
    }
    return instant.toJSDate();
  };
}

const utc = local('UTC');
const berlin = local('Europe/Berlin');

/** Mon–Fri 09:00–17:00 in Berlin: 8 business hours (480 min) a day, nothing at weekends. */
const BERLIN_9_TO_5: CalendarSpec = {
  type: 'business_hours',
  timezone: 'Europe/Berlin',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: [],
};

function roundTheClock(targetMinutes: number, atRiskPercent = 80): TimerTarget {
  return { targetMinutes, atRiskPercent, calendarId: 'calendar-24x7', calendar: CALENDAR_24X7 };
}

function businessHours(targetMinutes: number, atRiskPercent = 80): TimerTarget {
  return { targetMinutes, atRiskPercent, calendarId: 'calendar-berlin', calendar: BERLIN_9_TO_5 };
}

/** A 24x7 first-response timer started at `startedAt` (UTC text). */
function timer24x7(targetMinutes: number, startedAt: string): Timer {
  return startTimer('firstResponse', 1, roundTheClock(targetMinutes), utc(startedAt));
}

/** A Berlin business-hours resolution timer started at `startedAt` (Berlin text). */
function timerBerlin(targetMinutes: number, startedAt: string): Timer {
  return startTimer('resolution', 1, businessHours(targetMinutes), berlin(startedAt));
}

describe('startTimer', () => {
  it('starts an active, running timer with nothing paused, breached or escalated', () => {
    const timer = startTimer('nextResponse', 2, roundTheClock(240), utc('Mon 2025-03-03 10:00'));

    expect(timer).toEqual({
      kind: 'nextResponse',
      cycle: 2,
      status: 'active',
      running: true,
      targetMinutes: 240,
      atRiskPercent: 80,
      calendarId: 'calendar-24x7',
      calendar: CALENDAR_24X7,
      startedAt: utc('Mon 2025-03-03 10:00'),
      // 10:00 + 240 min = 14:00
      dueAt: utc('Mon 2025-03-03 14:00'),
      // 80 % of 240 = 192 min = 3 h 12 → 13:12
      atRiskAt: utc('Mon 2025-03-03 13:12'),
      atRiskNotified: false,
      pausedAt: null,
      pausedMinutes: 0,
      carriedMinutes: 0,
      countingSince: null,
      breachedAt: null,
      achievedAt: null,
      stoppedAt: null,
      escalations: 0,
      nextEscalationAt: null,
    });
  });

  type Row = [scenario: string, target: TimerTarget, start: Date, due: Date, atRisk: Date];
  it.each<Row>([
    [
      // 60 min → 11:00; 80 % of 60 = 48 min → 10:48
      'urgent first reply (1 h) on 24x7',
      roundTheClock(60),
      utc('Mon 2025-03-03 10:00'),
      utc('Mon 2025-03-03 11:00'),
      utc('Mon 2025-03-03 10:48'),
    ],
    [
      // 1440 min = 24 h → Tue 10:00; 80 % = 1152 min = 19 h 12 → Tue 05:12
      'normal first reply (24 h) on 24x7',
      roundTheClock(1440),
      utc('Mon 2025-03-03 10:00'),
      utc('Tue 2025-03-04 10:00'),
      utc('Tue 2025-03-04 05:12'),
    ],
    [
      // 7200 min = 120 h = 5 days → Sat 10:00, weekends count; 80 % = 96 h = 4 days → Fri 10:00
      'low resolution (120 h) on 24x7 runs through the weekend',
      roundTheClock(7200),
      utc('Mon 2025-03-03 10:00'),
      utc('Sat 2025-03-08 10:00'),
      utc('Fri 2025-03-07 10:00'),
    ],
    [
      // 50 % of 60 = 30 min → 10:30
      'another at-risk percentage (50 %)',
      roundTheClock(60, 50),
      utc('Mon 2025-03-03 10:00'),
      utc('Mon 2025-03-03 11:00'),
      utc('Mon 2025-03-03 10:30'),
    ],
    [
      // Thu 13:00–17:00 = 240, Fri 480 (720), Mon 09:00–13:00 = 240 → 960 at Mon 13:00.
      // 80 % of 960 = 768: Thu 240 + Fri 480 = 720 at Fri 17:00, + 48 → Mon 09:48
      '16 business hours from Thursday afternoon, Berlin 9–5',
      businessHours(960),
      berlin('Thu 2025-03-06 13:00'),
      berlin('Mon 2025-03-10 13:00'),
      berlin('Mon 2025-03-10 09:48'),
    ],
    [
      // Fri 18:00 is after closing: counting starts Mon 09:00. 1440 min = 3 business days of 480:
      // Mon 480, Tue 960, Wed 1440 at Wed 17:00 (a count ending at closing time ends there).
      // 80 % = 1152: Mon + Tue = 960 at Tue 17:00, + 192 = 3 h 12 → Wed 12:12
      'a 24-business-hour target opened on Friday evening falls due on Wednesday',
      businessHours(1440),
      berlin('Fri 2025-03-07 18:00'),
      berlin('Wed 2025-03-12 17:00'),
      berlin('Wed 2025-03-12 12:12'),
    ],
    [
      // Saturday is closed: counting starts Mon 09:00; + 60 → 10:00; + 48 → 09:48
      'opened on Saturday, counting starts at Monday opening',
      businessHours(60),
      berlin('Sat 2025-03-08 11:00'),
      berlin('Mon 2025-03-10 10:00'),
      berlin('Mon 2025-03-10 09:48'),
    ],
  ])('%s', (_scenario, target, start, due, atRisk) => {
    const timer = startTimer('firstResponse', 1, target, start);

    expect({ dueAt: timer.dueAt, atRiskAt: timer.atRiskAt }).toEqual({ dueAt: due, atRiskAt: atRisk });
  });
});

describe('elapsedMinutes', () => {
  type Row = [scenario: string, build: () => { timer: Timer; now: Date }, minutes: number];
  it.each<Row>([
    [
      // 10:00 → 12:30 = 150
      'a running timer counts from its start to now',
      () => ({ timer: timer24x7(1440, 'Mon 2025-03-03 10:00'), now: utc('Mon 2025-03-03 12:30') }),
      150,
    ],
    [
      // paused at 11:00: 10:00 → 11:00 = 60, the pause up to 12:30 does not count
      'a paused timer stops counting at the pause',
      () => ({
        timer: pauseTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:00')),
        now: utc('Mon 2025-03-03 12:30'),
      }),
      60,
    ],
    [
      // 10:00 → 12:00 = 120, minus the pause 10:30 → 11:30 = 60 → 60
      'a resumed timer excludes its pause',
      () => {
        const paused = pauseTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));
        return { timer: resumeTimer(paused, utc('Mon 2025-03-03 11:30')), now: utc('Mon 2025-03-03 12:00') };
      },
      60,
    ],
    [
      // achieved at 11:15: 10:00 → 11:15 = 75, however late it is read
      'a stopped timer counts up to its stop',
      () => ({
        timer: achieveTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:15')),
        now: utc('Thu 2025-03-06 09:00'),
      }),
      75,
    ],
    [
      // 10:00 → 10:30 = 30 counted; paused 10:30 → 11:30 and stopped then → 30
      'a timer stopped while paused excludes the pause',
      () => {
        const paused = pauseTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));
        return { timer: achieveTimer(paused, utc('Mon 2025-03-03 11:30')), now: utc('Mon 2025-03-03 15:00') };
      },
      30,
    ],
    [
      // Fri 16:00–17:00 = 60, weekend closed, Mon 09:00–10:00 = 60 → 120
      'business hours count only open time',
      () => ({ timer: timerBerlin(960, 'Fri 2025-03-07 16:00'), now: berlin('Mon 2025-03-10 10:00') }),
      120,
    ],
    [
      // nothing has elapsed at the start
      'zero at the start',
      () => ({ timer: timer24x7(60, 'Mon 2025-03-03 10:00'), now: utc('Mon 2025-03-03 10:00') }),
      0,
    ],
  ])('%s', (_scenario, build, minutes) => {
    const { timer, now } = build();

    expect(elapsedMinutes(timer, now)).toBe(minutes);
  });
});

describe('effectiveStatus', () => {
  // Each timer: 60 min from 10:00, due 11:00.
  type Row = [scenario: string, build: () => Timer, now: string, status: TimerStatus];
  it.each<Row>([
    [
      'active before its due time',
      () => timer24x7(60, 'Mon 2025-03-03 10:00'),
      'Mon 2025-03-03 10:59',
      'active',
    ],
    [
      'active at its due time reads as breached',
      () => timer24x7(60, 'Mon 2025-03-03 10:00'),
      'Mon 2025-03-03 11:00',
      'breached',
    ],
    [
      'active past its due time reads as breached before a sweep records it',
      () => timer24x7(60, 'Mon 2025-03-03 10:00'),
      'Mon 2025-03-03 13:00',
      'breached',
    ],
    [
      // paused at 10:30 with 30 min left: the unshifted due time 11:00 says nothing while paused
      'paused past its unshifted due time stays paused',
      () => pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30')),
      'Mon 2025-03-03 13:00',
      'paused',
    ],
    [
      'achieved in time stays achieved when read later',
      () => achieveTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:40')),
      'Mon 2025-03-03 13:00',
      'achieved',
    ],
    [
      'a recorded breach reads as breached',
      () => breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00')),
      'Mon 2025-03-03 11:30',
      'breached',
    ],
  ])('%s', (_scenario, build, now, status) => {
    expect(effectiveStatus(build(), utc(now))).toBe(status);
  });
});

describe('pauseTimer', () => {
  it('marks an active timer paused at now and moves none of its points yet', () => {
    const timer = timer24x7(240, 'Mon 2025-03-03 10:00');

    const paused = pauseTimer(timer, utc('Mon 2025-03-03 11:00'));

    expect(paused).toEqual({ ...timer, status: 'paused', pausedAt: utc('Mon 2025-03-03 11:00') });
  });

  it('keeps a breached timer breached while it is paused', () => {
    const breached = breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00'));

    const paused = pauseTimer(breached, utc('Mon 2025-03-03 11:30'));

    expect({ status: paused.status, pausedAt: paused.pausedAt }).toEqual({
      status: 'breached',
      pausedAt: utc('Mon 2025-03-03 11:30'),
    });
  });

  it('past its due time, not yet swept: stays active (breached at its due time), repeat clock set', () => {
    // 60 from 10:00: due 11:00. Paused at 11:05: breached since 11:00; repeat point 11:00 + 60 = 12:00.
    const paused = pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:05'));

    expect({
      status: paused.status,
      shown: effectiveStatus(paused, utc('Mon 2025-03-03 12:00')),
      pausedAt: paused.pausedAt,
      nextEscalationAt: paused.nextEscalationAt,
      nearestDue: nearestDueAt([paused]),
      nextCheck: nextCheckAt([paused], true),
    }).toEqual({
      status: 'active',
      shown: 'breached',
      pausedAt: utc('Mon 2025-03-03 11:05'),
      nextEscalationAt: utc('Mon 2025-03-03 12:00'),
      nearestDue: utc('Mon 2025-03-03 11:00'),
      nextCheck: utc('Mon 2025-03-03 11:00'),
    });
  });

  it('past its due time: resuming 72 h later moves the repeat point by the pause, not the due time', () => {
    // Paused Mon 11:05 → Thu 11:05: repeat 12:00 + 72 h = Thu 12:00; due stays Mon 11:00; answered late.
    const paused = pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:05'));
    const resumed = resumeTimer(paused, utc('Thu 2025-03-06 11:05'));

    expect({
      dueAt: resumed.dueAt,
      nextEscalationAt: resumed.nextEscalationAt,
      answered: achieveTimer(paused, utc('Mon 2025-03-03 13:00')).breachedAt,
    }).toEqual({
      dueAt: utc('Mon 2025-03-03 11:00'),
      nextEscalationAt: utc('Thu 2025-03-06 12:00'),
      answered: utc('Mon 2025-03-03 11:00'),
    });
  });

  it('pausing twice keeps the first pause', () => {
    const once = pauseTimer(timer24x7(240, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:00'));

    const twice = pauseTimer(once, utc('Mon 2025-03-03 12:00'));

    expect(twice).toBe(once);
  });

  it('leaves a stopped timer alone', () => {
    const achieved = achieveTimer(timer24x7(240, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));

    expect(pauseTimer(achieved, utc('Mon 2025-03-03 11:00'))).toBe(achieved);
  });
});

describe('resumeTimer', () => {
  it('moves due and at-risk points by the paused time on 24x7', () => {
    // 240 min from 10:00: due 14:00, at risk at 80 % = 192 min → 13:12.
    // Paused 11:00 → 12:30 = 90 min: due 14:00 + 90 = 15:30, at risk 13:12 + 90 = 14:42.
    const paused = pauseTimer(timer24x7(240, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:00'));

    const resumed = resumeTimer(paused, utc('Mon 2025-03-03 12:30'));

    expect(resumed).toMatchObject({
      status: 'active',
      pausedAt: null,
      pausedMinutes: 90,
      dueAt: utc('Mon 2025-03-03 15:30'),
      atRiskAt: utc('Mon 2025-03-03 14:42'),
    });
  });

  it('moves points by the paused business time only, across a Berlin weekend', () => {
    // 960 business min from Thu 13:00: due Mon 13:00, at risk (768) Mon 09:48 (see startTimer).
    // Paused Fri 16:00 → resumed Mon 10:00: 66 h on the wall clock, but business time is
    // Fri 16:00–17:00 = 60 + Sat, Sun = 0 + Mon 09:00–10:00 = 60 → 120 min.
    // Due: 300 business min were left at the pause (Fri 60 + Mon 09:00–13:00 240) → Mon 10:00 + 300 = 15:00,
    // i.e. Mon 13:00 + 120 business min. At risk: 108 left (Fri 60 + Mon 48) → Mon 10:00 + 108 = 11:48.
    const paused = pauseTimer(timerBerlin(960, 'Thu 2025-03-06 13:00'), berlin('Fri 2025-03-07 16:00'));

    const resumed = resumeTimer(paused, berlin('Mon 2025-03-10 10:00'));

    expect(resumed).toMatchObject({
      status: 'active',
      pausedMinutes: 120,
      dueAt: berlin('Mon 2025-03-10 15:00'),
      atRiskAt: berlin('Mon 2025-03-10 11:48'),
    });
  });

  it('moves nothing for a pause that holds no business time (Friday evening to Monday morning)', () => {
    // Paused Fri 17:30 → resumed Mon 08:30: closed the whole time → 0 business min.
    // Due stays Mon 13:00 and at risk Mon 09:48 (48 business min after the pause = after Mon 09:00 opening).
    const paused = pauseTimer(timerBerlin(960, 'Thu 2025-03-06 13:00'), berlin('Fri 2025-03-07 17:30'));

    const resumed = resumeTimer(paused, berlin('Mon 2025-03-10 08:30'));

    expect(resumed).toMatchObject({
      status: 'active',
      pausedMinutes: 0,
      dueAt: berlin('Mon 2025-03-10 13:00'),
      atRiskAt: berlin('Mon 2025-03-10 09:48'),
    });
  });

  it('moves the next escalation of a breached timer, not its past due time (24x7)', () => {
    // 60 min from 10:00: due 11:00, breached → next escalation 11:00 + 60 = 12:00.
    // Paused 11:30 → 13:00 = 90 min: next escalation 12:00 + 90 = 13:30; due 11:00 was already past.
    const breached = breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00'));
    const paused = pauseTimer(breached, utc('Mon 2025-03-03 11:30'));

    const resumed = resumeTimer(paused, utc('Mon 2025-03-03 13:00'));

    expect(resumed).toMatchObject({
      status: 'breached',
      pausedMinutes: 90,
      dueAt: utc('Mon 2025-03-03 11:00'),
      breachedAt: utc('Mon 2025-03-03 11:00'),
      nextEscalationAt: utc('Mon 2025-03-03 13:30'),
    });
  });

  it('moves the next escalation of a breached timer by the paused business time (Berlin weekend)', () => {
    // 120 business min from Fri 14:00: due Fri 16:00; next escalation one target later:
    // Fri 16:00–17:00 = 60 + Mon 09:00–10:00 = 60 → Mon 10:00.
    // Paused Fri 16:30 → Mon 09:30: Fri 30 + Mon 30 = 60 business min.
    // Left at the pause: Fri 16:30–17:00 = 30 + Mon 09:00–10:00 = 60 → 90 → Mon 09:30 + 90 = 11:00.
    const breached = breachTimer(timerBerlin(120, 'Fri 2025-03-07 14:00'));
    const paused = pauseTimer(breached, berlin('Fri 2025-03-07 16:30'));

    const resumed = resumeTimer(paused, berlin('Mon 2025-03-10 09:30'));

    expect(resumed).toMatchObject({
      pausedMinutes: 60,
      dueAt: berlin('Fri 2025-03-07 16:00'),
      nextEscalationAt: berlin('Mon 2025-03-10 11:00'),
    });
  });

  it('does not move an at-risk point that had already passed when the pause began', () => {
    // 60 min from 10:00: at risk 10:48, due 11:00. Paused 10:50 → 11:20 = 30 min:
    // at risk stays 10:48, due 11:00 + 30 = 11:30.
    const paused = pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:50'));

    const resumed = resumeTimer(paused, utc('Mon 2025-03-03 11:20'));

    expect({ atRiskAt: resumed.atRiskAt, dueAt: resumed.dueAt }).toEqual({
      atRiskAt: utc('Mon 2025-03-03 10:48'),
      dueAt: utc('Mon 2025-03-03 11:30'),
    });
  });

  it('after pausing twice, resumes from the first pause', () => {
    // Paused 11:00 (the second pause at 12:00 is ignored), resumed 12:30 → 90 min; due 14:00 + 90 = 15:30.
    const once = pauseTimer(timer24x7(240, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:00'));
    const twice = pauseTimer(once, utc('Mon 2025-03-03 12:00'));

    const resumed = resumeTimer(twice, utc('Mon 2025-03-03 12:30'));

    expect({ pausedMinutes: resumed.pausedMinutes, dueAt: resumed.dueAt }).toEqual({
      pausedMinutes: 90,
      dueAt: utc('Mon 2025-03-03 15:30'),
    });
  });

  it('adds up two separate pauses', () => {
    // Pauses 10:30–11:00 = 30 and 12:00–12:45 = 45 → 75; due 14:00 + 75 = 15:15.
    // Elapsed at 13:00: 10:00 → 13:00 = 180 − 75 = 105.
    let timer = timer24x7(240, 'Mon 2025-03-03 10:00');
    timer = resumeTimer(pauseTimer(timer, utc('Mon 2025-03-03 10:30')), utc('Mon 2025-03-03 11:00'));
    timer = resumeTimer(pauseTimer(timer, utc('Mon 2025-03-03 12:00')), utc('Mon 2025-03-03 12:45'));

    expect({
      pausedMinutes: timer.pausedMinutes,
      dueAt: timer.dueAt,
      elapsed: elapsedMinutes(timer, utc('Mon 2025-03-03 13:00')),
    }).toEqual({ pausedMinutes: 75, dueAt: utc('Mon 2025-03-03 15:15'), elapsed: 105 });
  });

  it('leaves a timer that is not paused unchanged', () => {
    const timer = timer24x7(240, 'Mon 2025-03-03 10:00');

    expect(resumeTimer(timer, utc('Mon 2025-03-03 11:00'))).toBe(timer);
  });

  it('leaves a stopped timer unchanged', () => {
    const achieved = achieveTimer(timer24x7(240, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));

    expect(resumeTimer(achieved, utc('Mon 2025-03-03 11:00'))).toBe(achieved);
  });
});

describe('achieveTimer', () => {
  it('in time: achieved, stopped at now, no breach', () => {
    // 60 min from 10:00, due 11:00; answered at 10:40 (40 min elapsed < 60).
    const achieved = achieveTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:40'));

    expect(achieved).toMatchObject({
      status: 'achieved',
      running: false,
      achievedAt: utc('Mon 2025-03-03 10:40'),
      stoppedAt: utc('Mon 2025-03-03 10:40'),
      breachedAt: null,
      nextEscalationAt: null,
    });
  });

  it('after its due time, before a sweep: breached at the due time, answered at now', () => {
    // due 11:00, answered 11:20 → breachedAt 11:00 (the true breach time), achievedAt 11:20.
    const answered = achieveTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:20'));

    expect(answered).toMatchObject({
      status: 'breached',
      running: false,
      breachedAt: utc('Mon 2025-03-03 11:00'),
      achievedAt: utc('Mon 2025-03-03 11:20'),
      stoppedAt: utc('Mon 2025-03-03 11:20'),
    });
  });

  it('after a recorded breach: stays breached at the due time and stops escalating', () => {
    // due 11:00, breached → next escalation 12:00; answered 12:30.
    const breached = breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00'));

    const answered = achieveTimer(breached, utc('Mon 2025-03-03 12:30'));

    expect(answered).toMatchObject({
      status: 'breached',
      running: false,
      breachedAt: utc('Mon 2025-03-03 11:00'),
      achievedAt: utc('Mon 2025-03-03 12:30'),
      nextEscalationAt: null,
    });
  });

  it('while paused, before the due time: achieved, the pause so far excluded', () => {
    // 60 min from 10:00; paused 10:20; achieved 10:50 while paused:
    // pausedMinutes 10:20 → 10:50 = 30; elapsed 10:00 → 10:50 = 50 − 30 = 20.
    const paused = pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:20'));

    const achieved = achieveTimer(paused, utc('Mon 2025-03-03 10:50'));

    expect({
      status: achieved.status,
      pausedAt: achieved.pausedAt,
      pausedMinutes: achieved.pausedMinutes,
      elapsed: elapsedMinutes(achieved, utc('Mon 2025-03-03 15:00')),
    }).toEqual({ status: 'achieved', pausedAt: null, pausedMinutes: 30, elapsed: 20 });
  });

  // BUG (SPEC §6 "While pending, nextResponse and resolution are paused", §12 "pauses excluded"): a paused
  // timer's dueAt is only moved on resume, and achieveTimer compares that unmoved dueAt with now. Reachable
  // through SlaEngine: an agent's public reply while the ticket is pending achieves the paused nextResponse.
  it('while paused past its unmoved due time: achieved, only 30 of 60 minutes counted', () => {
    // 60 min from 10:00, due 11:00; paused 10:30 with 30 min left; answered 12:00 while still paused.
    // Counted: 10:00 → 10:30 = 30 < 60 → in time.
    const paused = pauseTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));

    const answered = achieveTimer(paused, utc('Mon 2025-03-03 12:00'));

    expect({ status: answered.status, breachedAt: answered.breachedAt }).toEqual({
      status: 'achieved',
      breachedAt: null,
    });
  });

  it('leaves a stopped timer unchanged', () => {
    const achieved = achieveTimer(timer24x7(60, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:40'));

    expect(achieveTimer(achieved, utc('Mon 2025-03-03 10:50'))).toBe(achieved);
  });
});

describe('breachTimer', () => {
  it('records the breach at the due time, with the next escalation one target later (24x7)', () => {
    // 60 min from 10:00: due 11:00 → breachedAt 11:00, next escalation 11:00 + 60 = 12:00.
    const breached = breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00'));

    expect(breached).toMatchObject({
      status: 'breached',
      running: true,
      breachedAt: utc('Mon 2025-03-03 11:00'),
      atRiskNotified: true,
      nextEscalationAt: utc('Mon 2025-03-03 12:00'),
    });
  });

  it('counts the next escalation in calendar time (Berlin 9–5, over the weekend)', () => {
    // 120 business min from Fri 14:00: due Fri 16:00.
    // Next escalation + 120: Fri 16:00–17:00 = 60, weekend closed, Mon 09:00–10:00 = 60 → Mon 10:00.
    const breached = breachTimer(timerBerlin(120, 'Fri 2025-03-07 14:00'));

    expect({ breachedAt: breached.breachedAt, nextEscalationAt: breached.nextEscalationAt }).toEqual({
      breachedAt: berlin('Fri 2025-03-07 16:00'),
      nextEscalationAt: berlin('Mon 2025-03-10 10:00'),
    });
  });
});

describe('scheduleNextEscalation', () => {
  type Row = [scenario: string, timer: () => Timer, from: Date, next: Date];
  it.each<Row>([
    [
      // target 60: 11:30 + 60 = 12:30
      'one target after a follow-up on 24x7',
      () => breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00')),
      utc('Mon 2025-03-03 11:30'),
      utc('Mon 2025-03-03 12:30'),
    ],
    [
      // target 120: Fri 16:30–17:00 = 30, then Mon 09:00 + 90 → Mon 10:30
      'one business target later, across a Berlin weekend',
      () => breachTimer(timerBerlin(120, 'Fri 2025-03-07 14:00')),
      berlin('Fri 2025-03-07 16:30'),
      berlin('Mon 2025-03-10 10:30'),
    ],
  ])('%s', (_scenario, timer, from, next) => {
    expect(scheduleNextEscalation(timer(), from).nextEscalationAt).toEqual(next);
  });
});

describe('retargetTimer', () => {
  it('keeps the elapsed time: 60 of 1440 elapsed, new target 240 → due 180 min from now', () => {
    // Started 10:00 with 1440; now 11:00 → 60 elapsed. New 240: 240 − 60 = 180 → 11:00 + 180 = 14:00.
    // At risk: 80 % of 240 = 192 − 60 = 132 → 11:00 + 132 = 13:12.
    const timer = timer24x7(1440, 'Mon 2025-03-03 10:00');

    const retargeted = retargetTimer(timer, roundTheClock(240), utc('Mon 2025-03-03 11:00'));

    expect(retargeted).toMatchObject({
      status: 'active',
      targetMinutes: 240,
      startedAt: utc('Mon 2025-03-03 10:00'),
      dueAt: utc('Mon 2025-03-03 14:00'),
      atRiskAt: utc('Mon 2025-03-03 13:12'),
      atRiskNotified: false,
    });
  });

  it('already past the new target: due now, at risk now', () => {
    // Started 10:00 with 1440; now 15:00 → 300 elapsed ≥ 240 → due 15:00; 192 − 300 < 0 → at risk 15:00.
    const timer = timer24x7(1440, 'Mon 2025-03-03 10:00');

    const retargeted = retargetTimer(timer, roundTheClock(240), utc('Mon 2025-03-03 15:00'));

    expect({ dueAt: retargeted.dueAt, atRiskAt: retargeted.atRiskAt }).toEqual({
      dueAt: utc('Mon 2025-03-03 15:00'),
      atRiskAt: utc('Mon 2025-03-03 15:00'),
    });
  });

  it('a longer target clears an at-risk mark whose point moved ahead', () => {
    // 60 from 10:00, at risk notified; now 10:55 → 55 elapsed. New 240: at risk 192 − 55 = 137 → 13:12.
    const notified = { ...timer24x7(60, 'Mon 2025-03-03 10:00'), atRiskNotified: true };

    const retargeted = retargetTimer(notified, roundTheClock(240), utc('Mon 2025-03-03 10:55'));

    expect({ atRiskAt: retargeted.atRiskAt, atRiskNotified: retargeted.atRiskNotified }).toEqual({
      atRiskAt: utc('Mon 2025-03-03 13:12'),
      atRiskNotified: false,
    });
  });

  it('a shorter target keeps an at-risk mark whose point has passed', () => {
    // 1440 from 10:00, at risk notified; now 13:20 → 200 elapsed. New 240: 192 − 200 < 0 → still at risk.
    const notified = { ...timer24x7(1440, 'Mon 2025-03-03 10:00'), atRiskNotified: true };

    const retargeted = retargetTimer(notified, roundTheClock(240), utc('Mon 2025-03-03 13:20'));

    expect(retargeted.atRiskNotified).toBe(true);
  });

  it('leaves a timer past its due time unchanged, swept or not: it is breached at that time', () => {
    const overdue = timer24x7(60, 'Mon 2025-03-03 10:00');

    expect(retargetTimer(overdue, roundTheClock(240), utc('Mon 2025-03-03 11:30'))).toBe(overdue);
  });

  it('leaves a breached timer unchanged', () => {
    const breached = breachTimer(timer24x7(60, 'Mon 2025-03-03 10:00'));

    expect(retargetTimer(breached, roundTheClock(240), utc('Mon 2025-03-03 11:30'))).toBe(breached);
  });

  it('leaves a stopped timer unchanged', () => {
    const achieved = achieveTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 10:30'));

    expect(retargetTimer(achieved, roundTheClock(240), utc('Mon 2025-03-03 11:00'))).toBe(achieved);
  });

  it('while paused: the remaining time is measured from the pause and stays frozen until resume', () => {
    // 1440 from 10:00, paused 11:00 → 60 elapsed. Retargeted at 12:00 to 240: 180 left →
    // stored as due 11:00 + 180 = 14:00 (relative to the pause). Resumed 13:00: 180 left → 16:00.
    const paused = pauseTimer(timer24x7(1440, 'Mon 2025-03-03 10:00'), utc('Mon 2025-03-03 11:00'));

    const retargeted = retargetTimer(paused, roundTheClock(240), utc('Mon 2025-03-03 12:00'));
    const resumed = resumeTimer(retargeted, utc('Mon 2025-03-03 13:00'));

    expect({
      status: retargeted.status,
      pausedAt: retargeted.pausedAt,
      dueAt: retargeted.dueAt,
      dueAfterResume: resumed.dueAt,
      elapsedAfterResume: elapsedMinutes(resumed, utc('Mon 2025-03-03 13:00')),
    }).toEqual({
      status: 'paused',
      pausedAt: utc('Mon 2025-03-03 11:00'),
      dueAt: utc('Mon 2025-03-03 14:00'),
      dueAfterResume: utc('Mon 2025-03-03 16:00'),
      elapsedAfterResume: 60,
    });
  });
});

describe('a calendar without business time', () => {
  // Berlin 9–5 with every month-day a recurring holiday: nothing ever counts.
  const neverOpen: CalendarSpec = {
    ...BERLIN_9_TO_5,
    holidays: Array.from({ length: 366 }, (_, i) => ({
      date: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
      name: 'closed',
      recurring: true,
    })),
  };
  const closed = (targetMinutes: number): TimerTarget => ({
    targetMinutes,
    atRiskPercent: 80,
    calendarId: 'calendar-closed',
    calendar: neverOpen,
  });

  it('starts the timer round the clock, without a calendar (as a deleted one counts)', () => {
    // 60 min from 10:00 → due 11:00, at risk 10:48, in plain elapsed time.
    const timer = startTimer('firstResponse', 1, closed(60), utc('Mon 2025-03-03 10:00'));

    expect(timer).toMatchObject({
      calendarId: null,
      calendar: CALENDAR_24X7,
      dueAt: utc('Mon 2025-03-03 11:00'),
      atRiskAt: utc('Mon 2025-03-03 10:48'),
    });
  });

  it('re-targets into it round the clock, keeping the elapsed time', () => {
    // 1440 from 10:00, 60 elapsed at 11:00; new target 240 round the clock → due 14:00.
    const retargeted = retargetTimer(
      timer24x7(1440, 'Mon 2025-03-03 10:00'),
      closed(240),
      utc('Mon 2025-03-03 11:00'),
    );

    expect({ calendarId: retargeted.calendarId, dueAt: retargeted.dueAt }).toEqual({
      calendarId: null,
      dueAt: utc('Mon 2025-03-03 14:00'),
    });
  });

  it('places the repeat point of a timer whose calendar lost its business time round the clock', () => {
    // Started in working Berlin hours (Mon 10:00 + 60 → 11:00), then the calendar closed for good:
    // the next escalation is one target after the due time in plain time, 12:00, instead of an error.
    const started = startTimer('firstResponse', 1, businessHours(60), berlin('Mon 2025-03-03 10:00'));
    const breached = breachTimer({ ...started, calendar: neverOpen });

    expect(breached.nextEscalationAt).toEqual(berlin('Mon 2025-03-03 12:00'));
  });
});

describe('retargetTimer into another calendar', () => {
  // 24x7 Normal (1440) from Sat 10:00 Berlin; Berlin 9–5 High (960) from Sat 20:00.
  const saturday = () => startTimer('firstResponse', 1, roundTheClock(1440), berlin('Sat 2025-03-08 10:00'));

  it('carries the elapsed time over: 600 minutes of Saturday stay 600 in a calendar closed on Saturdays', () => {
    // 10:00 → 20:00 round the clock = 600. Berlin counts from Sat 20:00: nothing until Mon 09:00.
    // Due: 960 − 600 = 360 business minutes from Mon 09:00 → Mon 15:00.
    const retargeted = retargetTimer(saturday(), businessHours(960), berlin('Sat 2025-03-08 20:00'));

    expect({
      carriedMinutes: retargeted.carriedMinutes,
      countingSince: retargeted.countingSince,
      dueAt: retargeted.dueAt,
      atSaturdayEvening: elapsedMinutes(retargeted, berlin('Sat 2025-03-08 20:00')),
      // Mon 09:00–10:00 counts 60 more
      atMondayTen: elapsedMinutes(retargeted, berlin('Mon 2025-03-10 10:00')),
    }).toEqual({
      carriedMinutes: 600,
      countingSince: berlin('Sat 2025-03-08 20:00'),
      dueAt: berlin('Mon 2025-03-10 15:00'),
      atSaturdayEvening: 600,
      atMondayTen: 660,
    });
  });

  it('switching back measures only the business time of the Berlin stretch, not the weekend', () => {
    // 600 carried, Mon 09:00–10:00 adds 60 → 660; back to 24x7 1440 at Mon 10:00: 780 left → Mon 23:00.
    const inBerlin = retargetTimer(saturday(), businessHours(960), berlin('Sat 2025-03-08 20:00'));

    const back = retargetTimer(inBerlin, roundTheClock(1440), berlin('Mon 2025-03-10 10:00'));

    expect({
      carriedMinutes: back.carriedMinutes,
      dueAt: back.dueAt,
      // 2 h later: 660 + 120
      elapsed: elapsedMinutes(back, berlin('Mon 2025-03-10 12:00')),
    }).toEqual({
      carriedMinutes: 660,
      dueAt: berlin('Mon 2025-03-10 23:00'),
      elapsed: 780,
    });
  });

  it('counts only pauses after the switch against the new calendar', () => {
    // 24x7 from Mon 08:00, paused 09:00–10:00 (60 paused), Berlin from 11:00: 180 − 60 = 120 carried.
    // Paused again Mon 12:00–14:00 (120 Berlin minutes); at 15:00: 120 + (11:00→15:00 = 240) − 120 = 240.
    const paused = pauseTimer(
      startTimer('resolution', 1, roundTheClock(2880), berlin('Mon 2025-03-10 08:00')),
      berlin('Mon 2025-03-10 09:00'),
    );
    const resumed = resumeTimer(paused, berlin('Mon 2025-03-10 10:00'));
    const inBerlin = retargetTimer(resumed, businessHours(2400), berlin('Mon 2025-03-10 11:00'));
    const again = resumeTimer(
      pauseTimer(inBerlin, berlin('Mon 2025-03-10 12:00')),
      berlin('Mon 2025-03-10 14:00'),
    );

    expect({
      carried: inBerlin.carriedMinutes,
      pausedAfterSwitch: again.pausedMinutes,
      elapsed: elapsedMinutes(again, berlin('Mon 2025-03-10 15:00')),
      // What a stop at 15:00 stores for the report.
      stopped: elapsedMinutes(
        achieveTimer(again, berlin('Mon 2025-03-10 15:00')),
        berlin('Tue 2025-03-11 09:00'),
      ),
    }).toEqual({ carried: 120, pausedAfterSwitch: 120, elapsed: 240, stopped: 240 });
  });

  it('while paused: carries the elapsed time at the pause and counts from the pause on resume', () => {
    // 24x7 1440 from Sat 10:00, paused 12:00 (120). Into Berlin at 20:00, resumed Mon 10:00 (the pause
    // holds Mon 09:00–10:00 = 60 paused Berlin minutes); at Mon 11:00: 120 + 120 − 60 = 180.
    const paused = pauseTimer(saturday(), berlin('Sat 2025-03-08 12:00'));
    const retargeted = retargetTimer(paused, businessHours(960), berlin('Sat 2025-03-08 20:00'));
    const resumed = resumeTimer(retargeted, berlin('Mon 2025-03-10 10:00'));

    expect({
      countingSince: retargeted.countingSince,
      frozen: elapsedMinutes(retargeted, berlin('Mon 2025-03-10 09:30')),
      elapsed: elapsedMinutes(resumed, berlin('Mon 2025-03-10 11:00')),
      // 960 − 120 = 840 left from the resume: Mon 10:00–17:00 = 420, Tue 09:00 + 420 → Tue 16:00
      dueAt: resumed.dueAt,
    }).toEqual({
      countingSince: berlin('Sat 2025-03-08 12:00'),
      frozen: 120,
      elapsed: 180,
      dueAt: berlin('Tue 2025-03-11 16:00'),
    });
  });

  it('keeps counting from the start when the calendar stays the same', () => {
    const retargeted = retargetTimer(saturday(), roundTheClock(240), berlin('Sat 2025-03-08 11:00'));

    expect({ carried: retargeted.carriedMinutes, since: retargeted.countingSince }).toEqual({
      carried: 0,
      since: null,
    });
  });
});

describe('nearestDueAt', () => {
  // firstResponse due 11:00, resolution due 14:00 (both from 10:00).
  const first = () => timer24x7(60, 'Mon 2025-03-03 10:00');
  const resolution = () => startTimer('resolution', 1, roundTheClock(240), utc('Mon 2025-03-03 10:00'));

  type Row = [scenario: string, timers: () => Timer[], nearest: Date | null];
  it.each<Row>([
    ['the earliest running due time', () => [resolution(), first()], utc('Mon 2025-03-03 11:00')],
    [
      'a paused timer has no deadline',
      () => [resolution(), pauseTimer(first(), utc('Mon 2025-03-03 10:30'))],
      utc('Mon 2025-03-03 14:00'),
    ],
    [
      'a stopped timer has no deadline',
      () => [resolution(), achieveTimer(first(), utc('Mon 2025-03-03 10:30'))],
      utc('Mon 2025-03-03 14:00'),
    ],
    ['only paused timers: none', () => [pauseTimer(first(), utc('Mon 2025-03-03 10:30'))], null],
    [
      'a timer paused after its breach keeps its passed due time',
      () => [resolution(), pauseTimer(breachTimer(first()), utc('Mon 2025-03-03 11:30'))],
      utc('Mon 2025-03-03 11:00'),
    ],
    ['no timers: none', () => [], null],
  ])('%s', (_scenario, timers, nearest) => {
    expect(nearestDueAt(timers())).toEqual(nearest);
  });
});

describe('nextCheckAt', () => {
  // 60 min from 10:00: at risk 10:48, due 11:00; breached → next escalation 12:00.
  const fresh = () => timer24x7(60, 'Mon 2025-03-03 10:00');

  type Row = [scenario: string, timers: () => Timer[], canEscalate: boolean, next: Date | null];
  it.each<Row>([
    ['the at-risk point, before due', () => [fresh()], true, utc('Mon 2025-03-03 10:48')],
    [
      'the due time once at risk is notified',
      () => [{ ...fresh(), atRiskNotified: true }],
      true,
      utc('Mon 2025-03-03 11:00'),
    ],
    [
      'the next escalation of a breached timer',
      () => [breachTimer(fresh())],
      true,
      utc('Mon 2025-03-03 12:00'),
    ],
    ['no next escalation at the cap', () => [breachTimer(fresh())], false, null],
    [
      'the due time is checked even at the cap (a breach is still recorded)',
      () => [{ ...fresh(), atRiskNotified: true }],
      false,
      utc('Mon 2025-03-03 11:00'),
    ],
    ['a paused timer is ignored', () => [pauseTimer(fresh(), utc('Mon 2025-03-03 10:30'))], true, null],
    [
      'a timer paused past its unrecorded due time: that due time',
      () => [pauseTimer(fresh(), utc('Mon 2025-03-03 11:30'))],
      true,
      utc('Mon 2025-03-03 11:00'),
    ],
    [
      'a paused breached timer: a repeat point before the pause',
      () => [pauseTimer(breachTimer(fresh()), utc('Mon 2025-03-03 12:30'))],
      true,
      utc('Mon 2025-03-03 12:00'),
    ],
    [
      'a paused breached timer is ignored',
      () => [pauseTimer(breachTimer(fresh()), utc('Mon 2025-03-03 11:30'))],
      true,
      null,
    ],
    ['a stopped timer is ignored', () => [achieveTimer(fresh(), utc('Mon 2025-03-03 10:30'))], true, null],
    [
      // resolution 240 from 10:00: at risk 13:12; first response breached: next escalation 12:00
      'the earliest point of several timers',
      () => [
        startTimer('resolution', 1, roundTheClock(240), utc('Mon 2025-03-03 10:00')),
        breachTimer(fresh()),
      ],
      true,
      utc('Mon 2025-03-03 12:00'),
    ],
    ['no timers: nothing to check', () => [], true, null],
  ])('%s', (_scenario, timers, canEscalate, next) => {
    expect(nextCheckAt(timers(), canEscalate)).toEqual(next);
  });
});
