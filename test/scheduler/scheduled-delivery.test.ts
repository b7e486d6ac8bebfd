/**
 * Scheduled runs end to end, with the real Passerelle and the fake Slack: a weekly job that queues
 * one message per platform (a stand-in for the six weekly digests, registered on the app's scheduler
 * with `every` and a cron, as the digest job will be) posts each message once — when the process was
 * down at the due time, when two processes share the database, and when a crash cut the run short
 * after two of the six were posted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, isKnown } from '../../src/core/outbox.js';
import type { Passerelle } from '../../src/passerelle.js';
import { CronSchedule } from '../../src/scheduler/cron.js';
import type { MessageView } from '../../templates/view.js';
import { startHarness, type Harness } from '../support/harness.js';

const JOB = 'digest-standin';
const CRON = '0 9 * * 1'; // Mondays 09:00
const ZONE = 'Europe/Paris';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The scheduler's lease on a run (its default): a run whose process died is taken over after it. */
const JOB_LEASE = 5 * MINUTE;
/** The platforms of the test platforms file with a Slack channel, and their channels. */
const SIX = { FR: 'C01FRANCE', BE: 'C01BELGIUM', DE: 'C01GERMANY', SE: 'C01SWEDEN', UK: 'C01UNITEDK', INT: 'C01INTL' };

/** The stand-in's messages (keys of their own, apart from the real digests' `digest:<PLATFORM>:<week>`). */
const STANDIN = { messageKey: { startsWith: 'standin:' } };

const digest = (platform: string, dueAt: Date): MessageView => {
  const words = `Digest ${platform} ${dueAt.toISOString()}`;
  return { summary: words, blocks: [{ type: 'text', text: [words] }] };
};

/**
 * The stand-in: for each platform's Slack channel, queues the due time's digest unless it is known
 * already (queued or posted: a run taken over after a crash does not queue it twice). `afterEach`
 * runs after each message is queued (the tests make a run die there).
 */
function registerDigests(app: Passerelle, afterEach?: (queued: number) => Promise<void>): void {
  app.scheduler.every(JOB, CRON, ZONE, async (dueAt) => {
    let queued = 0;
    for (const platform of app.platforms.all) {
      for (const conversationId of platform.slack.channels) {
        const key = { channel: 'slack' as const, conversationId, messageKey: `standin:${platform.id}:${dueAt.toISOString()}` };
        if (!(await isKnown(app.db, key))) await enqueue(app.db, { ...key, view: digest(platform.id, dueAt), locale: 'en' });
        await afterEach?.(++queued);
      }
    }
  });
}

/** The posts Slack accepted, per channel, as their text. */
function posted(h: Harness): Record<string, string[]> {
  const by: Record<string, string[]> = {};
  const ours = (c: { body: Record<string, unknown> }) => String(c.body.text).startsWith('Digest ');
  for (const call of h.fake.callsTo('chat.postMessage').filter((c) => !c.failed && !c.hung && ours(c))) {
    (by[String(call.body.channel)] ??= []).push(String(call.body.text));
  }
  return by;
}

/** Each of the six channels got exactly the digest of `dueAt`, once. */
const oncePerChannel = (dueAt: Date) => Object.fromEntries(Object.entries(SIX).map(([id, channel]) => [channel, [`Digest ${id} ${dueAt.toISOString()}`]]));

const finishedRun = (h: Harness, dueAt: Date) => h.app.db.jobRun.findUnique({ where: { job_dueAt: { job: JOB, dueAt } } });

const harnesses: Harness[] = [];
const start = async (...args: Parameters<typeof startHarness>) => {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
};
afterEach(async () => {
  // A second process shares the first one's fake: stop it first.
  for (const h of harnesses.splice(0).reverse()) await h.stop();
});

