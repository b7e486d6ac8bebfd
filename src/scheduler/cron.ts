/**
 * Due times of a cron expression in an IANA time zone, computed from the clock we are given
 * (never from the timer that wakes the process). node-cron parses and validates the expression;
 * the calendar walk is ours, over luxon's zone data, so that it works backwards too (the latest
 * due time a process missed while it was down) and so that daylight saving time is explicit:
 *
 * - a local time that occurs twice (the hour repeated when clocks go back) is due once, at its
 *   first occurrence;
 * - a local time that does not exist (the hour skipped when clocks go forward) is due at the
 *   instant the clocks jump, as cron has always done.
 *
 * So a weekly `0 9 * * 1` in Europe/Paris is due at 09:00 local every Monday, 07:00 UTC in summer
 * and 08:00 UTC in winter. Day of month and day of week must both match (node-cron's reading).
 */
import { IANAZone } from 'luxon';
import { validateDetailed } from 'node-cron';
import { isTimeZone } from '../util/time-zones.js';

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** A local calendar time, to the second. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
/** Further than any daylight saving shift (two hours at most, anywhere). */
const DST_MARGIN_MS = 3 * HOUR_MS;
/** How far the walk goes before deciding there is no due time (Feb 29 on a Monday: 28 years). */
const MAX_DAYS = 366 * 30;

const ascending = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

/** A validated cron expression in a time zone. */
export class CronSchedule {
  private readonly zone: IANAZone;
  private readonly seconds: number[];
  private readonly minutes: number[];
  private readonly hours: number[];
  private readonly daysOfMonth: Set<number>;
  private readonly months: Set<number>;
  private readonly daysOfWeek: Set<number>;

  /** Throws a ScheduleError that says what is wrong with the expression or the zone. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    if (!isTimeZone(timezone)) throw new ScheduleError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Paris)`);
    const checked = validateDetailed(expression);
    if (!checked.valid || !checked.fields) {
      const why = checked.errors.map((e) => e.message).join('; ');
      throw new ScheduleError(`invalid cron expression "${expression}": ${why}`);
    }
    const { second, minute, hour, dayOfMonth, month, dayOfWeek } = checked.fields;
    const special = [...dayOfMonth, ...dayOfWeek].filter((v) => typeof v !== 'number');
    if (special.length) {
      throw new ScheduleError(`invalid cron expression "${expression}": ${special.join(', ')} (L, W and # days) are not supported here`);
    }
    this.zone = IANAZone.create(timezone);
    this.seconds = ascending(second);
    this.minutes = ascending(minute);
    this.hours = ascending(hour);
    this.daysOfMonth = new Set(dayOfMonth as number[]);
    this.months = new Set(month);
    this.daysOfWeek = new Set((dayOfWeek as number[]).map((d) => d % 7));
  }

  /** The first due time strictly after `after`, or undefined if there is none within 30 years. */
  next(after: Date): Date | undefined {
    const limit = after.getTime();
    // Local times before the local time of `after` are due no later than `after`.
    for (const wall of this.walls(this.wallAt(limit), 1)) {
      const at = this.instant(wall);
      if (at > limit) return new Date(at);
    }
    return undefined;
  }

  /** The last due time at or before `atOrBefore`, or undefined if there is none within 30 years. */
  latest(atOrBefore: Date): Date | undefined {
    const limit = atOrBefore.getTime();
    // A repeated hour makes local times up to an hour or two ahead of `atOrBefore` already past.
    for (const wall of this.walls(this.wallAt(limit + DST_MARGIN_MS), -1)) {
      const at = this.instant(wall);
      if (at <= limit) return new Date(at);
    }
    return undefined;
  }

  /** The local time in the zone at `ms`, to the second. */
  private wallAt(ms: number): Wall {
    const local = new Date(Math.floor(ms / 1000) * 1000 + this.zone.offset(ms) * 60_000);
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
    };
  }

  /**
   * The instant a local time is due: its first occurrence if it occurs twice, the end of the gap
   * if it falls in one. The result never decreases as the local time increases, which is what
   * lets next() and latest() stop at the first match.
   */
  private instant(w: Wall): number {
    const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const guess = naive - this.zone.offset(naive) * 60_000;
    const offsets = new Set([guess - DST_MARGIN_MS, guess, guess + DST_MARGIN_MS].map((t) => this.zone.offset(t)));
    const readings = [...offsets].map((o) => naive - o * 60_000).filter((t) => naive - t === this.zone.offset(t) * 60_000);
    if (readings.length) return Math.min(...readings);
    // In a gap: the first instant whose local time is at or after `w`, to the second.
    const localAt = (t: number) => t + this.zone.offset(t) * 60_000;
    let lo = Math.floor((guess - DST_MARGIN_MS) / 1000);
    let hi = Math.ceil((guess + DST_MARGIN_MS) / 1000);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localAt(mid * 1000) >= naive) hi = mid;
      else lo = mid;
    }
    return hi * 1000;
  }

  /** The local times that match, from `start` (included) forwards or backwards, day by day. */
  private *walls(start: Wall, dir: 1 | -1): Generator<Wall> {
    const order = (values: number[]) => (dir === 1 ? values : [...values].reverse());
    const [hours, minutes, seconds] = [order(this.hours), order(this.minutes), order(this.seconds)];
    const before = (value: number, bound: number) => (value - bound) * dir < 0;
    for (let i = 0; i < MAX_DAYS; i++) {
      const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i * dir));
      const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (!this.months.has(month) || !this.daysOfMonth.has(day) || !this.daysOfWeek.has(date.getUTCDay())) continue;
      const first = i === 0;
      for (const hour of hours) {
        if (first && before(hour, start.hour)) continue;
        const firstHour = first && hour === start.hour;
        for (const minute of minutes) {
          if (firstHour && before(minute, start.minute)) continue;
          const firstMinute = firstHour && minute === start.minute;
          for (const second of seconds) {
            if (firstMinute && before(second, start.second)) continue;
            yield { year, month, day, hour, minute, second };
          }
        }
      }
    }
  }
}
