/**
 * The scheduler on a real SQLite file, with a clock the tests move: once per due time, across
 * processes (two clients on one file), across restarts, with retries after the lease.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScheduleError } from '../../src/scheduler/scheduler.js';
import { Clock, recorder, schedulerOn, tempDatabase, type TempDatabase } from './helpers.js';

const WEEKLY = '0 9 * * 1'; // Mondays 09:00
const PARIS = 'Europe/Paris';
// Mondays 09:00 Paris in 2026: 23 March is CET (08:00 UTC), 30 March and 6 April CEST (07:00 UTC).
const MON_23 = '2026-03-23T08:00:00.000Z';
const MON_30 = '2026-03-30T07:00:00.000Z';
const MON_06 = '2026-04-06T07:00:00.000Z';
const MINUTE = 60_000;

let database: TempDatabase;
beforeEach(async () => {
  database = await tempDatabase();
});
afterEach(async () => {
  await database.cleanup();
});

async function rows(db = database.open()) {
  const all = await db.jobRun.findMany({ orderBy: [{ job: 'asc' }, { dueAt: 'asc' }] });
  return all.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() }));
}

describe('Scheduler', () => {
  it('runs a weekly job once per due time however often runDue is called', async () => {
    const clock = new Clock(new Date('2026-03-23T08:00:30Z'));
    const { scheduler } = schedulerOn(database, clock);
    const digest = recorder();
    scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);

    expect(await scheduler.runDue()).toBe(1);
    const again = await Promise.all([scheduler.runDue(), scheduler.runDue(), scheduler.runDue()]);
    expect(again).toEqual([0, 0, 0]);
    expect(digest.calls).toEqual([MON_23]);

    clock.set('2026-03-30T06:59:59Z'); // 08:59:59 CEST: not yet
    expect(await scheduler.runDue()).toBe(0);
    clock.set('2026-03-30T07:00:00Z'); // 09:00 CEST
    expect(await scheduler.runDue()).toBe(1);
    clock.advance(3 * 24 * 60 * MINUTE);
    expect(await scheduler.runDue()).toBe(0);
    expect(digest.calls).toEqual([MON_23, MON_30]);

    const recorded = await rows();
    expect(recorded.map((r) => [r.job, r.dueAt, r.attempts, r.lastError])).toEqual([
      ['digest:FR', MON_23, 1, null],
      ['digest:FR', MON_30, 1, null],
    ]);
    expect(recorded.every((r) => r.finishedAt && r.owner === scheduler.owner)).toBe(true);
  });

  it('runs it once when two processes sharing the database call runDue at the same time', async () => {
    const clock = new Clock(new Date('2026-03-30T07:00:05Z'));
    const a = schedulerOn(database, clock, { owner: 'process-a' });
    const b = schedulerOn(database, clock, { owner: 'process-b' });
    const digest = recorder({ delayMs: 30 });
    a.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    b.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);

    const counts = await Promise.all([a, b, a, b, a, b].map((p) => p.scheduler.runDue()));
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    expect(digest.calls).toEqual([MON_30]);
    const [row] = await rows();
    expect(['process-a', 'process-b']).toContain(row.owner);
    expect(row).toMatchObject({ dueAt: MON_30, attempts: 1, lastError: null, finishedAt: expect.any(Date) });
  });

  it('runs at start-up only the latest due time missed while down, and records it', async () => {
    const clock = new Clock(new Date('2026-03-16T08:01:00Z'));
    const first = schedulerOn(database, clock);
    const digest = recorder();
    first.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    await first.scheduler.start();
    await first.scheduler.stop();
    expect(digest.calls).toEqual(['2026-03-16T08:00:00.000Z']);

    // Down over 23 and 30 March; back on Wednesday 1 April.
    clock.set('2026-04-01T10:00:00Z');
    const second = schedulerOn(database, clock);
    second.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    await second.scheduler.start();
    await second.scheduler.stop();
    expect(digest.calls).toEqual(['2026-03-16T08:00:00.000Z', MON_30]);
    expect(second.messages()).toContain('scheduled run finished');

    // Restarted again the same day: nothing to do.
    const third = schedulerOn(database, clock);
    third.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    await third.scheduler.start();
    await third.scheduler.stop();
    expect(digest.calls).toHaveLength(2);
    expect((await rows()).map((r) => [r.dueAt, !!r.finishedAt])).toEqual([
      ['2026-03-16T08:00:00.000Z', true],
      [MON_30, true],
    ]);
  });

  it("with catchUp 'none', skips what was missed while down and runs the next due time", async () => {
    const clock = new Clock(new Date('2026-04-01T10:00:00Z'));
    const { scheduler } = schedulerOn(database, clock);
    const reminder = recorder();
    scheduler.every('reminder', WEEKLY, PARIS, reminder.run, { catchUp: 'none' });
    await scheduler.start();
    await scheduler.stop();
    expect(reminder.calls).toEqual([]);
    clock.set('2026-04-06T07:00:01Z');
    expect(await scheduler.runDue()).toBe(1);
    expect(reminder.calls).toEqual([MON_06]);
  });

  it('retries a run that threw once its lease has expired, not before', async () => {
    const clock = new Clock(new Date('2026-03-30T07:00:00Z'));
    const { scheduler, lines } = schedulerOn(database, clock, { leaseMs: 10 * MINUTE });
    const digest = recorder({ fail: (call) => call === 1 });
    scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);

    expect(await scheduler.runDue()).toBe(1);
    const failed = lines.find((l) => l.msg === 'scheduled run failed; it is retried after its lease');
    expect(failed).toMatchObject({ job: 'digest:FR', dueAt: MON_30, attempt: 1, retryAfter: '2026-03-30T07:10:00.000Z' });
    expect((await rows())[0]).toMatchObject({ attempts: 1, finishedAt: null, lastError: 'boom 1' });

    clock.set('2026-03-30T07:09:59Z');
    expect(await scheduler.runDue()).toBe(0);
    clock.set('2026-03-30T07:10:00Z'); // the lease runs until this instant included
    expect(await scheduler.runDue()).toBe(0);
    expect(digest.calls).toEqual([MON_30]);

    clock.set('2026-03-30T07:10:01Z');
    expect(await scheduler.runDue()).toBe(1);
    expect(digest.calls).toEqual([MON_30, MON_30]);
    expect((await rows())[0]).toMatchObject({ attempts: 2, lastError: null, finishedAt: new Date('2026-03-30T07:10:01Z') });
    clock.advance(60 * MINUTE);
    expect(await scheduler.runDue()).toBe(0);
  });

  it('gives a run up after maxAttempts, with a log line, and never runs it again', async () => {
    const clock = new Clock(new Date('2026-03-30T07:00:00Z'));
    const { scheduler, lines } = schedulerOn(database, clock, { leaseMs: MINUTE, maxAttempts: 3 });
    const digest = recorder({ fail: () => true });
    scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    for (let i = 0; i < 6; i++) {
      await scheduler.runDue();
      clock.advance(MINUTE + 1000);
    }
    expect(digest.calls).toEqual([MON_30, MON_30, MON_30]);
    expect((await rows())[0]).toMatchObject({ attempts: 3, finishedAt: expect.any(Date), lastError: 'given up after 3 attempts: boom 3' });
    expect(lines.filter((l) => l.msg === 'scheduled run given up')).toEqual([
      expect.objectContaining({ level: 50, job: 'digest:FR', dueAt: MON_30, attempts: 3 }),
    ]);

    // The next due time is a new run.
    clock.set(MON_06);
    expect(await scheduler.runDue()).toBe(1);
  });

  it('takes over a run that crashed halfway (unfinished, lease expired) once, even with two processes', async () => {
    const clock = new Clock(new Date('2026-03-30T07:20:00Z'));
    const db = database.open();
    const crashed = { job: 'digest:FR', dueAt: new Date(MON_30), owner: 'dead-process', startedAt: new Date(MON_30), attempts: 1 };
    // A lease that has not expired yet: the crashed process may still be running it.
    await db.jobRun.create({ data: { ...crashed, leaseUntil: new Date('2026-03-30T07:25:00Z') } });

    const a = schedulerOn(database, clock, { owner: 'process-a' });
    const b = schedulerOn(database, clock, { owner: 'process-b' });
    const digest = recorder({ delayMs: 20 });
    for (const p of [a, b]) p.scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    expect(await Promise.all([a.scheduler.runDue(), b.scheduler.runDue()])).toEqual([0, 0]);

    clock.set('2026-03-30T07:25:01Z');
    const counts = await Promise.all([a, b, a, b].map((p) => p.scheduler.runDue()));
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    expect(digest.calls).toEqual([MON_30]);
    const [row] = await rows(db);
    expect(row).toMatchObject({ attempts: 2, lastError: null, finishedAt: expect.any(Date) });
    expect(['process-a', 'process-b']).toContain(row.owner);
  });

  it('gives up a crashed run that has no attempt left instead of taking it over', async () => {
    const clock = new Clock(new Date('2026-03-30T08:00:00Z'));
    const db = database.open();
    await db.jobRun.create({
      data: { job: 'digest:FR', dueAt: new Date(MON_30), owner: 'dead', leaseUntil: new Date('2026-03-30T07:30:00Z'), attempts: 5, lastError: 'boom' },
    });
    const { scheduler, messages } = schedulerOn(database, clock);
    const digest = recorder();
    scheduler.every('digest:FR', WEEKLY, PARIS, digest.run);
    expect(await scheduler.runDue()).toBe(0);
    expect(digest.calls).toEqual([]);
    expect(messages()).toContain('scheduled run given up');
    expect((await rows(db))[0]).toMatchObject({ attempts: 5, lastError: 'given up after 5 attempts: boom', finishedAt: new Date('2026-03-30T08:00:00Z') });
  });

  it('runs a one-off at() once, even when started after its time, and not again after a restart', async () => {
    const clock = new Clock(new Date('2026-05-01T12:00:00Z'));
    const closeVote = recorder();
    const when = new Date('2026-05-01T10:00:00Z');
    for (let restart = 0; restart < 2; restart++) {
      const { scheduler } = schedulerOn(database, clock);
      scheduler.at('vote:42:close', when, closeVote.run);
      await scheduler.start();
      expect(await scheduler.runDue()).toBe(0);
      await scheduler.stop();
    }
    expect(closeVote.calls).toEqual([when.toISOString()]);
    expect(await rows()).toEqual([expect.objectContaining({ job: 'vote:42:close', dueAt: when.toISOString(), attempts: 1, finishedAt: expect.any(Date) })]);
  });

  it('runs a one-off at() in the future only once its time has come', async () => {
    const clock = new Clock(new Date('2026-05-01T09:59:59Z'));
    const { scheduler } = schedulerOn(database, clock);
    const closeVote = recorder();
    scheduler.at('vote:43:close', new Date('2026-05-01T10:00:00Z'), closeVote.run);
    expect(await scheduler.runDue()).toBe(0);
    clock.advance(1000);
    expect(await scheduler.runDue()).toBe(1);
    clock.advance(1000);
    expect(await scheduler.runDue()).toBe(0);
    expect(closeVote.calls).toEqual(['2026-05-01T10:00:00.000Z']);
    // Done with, it is forgotten: the name can be used again.
    expect(scheduler.cancel('vote:43:close')).toBe(false);
  });

  it('wakes up by itself at a due time, and at once for a one-off added late', async () => {
    const { scheduler } = schedulerOn(database, new Clock(new Date()), { now: () => new Date() });
    const soon = recorder();
    const late = recorder();
    scheduler.at('soon', new Date(Date.now() + 50), soon.run);
    await scheduler.start();
    expect(soon.calls).toEqual([]);
    await expect.poll(() => soon.calls.length, { timeout: 1000, interval: 10 }).toBe(1);
    scheduler.at('late', new Date(Date.now() - 1000), late.run);
    await expect.poll(() => late.calls.length, { timeout: 1000, interval: 10 }).toBe(1);
    await scheduler.stop();
  });

  it('stop() waits for a run in progress and stops waking up', async () => {
    const clock = new Clock(new Date('2026-03-30T07:00:00Z'));
    const { scheduler } = schedulerOn(database, clock);
    let finished = false;
    scheduler.every('slow', WEEKLY, PARIS, async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
    });
    const running = scheduler.runDue();
    await new Promise((r) => setTimeout(r, 5));
    await scheduler.stop();
    expect(finished).toBe(true);
    expect(await running).toBe(1);
  });

  it('refuses an invalid cron expression, time zone or date, and a name used twice, saying which job', () => {
    const { scheduler } = schedulerOn(database, new Clock(new Date()));
    const noop = async () => {};
    expect(() => scheduler.every('digest:FR', '0 25 * * 1', PARIS, noop)).toThrow(
      new ScheduleError('job "digest:FR": invalid cron expression "0 25 * * 1": 25 is a invalid expression for hour'),
    );
    expect(() => scheduler.every('digest:FR', WEEKLY, 'Europe/Pariss', noop)).toThrow(
      'job "digest:FR": unknown time zone "Europe/Pariss" (use an IANA name such as Europe/Paris)',
    );
    expect(() => scheduler.at('vote:1:close', new Date('soon'), noop)).toThrow('job "vote:1:close": invalid date');
    scheduler.every('digest:FR', WEEKLY, PARIS, noop);
    expect(() => scheduler.every('digest:FR', WEEKLY, PARIS, noop)).toThrow('job "digest:FR" is already scheduled');
  });
});