describe('a scheduled job that posts six messages', () => {
  it('posts them once when the process starts after being down at the due time, and not again at the next start', async () => {
    const h = await start({ OUTBOX_INTERVAL_MS: '600000' });
    const schedule = new CronSchedule(CRON, ZONE);
    // Up last week: the latest due time ran (catch-up), six posts.
    const lastWeek = schedule.latest(h.app.scheduler.now())!;
    registerDigests(h.app);
    await expect.poll(async () => !!(await finishedRun(h, lastWeek))?.finishedAt).toBe(true);
    await h.app.outbox.runOnce();
    expect(posted(h)).toEqual(oncePerChannel(lastWeek));

    // Down over the next due time; back an hour after it.
    await h.app.scheduler.stop();
    const missed = schedule.next(h.app.scheduler.now())!;
    h.advanceClock(missed.getTime() - h.app.scheduler.now().getTime() + HOUR);
    await h.restart();
    h.fake.reset();
    registerDigests(h.app); // as the app registers its jobs at start
    await expect.poll(async () => !!(await finishedRun(h, missed))?.finishedAt).toBe(true);
    await h.app.outbox.runOnce();
    expect(posted(h)).toEqual(oncePerChannel(missed));
    expect(await finishedRun(h, missed)).toMatchObject({ attempts: 1, lastError: null });

    // Started again the same day: nothing to do.
    await h.restart();
    registerDigests(h.app);
    expect(await h.app.scheduler.runDue()).toBe(0);
    await h.app.outbox.runOnce();
    expect(posted(h)).toEqual(oncePerChannel(missed));
    expect(await h.app.db.outboxMessage.count({ where: STANDIN })).toBe(12);
    expect(await h.app.db.jobRun.count({ where: { job: JOB } })).toBe(2);
  });

  it('posts them once, not twice, when two processes share the database', async () => {
    const a = await start({ OUTBOX_INTERVAL_MS: '600000' });
    const b = await start({ OUTBOX_INTERVAL_MS: '600000', DATABASE_URL: `file:${a.app.dbFile}` }, { fake: a.fake });
    const dueAt = new CronSchedule(CRON, ZONE).latest(a.app.scheduler.now())!;
    // Both register the job at once: each wakes its scheduler, which runs the due time.
    registerDigests(a.app);
    registerDigests(b.app);
    const counts = await Promise.all([a, b, a, b].map((p) => p.app.scheduler.runDue()));
    await expect.poll(async () => !!(await finishedRun(a, dueAt))?.finishedAt).toBe(true);
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    expect(await a.app.db.outboxMessage.count({ where: STANDIN })).toBe(6);

    // Both outboxes deliver at once, twice over.
    for (let round = 0; round < 2; round++) await Promise.all([a.app.outbox.runOnce(), b.app.outbox.runOnce()]);
    expect(posted(a)).toEqual(oncePerChannel(dueAt));
    expect(await a.app.db.outboxMessage.count({ where: { ...STANDIN, status: 'sent', attempts: 1 } })).toBe(6);
    expect(await a.app.db.jobRun.findMany({ where: { job: JOB }, select: { job: true, attempts: true } })).toEqual([{ job: JOB, attempts: 1 }]);
  });

  it('posts all six once each when the process died after two of them were posted', async () => {
    const h = await start({ OUTBOX_INTERVAL_MS: '600000' });
    const dueAt = new CronSchedule(CRON, ZONE).latest(h.app.scheduler.now())!;
    // The run queues two digests, which the outbox posts; then the process dies in the middle of the run.
    let twoQueued!: () => void;
    const atTwo = new Promise<void>((resolve) => (twoQueued = resolve));
    registerDigests(h.app, async (queued) => {
      if (queued < 2) return;
      twoQueued();
      await new Promise(() => {}); // dead: never goes further
    });
    await atTwo;
    await h.app.outbox.runOnce();
    expect(posted(h)).toEqual({ C01FRANCE: [`Digest FR ${dueAt.toISOString()}`], C01BELGIUM: [`Digest BE ${dueAt.toISOString()}`] });
    await h.crash();

    registerDigests(h.app);
    // The dead process's claim on the run holds until its lease ends…
    expect(await h.app.scheduler.runDue()).toBe(0);
    expect(await finishedRun(h, dueAt)).toMatchObject({ attempts: 1, finishedAt: null });
    // …then the run is taken over: the two known digests are left alone, the four others queued.
    h.advanceClock(JOB_LEASE + MINUTE);
    expect(await h.app.scheduler.runDue()).toBe(1);
    await h.app.outbox.runOnce();
    expect(posted(h)).toEqual(oncePerChannel(dueAt));
    expect(await h.app.db.outboxMessage.count({ where: { ...STANDIN, status: 'sent' } })).toBe(6);
    expect(await finishedRun(h, dueAt)).toMatchObject({ attempts: 2, lastError: null, finishedAt: expect.any(Date) });
  });
});
