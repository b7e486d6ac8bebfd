/**
 * The span of time a digest covers, in the platform's time zone (luxon), and the span it is
 * compared with: the same length of time one week earlier.
 *
 * - A scheduled digest (due Monday 09:00) covers the 7 days before its due time.
 * - `--week 2026-W48` covers that ISO week, Monday 00:00 to Monday 00:00 in the platform's zone.
 * - `/passerelle digest` covers the current ISO week so far: Monday 00:00 to now.
 *
 * A digest is named by an ISO week (`2026-W48`): the week holding the middle of its span, so that
 * a Monday 09:00 digest is named by the week it looks back on, and a Friday 17:00 one by its own.
 */
import { DateTime } from 'luxon';

export interface DigestWindow {
  /** ISO week, e.g. 2026-W48. */
  week: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The span compared with: one week earlier, same length. */
  previousFrom: Date;
  previousTo: Date;
  /** True for the current week so far. */
  partial: boolean;
  timezone: string;
}

export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

const isoWeekOf = (at: DateTime) => at.toFormat("kkkk-'W'WW");

function window(from: DateTime, to: DateTime, partial: boolean, timezone: string): DigestWindow {
  const middle = from.plus({ milliseconds: Math.floor(to.diff(from).as('milliseconds') / 2) });
  return {
    week: isoWeekOf(middle),
    from: from.toJSDate(),
    to: to.toJSDate(),
    previousFrom: from.minus({ weeks: 1 }).toJSDate(),
    previousTo: to.minus({ weeks: 1 }).toJSDate(),
    partial,
    timezone,
  };
}

/** The 7 days before `dueAt` (a scheduled run), in `timezone` (a DST change keeps local times). */
export function pastWeek(dueAt: Date, timezone: string): DigestWindow {
  const to = DateTime.fromJSDate(dueAt, { zone: timezone });
  return window(to.minus({ days: 7 }), to, false, timezone);
}

/** An ISO week (`2026-W48`), Monday 00:00 to Monday 00:00 in `timezone`; undefined if there is no such week. */
export function isoWeek(week: string, timezone: string): DigestWindow | undefined {
  const m = ISO_WEEK.exec(week);
  if (!m) return undefined;
  const from = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone: timezone });
  if (!from.isValid || from.weekNumber !== Number(m[2]) || from.weekYear !== Number(m[1])) return undefined;
  return window(from, from.plus({ weeks: 1 }), false, timezone);
}

/** The ISO week holding `now`, from its Monday 00:00 to `now`. */
export function weekSoFar(now: Date, timezone: string): DigestWindow {
  const to = DateTime.fromJSDate(now, { zone: timezone });
  const from = to.startOf('week');
  const w = window(from, to, true, timezone);
  return { ...w, week: isoWeekOf(from) };
}

/** The last complete ISO week before `now`. */
export function lastWeek(now: Date, timezone: string): DigestWindow {
  const from = DateTime.fromJSDate(now, { zone: timezone }).startOf('week').minus({ weeks: 1 });
  return window(from, from.plus({ weeks: 1 }), false, timezone);
}
