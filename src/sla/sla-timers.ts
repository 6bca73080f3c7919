import {
  addBusinessMinutes,
  businessMinutesBetween,
  CALENDAR_24X7,
  type CalendarSpec,
  NoBusinessTimeError,
} from './calendar/business-calendar';

/**
 * SLA timer arithmetic and state changes (SPEC §6, §12 "Timers"), as pure functions over plain
 * values: the clock is passed in, nothing is read or written here.
 *
 * A timer runs from `startedAt` towards `dueAt` in its calendar's business time. While paused,
 * the time until each future point (at-risk, due, next escalation) is frozen, and those points
 * move by the paused business time on resume. A breached timer keeps running (unanswered) until
 * achieved; each further full target past `dueAt` is another escalation point.
 *
 * A calendar with no business time to count (every day a holiday: refused when saved, but an old
 * one may exist) cannot place a point in time. A timer started or re-targeted into one counts round
 * the clock instead, with no calendar, as a timer whose calendar was deleted does; a point of a
 * timer whose calendar lost its business time later is placed in round-the-clock time.
 */

export const TIMER_KINDS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];
export type TimerStatus = 'active' | 'paused' | 'achieved' | 'breached';

export interface Timer {
  id?: string;
  kind: TimerKind;
  cycle: number;
  status: TimerStatus;
  /** Still waiting for the action that stops it (active, paused, or breached and unanswered). */
  running: boolean;
  targetMinutes: number;
  atRiskPercent: number;
  calendarId: string | null;
  calendar: CalendarSpec;
  startedAt: Date;
  dueAt: Date;
  atRiskAt: Date;
  atRiskNotified: boolean;
  pausedAt: Date | null;
  /** Business minutes paused since counting began in the current calendar (`countingSince`). */
  pausedMinutes: number;
  /**
   * Business minutes counted before `countingSince`, pauses excluded, in the calendars the timer
   * had then: a re-target into another calendar carries what had elapsed over (0 otherwise).
   */
  carriedMinutes: number;
  /** Since when the timer counts in its current calendar: null for since `startedAt`. */
  countingSince: Date | null;
  breachedAt: Date | null;
  achievedAt: Date | null;
  stoppedAt: Date | null;
  escalations: number;
  nextEscalationAt: Date | null;
}

export interface TimerTarget {
  targetMinutes: number;
  atRiskPercent: number;
  calendarId: string | null;
  calendar: CalendarSpec;
}

/** A target without a calendar: round-the-clock time, as a deleted calendar counts. */
function roundTheClock(target: TimerTarget): TimerTarget {
  return { ...target, calendarId: null, calendar: CALENDAR_24X7 };
}

/** Builds a timer in the target's calendar, or round the clock when that calendar has no business time. */
function inUsableCalendar(target: TimerTarget, build: (target: TimerTarget) => Timer): Timer {
  try {
    return build(target);
  } catch (error) {
    if (!(error instanceof NoBusinessTimeError)) throw error;
    return build(roundTheClock(target));
  }
}

/** The instant `minutes` of the calendar's business time after `from` (round the clock if it has none). */
export function pointAfter(calendar: CalendarSpec, from: Date, minutes: number): Date {
  try {
    return addBusinessMinutes(calendar, from, minutes);
  } catch (error) {
    if (!(error instanceof NoBusinessTimeError)) throw error;
    return addBusinessMinutes(CALENDAR_24X7, from, minutes);
  }
}

export function startTimer(kind: TimerKind, cycle: number, target: TimerTarget, now: Date): Timer {
  return inUsableCalendar(target, (usable) => startIn(kind, cycle, usable, now));
}

function startIn(kind: TimerKind, cycle: number, target: TimerTarget, now: Date): Timer {
  const { calendar, targetMinutes, atRiskPercent } = target;
  return {
    kind,
    cycle,
    status: 'active',
    running: true,
    ...target,
    startedAt: now,
    dueAt: addBusinessMinutes(calendar, now, targetMinutes),
    atRiskAt: addBusinessMinutes(calendar, now, (targetMinutes * atRiskPercent) / 100),
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
  };
}

