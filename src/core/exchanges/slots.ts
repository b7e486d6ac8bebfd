/**
 * The candidate times of an exchange, as the proposer types them — one `YYYY-MM-DD HH:MM` per line,
 * read in the proposer's platform's IANA time zone — and as each channel reads them back, in its own
 * zone and language. Pure functions; daylight-saving changes are handled here:
 *
 * - a local time that does not exist (the hour skipped when clocks go forward, e.g. 02:30 on
 *   2027-03-28 in Europe/Paris) is refused, with the reason;
 * - a local time that happens twice (the hour repeated when clocks go back, e.g. 02:30 on
 *   2026-10-25 in Europe/Paris) is its first occurrence, as RFC 5545 (iCalendar) reads it.
 */
import { DateTime } from 'luxon';

export const MIN_SLOTS = 3;
export const MAX_SLOTS = 10;

/** What is wrong with one line (numbered from 1), as a sentence key and its parameters. */
export interface SlotProblem {
  line: number;
  key: string;
  params: Record<string, unknown>;
}

export type SlotReading = { slots: Date[] } | { problems: SlotProblem[]; count?: { key: string; params: Record<string, unknown> } };

const LINE = /^(\d{4})-(\d{2})-(\d{2})[ T]+(\d{1,2})[:.h](\d{2})$/i;
const WALL = "yyyy-MM-dd'T'HH:mm";

/**
 * The instant of a wall-clock time in `zone`: undefined if it does not exist there (a gap), the
 * first of the two if it happens twice (an overlap).
 */
export function instantIn(local: { year: number; month: number; day: number; hour: number; minute: number }, zone: string): Date | undefined {
  const asUtc = DateTime.fromObject(local, { zone: 'UTC' });
  if (!asUtc.isValid) return undefined;
  const wall = asUtc.toFormat(WALL);
  // Every offset the zone has around that day: the instant is wall time minus one of them.
  const offsets = new Set([-1, 0, 1].map((days) => DateTime.fromMillis(asUtc.toMillis() + days * 86_400_000, { zone }).offset));
  const fits = [...offsets]
    .map((offset) => asUtc.toMillis() - offset * 60_000)
    .filter((ms) => DateTime.fromMillis(ms, { zone }).toFormat(WALL) === wall)
    .sort((a, b) => a - b);
  return fits.length ? new Date(fits[0]!) : undefined;
}

/**
 * Reads the slot lines typed in a form. Blank lines are skipped; each other line must be a date and
 * time that exists in `zone`, after `now`, and not a repeat of an earlier line; there must be
 * MIN_SLOTS to MAX_SLOTS of them. Every problem is reported with its line number.
 */
export function readSlots(text: string, zone: string, now: Date): SlotReading {
  const problems: SlotProblem[] = [];
  const slots: Date[] = [];
  const seen = new Map<number, number>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const typed = raw.trim();
    if (!typed) return;
    const m = LINE.exec(typed);
    if (!m) return void problems.push({ line, key: 'errors.slotFormat', params: { line, text: typed } });
    const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
    if (!DateTime.fromObject({ year, month, day, hour, minute }, { zone: 'UTC' }).isValid) {
      return void problems.push({ line, key: 'errors.slotFormat', params: { line, text: typed } });
    }
    const at = instantIn({ year, month, day, hour, minute }, zone);
    if (!at) return void problems.push({ line, key: 'errors.slotSkipped', params: { line, text: typed, zone } });
    if (at <= now) return void problems.push({ line, key: 'errors.slotPast', params: { line, text: typed } });
    const earlier = seen.get(at.getTime());
    if (earlier !== undefined) return void problems.push({ line, key: 'errors.slotRepeated', params: { line, text: typed, earlier } });
    seen.set(at.getTime(), line);
    slots.push(at);
  });
  if (problems.length) return { problems };
  if (slots.length < MIN_SLOTS || slots.length > MAX_SLOTS) {
    return { problems, count: { key: 'errors.slotCount', params: { count: slots.length, min: MIN_SLOTS, max: MAX_SLOTS } } };
  }
  return { slots };
}

/** `Sat 27 Mar 2027, 10:00` in `zone`, in `language` (luxon's month and day names). */
export function wallTime(at: Date, zone: string, language: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(language).toFormat('ccc d LLL yyyy, HH:mm');
}

/**
 * A slot as a channel reads it: `Sat 27 Mar 2027, 10:00–11:30 (Europe/Paris)`; the end shows its
 * date too when it falls on another day.
 */
export function slotTime(at: Date, durationMinutes: number, zone: string, language: string): string {
  const start = DateTime.fromJSDate(at, { zone }).setLocale(language);
  const end = start.plus({ minutes: durationMinutes });
  const endText = end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL, HH:mm');
  return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${endText} (${zone})`;
}

/** The way a slot is typed back in a form (`2027-03-27 10:00`), in `zone`. */
export const typedSlot = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
