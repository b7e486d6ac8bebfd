import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CronSchedule, ScheduleError } from '../../src/scheduler/cron.js';

/** The due times after `from`, `count` of them, as ISO instants. */
function nextTimes(schedule: CronSchedule, from: string, count: number): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    at = schedule.next(at)!;
    out.push(at.toISOString());
  }
  return out;
}

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");

describe('cron due times across daylight saving time', () => {
  // 2026: clocks go forward on Sunday 29 March (01:00 UTC) and back on Sunday 25 October (01:00 UTC).
  it('keeps a Monday 09:00 Europe/Paris job at 09:00 local across the last Sundays of March and October', () => {
    const weekly = new CronSchedule('0 9 * * 1', 'Europe/Paris');
    const spring = nextTimes(weekly, '2026-03-17T00:00:00Z', 3);
    expect(spring).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z']);
    const autumn = nextTimes(weekly, '2026-10-13T00:00:00Z', 3);
    expect(autumn).toEqual(['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-11-02T08:00:00.000Z']);
    for (const at of [...spring, ...autumn]) expect(local(at, 'Europe/Paris')).toMatch(/^Mon \d{4}-\d\d-\d\d 09:00$/);
  });

  it('does the same in Europe/London, an hour later in UTC', () => {
    const weekly = new CronSchedule('0 9 * * 1', 'Europe/London');
    const spring = nextTimes(weekly, '2026-03-17T00:00:00Z', 3);
    expect(spring).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z']);
    const autumn = nextTimes(weekly, '2026-10-13T00:00:00Z', 3);
    expect(autumn).toEqual(['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z', '2026-11-02T09:00:00.000Z']);
    for (const at of [...spring, ...autumn]) expect(local(at, 'Europe/London')).toMatch(/^Mon \d{4}-\d\d-\d\d 09:00$/);
  });

  it('finds the latest due time at or before an instant, across the change', () => {
    const weekly = new CronSchedule('0 9 * * 1', 'Europe/Paris');
    expect(weekly.latest(new Date('2026-03-30T07:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(weekly.latest(new Date('2026-03-30T06:59:59Z'))?.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(weekly.latest(new Date('2026-10-28T12:00:00Z'))?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(weekly.next(new Date('2026-03-30T07:00:00Z'))?.toISOString()).toBe('2026-04-06T07:00:00.000Z');
  });

  it('runs a local time skipped by clocks going forward at the instant they jump, once', () => {
    // Paris, 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 does not exist.
    const nightly = new CronSchedule('30 2 * * *', 'Europe/Paris');
    expect(nextTimes(nightly, '2026-03-28T00:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the jump
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
    // London, same night: 01:00 GMT becomes 02:00 BST; the three skipped times collapse into the jump.
    const every20 = new CronSchedule('*/20 * * * *', 'Europe/London');
    expect(nextTimes(every20, '2026-03-29T00:30:00Z', 4)).toEqual([
      '2026-03-29T00:40:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:20:00.000Z',
      '2026-03-29T01:40:00.000Z',
    ]);
  });

  it('runs a local time repeated by clocks going back once, at its first occurrence', () => {
    // Paris, 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
    const nightly = new CronSchedule('30 2 * * *', 'Europe/Paris');
    expect(nextTimes(nightly, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    // During the second 02:00–03:00, the latest due time is the first 02:30, not a second one.
    expect(nightly.latest(new Date('2026-10-25T01:45:00Z'))?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nightly.next(new Date('2026-10-25T01:15:00Z'))?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('next() and latest() agree everywhere, in zones with odd changes (midnight, half an hour)', () => {
    const zones = ['Europe/Paris', 'Europe/London', 'America/Santiago', 'Australia/Lord_Howe', 'America/New_York'];
    const crons = ['*/30 * * * *', '30 2 * * *', '0 0 * * *', '0 9 * * 1', '15 1,2,3 * * 0'];
    const schedules = zones.flatMap((zone) => crons.map((cron) => new CronSchedule(cron, zone)));
    const year = Date.UTC(2026, 0, 1);
    // The instants the zones change offset in 2026 (to the hour), to test around them most.
    const changes = zones.flatMap((zone) => {
      const z = IANAZone.create(zone);
      const hours = Array.from({ length: 366 * 24 }, (_, h) => year + h * 3_600_000);
      return hours.filter((t) => z.offset(t) !== z.offset(t - 3_600_000));
    });
    expect(changes.length).toBeGreaterThanOrEqual(2 * zones.length);
    const instant = fc.oneof(
      fc.integer({ min: year, max: year + 365 * 86_400_000 }),
      fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -4 * 3_600_000, max: 4 * 3_600_000 })).map(([c, d]) => c + d),
    );
    fc.assert(
      fc.property(fc.constantFrom(...schedules), instant, (schedule, ms) => {
        const t = new Date(ms);
        const next = schedule.next(t)!;
        const latest = schedule.latest(t)!;
        expect(next.getTime()).toBeGreaterThan(t.getTime());
        expect(latest.getTime()).toBeLessThanOrEqual(t.getTime());
        // Nothing is due strictly between them, and each finds the other.
        expect(schedule.next(latest)).toEqual(next);
        expect(schedule.latest(new Date(next.getTime() - 1))).toEqual(latest);
        expect(schedule.latest(next)).toEqual(next);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads names, nicknames, seconds and ranges as node-cron does', () => {
    expect(new CronSchedule('0 9 * * mon', 'Europe/Paris').next(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(new CronSchedule('@weekly', 'UTC').next(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-04T00:00:00.000Z');
    expect(nextTimes(new CronSchedule('15,45 * * * * *', 'UTC'), '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:45.000Z',
      '2026-01-01T00:01:15.000Z',
    ]);
    // Day of month and day of week must both match: the first Monday of the month.
    expect(nextTimes(new CronSchedule('0 8 1-7 * 1', 'UTC'), '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-02-02T08:00:00.000Z',
    ]);
  });

  it('refuses an invalid expression or time zone with a clear error', () => {
    const refusal = (cron: string, zone = 'Europe/Paris') => {
      try {
        new CronSchedule(cron, zone);
      } catch (error) {
        expect(error).toBeInstanceOf(ScheduleError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${cron} in ${zone}`);
    };
    expect(refusal('0 9 * * 8')).toBe('invalid cron expression "0 9 * * 8": 8 is a invalid expression for week day');
    expect(refusal('0 9 * *')).toBe('invalid cron expression "0 9 * *": expected 5 or 6 fields but got 4');
    expect(refusal('every monday')).toMatch(/^invalid cron expression "every monday": /);
    expect(refusal('0 9 31 2 *')).toMatch(/impossible day of month/);
    expect(refusal('0 9 L * *')).toMatch(/not supported/);
    expect(refusal('0 9 * * 1', 'Paris')).toBe('unknown time zone "Paris" (use an IANA name such as Europe/Paris)');
  });
});