/** What elapsedMinutes reads of a timer. */
export type ElapsedState = Pick<
  Timer,
  'calendar' | 'startedAt' | 'countingSince' | 'carriedMinutes' | 'pausedAt' | 'pausedMinutes' | 'stoppedAt'
>;

/**
 * Business minutes the timer has counted up to now (or its stop, or its pause), pauses excluded:
 * what it carried over from earlier calendars, plus what its calendar counts since it took over.
 */
export function elapsedMinutes(timer: ElapsedState, now: Date): number {
  const end = timer.stoppedAt ?? timer.pausedAt ?? now;
  const since = timer.countingSince ?? timer.startedAt;
  const counted = businessMinutesBetween(timer.calendar, since, end) - timer.pausedMinutes;
  return Math.max(0, (timer.carriedMinutes ?? 0) + counted);
}

/** Status as of `now`: an active timer whose due time has passed is breached even before a sweep records it. */
export function effectiveStatus(timer: Timer, now: Date): TimerStatus {
  return timer.status === 'active' && timer.running && timer.dueAt <= now ? 'breached' : timer.status;
}

/**
 * Pending: the timer stops counting until resumed. A timer already past its due time is breached
 * at that due time whether a sweep has recorded it yet or not, so a pause cannot hide it: it stays
 * `active` (shown breached, and the sweep records the breach and its escalation, at the due time)
 * and its repeat clock is set from the due time now, so that the pause holds that clock back.
 */
export function pauseTimer(timer: Timer, now: Date): Timer {
  if (!timer.running || timer.pausedAt) return timer;
  if (timer.status === 'active' && timer.dueAt <= now) {
    const repeat = pointAfter(timer.calendar, timer.dueAt, timer.targetMinutes);
    // A follow-up since the due time restarted the repeat clock later: that one stays.
    const restarted = timer.nextEscalationAt && timer.nextEscalationAt > repeat;
    return { ...timer, pausedAt: now, nextEscalationAt: restarted ? timer.nextEscalationAt : repeat };
  }
  return { ...timer, status: timer.status === 'active' ? 'paused' : timer.status, pausedAt: now };
}

/** Paused while past its due time (its breach recorded or not): its due time has passed all the same. */
function pausedInBreach(timer: Timer): boolean {
  return timer.pausedAt !== null && timer.status !== 'paused';
}

export function resumeTimer(timer: Timer, now: Date): Timer {
  if (!timer.running || !timer.pausedAt) return timer;
  const { calendar, pausedAt } = timer;
  const paused = businessMinutesBetween(calendar, pausedAt, now);
  // A point still ahead when the pause began is as far ahead of now as it was of the pause.
  const shift = (point: Date) =>
    point > pausedAt ? pointAfter(calendar, now, businessMinutesBetween(calendar, pausedAt, point)) : point;
  return {
    ...timer,
    status: timer.status === 'paused' ? 'active' : timer.status,
    pausedAt: null,
    pausedMinutes: timer.pausedMinutes + paused,
    dueAt: shift(timer.dueAt),
    atRiskAt: shift(timer.atRiskAt),
    nextEscalationAt: timer.nextEscalationAt && shift(timer.nextEscalationAt),
  };
}

/** The awaited action happened: achieved in time, or answered late (stays breached). */
export function achieveTimer(timer: Timer, now: Date): Timer {
  if (!timer.running) return timer;
  // A paused timer's due time moves only on resume: while paused, lateness is the time counted.
  const late =
    timer.status === 'breached' ||
    (timer.pausedAt ? elapsedMinutes(timer, now) >= timer.targetMinutes : timer.dueAt <= now);
  return {
    ...timer,
    status: late ? 'breached' : 'achieved',
    breachedAt: late ? (timer.breachedAt ?? timer.dueAt) : null,
    running: false,
    achievedAt: now,
    stoppedAt: now,
    pausedAt: null,
    pausedMinutes: timer.pausedAt
      ? timer.pausedMinutes + businessMinutesBetween(timer.calendar, timer.pausedAt, now)
      : timer.pausedMinutes,
    nextEscalationAt: null,
  };
}

