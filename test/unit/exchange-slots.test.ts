/**
 * Exchange slots typed in one IANA zone and read in another, across the daylight-saving changes of
 * the last Sunday of March (2027-03-28) and of October (2026-10-25), with exact UTC instants.
 */
import { describe, expect, it } from 'vitest';
import { instantIn, readSlots, slotTime, wallTime } from '../../src/core/exchanges/slots.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const iso = (d: Date) => d.toISOString();
const slotsOf = (text: string, zone: string) => {
  const read = readSlots(text, zone, NOW);
  if (!('slots' in read)) throw new Error(JSON.stringify(read));
  return read.slots.map(iso);
};

describe('exchange slots across daylight-saving changes', () => {
  it('reads Paris times on both sides of 2027-03-28 (CET +01:00, then CEST +02:00)', () => {
    expect(slotsOf('2027-03-27 10:00\n2027-03-28 10:00\n2027-03-29 10:00', 'Europe/Paris')).toEqual([
      '2027-03-27T09:00:00.000Z',
      '2027-03-28T08:00:00.000Z',
      '2027-03-29T08:00:00.000Z',
    ]);
  });

  it('reads London times on both sides of 2027-03-28 (GMT, then BST +01:00)', () => {
    expect(slotsOf('2027-03-27 10:00\n2027-03-28 10:00\n2027-03-28 00:30', 'Europe/London')).toEqual([
      '2027-03-27T10:00:00.000Z',
      '2027-03-28T09:00:00.000Z',
      '2027-03-28T00:30:00.000Z',
    ]);
  });

  it('reads Paris and London times on both sides of 2026-10-25 (summer time ends)', () => {
    expect(slotsOf('2026-10-24 10:00\n2026-10-25 10:00\n2026-10-26 10:00', 'Europe/Paris')).toEqual([
      '2026-10-24T08:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
    ]);
    expect(slotsOf('2026-10-24 10:00\n2026-10-25 10:00\n2026-10-26 10:00', 'Europe/London')).toEqual([
      '2026-10-24T09:00:00.000Z',
      '2026-10-25T10:00:00.000Z',
      '2026-10-26T10:00:00.000Z',
    ]);
  });

  it('refuses a time the clocks skip, and takes the first of a time that happens twice (RFC 5545)', () => {
    expect(instantIn({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'Europe/Paris')).toBeUndefined();
    expect(instantIn({ year: 2027, month: 3, day: 28, hour: 1, minute: 30 }, 'Europe/London')).toBeUndefined();
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET) in Paris; 01:30 at 00:30Z and 01:30Z in London.
    expect(iso(instantIn({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris')!)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantIn({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/London')!)).toBe('2026-10-25T00:30:00.000Z');
    const read = readSlots('2027-03-28 02:30\n2027-03-29 10:00\n2027-03-30 10:00', 'Europe/Paris', NOW);
    expect(read).toEqual({ problems: [{ line: 1, key: 'errors.slotSkipped', params: { line: 1, text: '2027-03-28 02:30', zone: 'Europe/Paris' } }] });
  });

  it('shows the same instants in each channel’s zone: a Paris slot read in London and Stockholm', () => {
    const [saturday, sunday] = slotsOf('2027-03-27 10:00\n2027-03-28 10:00\n2027-03-29 10:00', 'Europe/Paris').map((s) => new Date(s));
    // London is an hour behind Paris on both days: the Saturday slot is 09:00 GMT, the Sunday one 09:00 BST.
    expect(wallTime(saturday!, 'Europe/London', 'en')).toBe('Sat 27 Mar 2027, 09:00');
    expect(wallTime(sunday!, 'Europe/London', 'en')).toBe('Sun 28 Mar 2027, 09:00');
    expect(slotTime(sunday!, 90, 'Europe/Paris', 'fr')).toBe('dim. 28 mars 2027, 10:00–11:30 (Europe/Paris)');
    expect(slotTime(sunday!, 90, 'Europe/Stockholm', 'en')).toBe('Sun 28 Mar 2027, 10:00–11:30 (Europe/Stockholm)');
    // In October London is still an hour behind Paris: 10:00 in Paris on the 25th is 09:00 in London.
    const [, october] = slotsOf('2026-10-24 10:00\n2026-10-25 10:00\n2026-10-26 10:00', 'Europe/Paris').map((s) => new Date(s));
    expect(wallTime(october!, 'Europe/London', 'en')).toBe('Sun 25 Oct 2026, 09:00');
    // An exchange that crosses midnight shows the end's day.
    expect(slotTime(new Date('2026-10-24T21:00:00Z'), 120, 'Europe/London', 'en')).toBe('Sat 24 Oct 2026, 22:00–Sun 25 Oct, 00:00 (Europe/London)');
  });
});

describe('reading the slot lines', () => {
  it('reports every bad line by its number', () => {
    const read = readSlots('2027-01-10 10:00\n\ntomorrow 10:00\n2025-12-31 09:00\n2027-02-30 10:00\n2027-01-10 10:00', 'Europe/Paris', NOW);
    expect('problems' in read && read.problems.map((p) => [p.line, p.key])).toEqual([
      [3, 'errors.slotFormat'],
      [4, 'errors.slotPast'],
      [5, 'errors.slotFormat'],
      [6, 'errors.slotRepeated'],
    ]);
  });

  it('wants 3 to 10 slots', () => {
    expect(readSlots('2027-01-10 10:00\n2027-01-11 10:00', 'Europe/Paris', NOW)).toMatchObject({ problems: [], count: { key: 'errors.slotCount', params: { count: 2, min: 3, max: 10 } } });
    const eleven = Array.from({ length: 11 }, (_, i) => `2027-01-${String(i + 10).padStart(2, '0')} 10:00`).join('\n');
    expect(readSlots(eleven, 'Europe/Paris', NOW)).toMatchObject({ count: { params: { count: 11 } } });
    expect(readSlots('2027-01-10 9:05\n2027-01-11T10:00\n2027-01-12 10h30', 'Europe/Paris', NOW)).toEqual({
      slots: [new Date('2027-01-10T08:05:00Z'), new Date('2027-01-11T09:00:00Z'), new Date('2027-01-12T09:30:00Z')],
    });
  });
});