/** Recorded breach, at the true breach time (its due time), with the first repeat point one target later. */
export function breachTimer(timer: Timer): Timer {
  return {
    ...timer,
    status: 'breached',
    breachedAt: timer.dueAt,
    atRiskNotified: true,
    nextEscalationAt: pointAfter(timer.calendar, timer.dueAt, timer.targetMinutes),
  };
}

/** After an escalation at `from` (a repeat point, or a follow-up), the next repeat is one full target later. */
export function scheduleNextEscalation(timer: Timer, from: Date): Timer {
  return { ...timer, nextEscalationAt: pointAfter(timer.calendar, from, timer.targetMinutes) };
}

/**
 * A new target (another policy, or the same policy's new targets): the elapsed business time is
 * kept and the running deadlines are recomputed from now. Into another calendar, what had elapsed
 * is carried over and the new calendar counts from now (from the pause, if paused), so neither the
 * elapsed time nor a later re-target measures the past in a calendar the timer did not have then.
 * Breached timers stay breached.
 */
export function retargetTimer(timer: Timer, target: TimerTarget, now: Date): Timer {
  // Past its due time it is breached at that time, recorded or not: it stays as it is.
  if (!timer.running || effectiveStatus(timer, now) === 'breached') return timer;
  return inUsableCalendar(target, (usable) => retargetIn(timer, usable, now));
}

function retargetIn(timer: Timer, target: TimerTarget, now: Date): Timer {
  const elapsed = elapsedMinutes(timer, now);
  const from = timer.pausedAt ?? now;
  const { calendar } = target;
  const at = (minutes: number) => (minutes > 0 ? addBusinessMinutes(calendar, from, minutes) : from);
  const atRiskMinutes = (target.targetMinutes * target.atRiskPercent) / 100 - elapsed;
  const counting =
    target.calendarId === timer.calendarId
      ? {}
      : { carriedMinutes: elapsed, countingSince: from, pausedMinutes: 0 };
  return {
    ...timer,
    ...target,
    ...counting,
    dueAt: at(target.targetMinutes - elapsed),
    atRiskAt: at(atRiskMinutes),
    atRiskNotified: timer.atRiskNotified && atRiskMinutes <= 0,
  };
}

/**
 * The nearest running deadline (for the agent queue's `sort=slaDueAt` and `breached=true`): a
 * paused timer has none, unless it was paused past its due time, which stays passed.
 */
export function nearestDueAt(timers: readonly Timer[]): Date | null {
  return earliest(
    timers
      .filter((timer) => timer.running && (!timer.pausedAt || pausedInBreach(timer)))
      .map((timer) => timer.dueAt),
  );
}

/**
 * The next moment anything SLA-related can happen to the ticket: an at-risk point not yet
 * notified, a due time not yet recorded as breached, or a repeat escalation while below the cap;
 * of a paused timer, only those that came before its pause.
 */
export function nextCheckAt(timers: readonly Timer[], canEscalate: boolean): Date | null {
  const points: Date[] = [];
  for (const timer of timers) {
    if (!timer.running) continue;
    if (timer.pausedAt) {
      // Paused: only what fell due before the pause (its clock stands still).
      const due = timer.status === 'active' ? timer.dueAt : canEscalate ? timer.nextEscalationAt : null;
      if (due && due <= timer.pausedAt) points.push(due);
    } else if (timer.status === 'active') {
      points.push(timer.atRiskNotified ? timer.dueAt : timer.atRiskAt);
    } else if (timer.status === 'breached' && canEscalate && timer.nextEscalationAt) {
      points.push(timer.nextEscalationAt);
    }
  }
  return earliest(points);
}

function earliest(dates: Date[]): Date | null {
  return dates.length === 0 ? null : new Date(Math.min(...dates.map((date) => date.getTime())));
}
