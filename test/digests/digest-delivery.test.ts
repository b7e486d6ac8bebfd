/**
 * The weekly digest job through the durable outbox and the scheduler's JobRun, with the real digest
 * of a seeded week: a process down at 09:00 posts the digests once when it starts; two processes
 * on one database post them once; a crash after two of the six digests were posted ends, after the
 * restart, with all six posted once each; a digest too big for one message is a summary message
 * with the rest in its thread (Slack thread_ts, Teams ;messageid=), nothing cut.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fitsOneMessage } from '../../src/channels/fits.js';
import { postDigest } from '../../src/core/digests/job.js';
import { pastWeek } from '../../src/core/digests/window.js';
import { CaseInput, createCase } from '../../src/core/cases.js';
import { fileObservation, ObservationInput } from '../../src/core/observations.js';
import type { Passerelle } from '../../src/passerelle.js';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf, startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { FAKE_TEAM_ID } from '../support/fake-slack.js';
import { SECRETARIAT_SLACK_USER, TEAMS_SE_CHANNEL, type Harness } from '../support/harness.js';
import { nextMondayNine, seedWeek, SLACK_CHANNELS } from '../support/digest-week.js';
import { channelMessage, postActivity } from '../support/teams-activities.js';
import { digestPosts, drained, slackText, startWithDigests, stopAll, weekOf } from './support.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The scheduler's lease on a run: a run whose process died is taken over after it. */
const JOB_LEASE = 5 * MINUTE;
/** The six Slack channels of the test platforms file, and the secretariat's direct messages. */
const SLACK = [...Object.values(SLACK_CHANNELS), `D${SECRETARIAT_SLACK_USER}`];

let connector: FakeConnector | undefined;
afterEach(async () => {
  await stopAll();
  await connector?.close();
  connector = undefined;
});

/** Delivers the outbox by hand (these tests turn its timer off) until nothing waits. */
async function deliverAll(...hs: Harness[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    if ((await hs[0]!.app.db.outboxMessage.count({ where: { status: 'pending' } })) === 0) return;
    await Promise.all(hs.map((h) => h.app.outbox.runOnce()));
  }
  throw new Error('the outbox did not drain');
}

/** How many digest messages each Slack channel got for `week` (all of them, to see that none got two). */
const postsPerChannel = (h: Harness, week: string) => Object.fromEntries(SLACK.map((c) => [c, digestPosts(h, c, week).length]));
const oncePerChannel = Object.fromEntries(SLACK.map((c) => [c, 1]));

/** Moves the clock past Monday 09:00 in every platform's zone (London's is an hour after Paris's). */
const pastNine = (h: Harness, due: Date, extra = MINUTE) => h.advanceClock(due.getTime() - h.app.scheduler.now().getTime() + HOUR + extra);

const digestRuns = (h: Harness, due: Date) =>
  h.app.db.jobRun.findMany({ where: { job: { startsWith: 'digest:' }, dueAt: { gte: due } }, orderBy: { job: 'asc' }, select: { job: true, attempts: true, finishedAt: true } });

describe('the weekly digest job', () => {
  it('posts the digests once when the process starts after being down at 09:00, and not again at the next start', async () => {
    const h = await startWithDigests();
    const week = await seedWeek(h.app.db, h.app.platforms, nextMondayNine());
    const label = weekOf(week.due);
    await drained(h);

    // Down over Monday 09:00, back two hours later: the start-up catches the missed run up.
    await h.app.scheduler.stop();
    pastNine(h, week.due, HOUR);
    await h.restart();
    await drained(h);
    expect(postsPerChannel(h, label)).toEqual(oncePerChannel);
    expect((await digestRuns(h, week.due)).every((r) => r.attempts === 1 && r.finishedAt)).toBe(true);

    // Started again the same day: nothing to do, nothing posted again.
    await h.restart();
    expect(await h.app.scheduler.runDue()).toBe(0);
    await drained(h);
    expect(postsPerChannel(h, label)).toEqual(oncePerChannel);
  });

  it('posts the digests once, not twice, when two processes share the database', async () => {
    const a = await startWithDigests({ OUTBOX_INTERVAL_MS: '600000' });
    const b = await startWithDigests({ OUTBOX_INTERVAL_MS: '600000', DATABASE_URL: `file:${a.app.dbFile}` }, { fake: a.fake });
    const week = await seedWeek(a.app.db, a.app.platforms, nextMondayNine());
    const label = weekOf(week.due);
    await deliverAll(a);

    pastNine(a, week.due);
    pastNine(b, week.due);
    // Both schedulers wake at once, twice over: each platform's digest runs once in all.
    const counts = await Promise.all([a, b, a, b].map((h) => h.app.scheduler.runDue()));
    expect(counts.reduce((x, y) => x + y)).toBe(a.app.platforms.all.length);
    // Both outboxes deliver at once.
    await deliverAll(a, b);
    expect(postsPerChannel(a, label)).toEqual(oncePerChannel);
    expect((await digestRuns(a, week.due)).map((r) => [r.job, r.attempts])).toEqual(
      ['BE', 'DE', 'DEMO', 'FR', 'INT', 'SE', 'UK'].map((id) => [`digest:${id}`, 1]),
    );
    expect(await a.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'digest:' }, attempts: { gt: 1 } } })).toBe(0);
  });

  it('posts all six once each after a crash that came when two of them were posted', async () => {
    const h = await startWithDigests({ OUTBOX_INTERVAL_MS: '600000' });
    const week = await seedWeek(h.app.db, h.app.platforms, nextMondayNine());
    const label = weekOf(week.due);
    await deliverAll(h);

    // FR and BE run the app's digest job. UK's run queues its digest and dies before it is recorded
    // as finished; DE, SE and INT die before queuing theirs. Each runs the real digest job.
    const app = h.app;
    const realRun = (id: string) => (dueAt: Date) =>
      postDigest({ db: app.db, platforms: app.platforms, log: pino({ level: 'silent' }), fits: fitsOneMessage }, app.platforms.get(id)!, pastWeek(dueAt, app.platforms.get(id)!.timezone));
    const dies = () => new Promise<never>(() => {});
    let releaseUk!: () => void;
    const ukMayRun = new Promise<void>((resolve) => (releaseUk = resolve));
    let ukQueued!: () => void;
    const ukDone = new Promise<void>((resolve) => (ukQueued = resolve));
    const replace = (id: string, run: (dueAt: Date) => Promise<unknown>) => {
      const platform = app.platforms.get(id)!;
      app.scheduler.cancel(`digest:${id}`);
      app.scheduler.every(`digest:${id}`, '0 9 * * 1', platform.timezone, async (dueAt) => void (await run(dueAt)));
    };
    replace('UK', async (dueAt) => {
      await ukMayRun;
      await realRun('UK')(dueAt);
      ukQueued();
      await dies();
    });
    for (const id of ['DE', 'SE', 'INT']) replace(id, dies);

    pastNine(h, week.due);
    void app.scheduler.runDue(); // never resolves: four runs die
    await expect.poll(async () => (await digestRuns(h, week.due)).filter((r) => r.finishedAt).map((r) => r.job)).toEqual(['digest:BE', 'digest:DEMO', 'digest:FR']);
    await deliverAll(h);
    expect(postsPerChannel(h, label)).toEqual({ ...Object.fromEntries(SLACK.map((c) => [c, 0])), [SLACK_CHANNELS.FR]: 1, [SLACK_CHANNELS.BE]: 1 });
    releaseUk();
    await ukDone;
    await h.crash();

    // The new process: UK's queued digest goes out; the dead runs are held by their lease…
    await deliverAll(h);
    expect(await h.app.scheduler.runDue()).toBe(0);
    expect(postsPerChannel(h, label)).toMatchObject({ [SLACK_CHANNELS.UK]: 1, [SLACK_CHANNELS.DE]: 0 });
    // …then taken over: UK's digest, known already, is not queued again; DE, SE and INT are.
    h.advanceClock(JOB_LEASE + MINUTE);
    expect(await h.app.scheduler.runDue()).toBe(4);
    await deliverAll(h);
    expect(postsPerChannel(h, label)).toEqual(oncePerChannel);
    const runs = Object.fromEntries((await digestRuns(h, week.due)).map((r) => [r.job, [r.attempts, !!r.finishedAt]]));
    expect(runs).toEqual({ 'digest:BE': [1, true], 'digest:DE': [2, true], 'digest:DEMO': [1, true], 'digest:FR': [1, true], 'digest:INT': [2, true], 'digest:SE': [2, true], 'digest:UK': [2, true] });
    expect(await h.app.db.outboxMessage.count({ where: { messageKey: `digest:UK:${label}` } })).toBe(1);
  });
});

describe('a digest too big for one message', () => {
  const TEAMS_INT_CHANNEL = '19:intl@thread.tacv2';

  /** The test platforms file with the international platform bound to a Teams channel as well. */
  function platformsFileWithTeamsInt(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-digest-'));
    const shipped = JSON.parse(readFileSync('config/platforms.json', 'utf8')) as { platforms: Array<{ id: string; teams: { channels: string[] } }>; secretariat?: unknown };
    for (const p of shipped.platforms) {
      if (p.id === 'SE') p.teams = { channels: [TEAMS_SE_CHANNEL] };
      if (p.id === 'INT') p.teams = { channels: [TEAMS_INT_CHANNEL] };
    }
    shipped.secretariat = { slack: [SECRETARIAT_SLACK_USER], teams: [] };
    const file = path.join(dir, 'platforms.json');
    writeFileSync(file, JSON.stringify(shipped));
    return file;
  }

  /** A busy week: on every national platform, many public observations with long texts full of Markdown, and many cases. */
  async function busyWeek(app: Passerelle, due: Date): Promise<number[]> {
    const ids: number[] = [];
    const author = await app.db.member.create({ data: { channel: 'slack', workspace: FAKE_TEAM_ID, externalId: 'U0BUSY', displayName: 'Busy Bee', actorType: 'union', profileSetAt: new Date() } });
    const long = (n: number) => `${n}: the *works council* and the _regional_ [task force] agreed on #transfer ${'<skills> & `training` '.repeat(30)}`;
    let i = 0;
    for (const id of ['INT', 'FR', 'BE', 'DE', 'SE', 'UK']) {
      const platform = app.platforms.get(id)!;
      for (let c = 0; c < 10; c++) {
        const ref = `${id}-BUSY-${c}`;
        await createCase(app.db, id, author.id, CaseInput.parse({ ref, company: `Company ${c} with a rather long name for ${id}`, country: platform.country ?? 'FR', type: 'closure' }));
        const { observation } = await fileObservation(app.db, {
          platform,
          author,
          origin: { channel: 'slack', workspace: FAKE_TEAM_ID, conversationId: platform.slack.channels[0]! },
          input: ObservationInput.parse({ text: long(++i), dimensions: ['workers'], innovative: c % 2 === 0, confidentiality: 'public', caseRef: ref, language: platform.languages[0] }),
        });
        ids.push(observation.id);
      }
    }
    await app.db.observation.updateMany({ data: { createdAt: new Date(due.getTime() - 2 * 86_400_000) } });
    await app.db.case.updateMany({ data: { createdAt: new Date(due.getTime() - 2 * 86_400_000) } });
    return ids;
  }

  it('is a summary message with the rest in its thread, in Slack (thread_ts) and in Teams (;messageid=), nothing left out', async () => {
    connector = await startFakeConnector();
    const h = await startWithDigests({ PLATFORMS_FILE: platformsFileWithTeamsInt() });
    await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_INT_CHANNEL, text: 'help' }));
    const due = nextMondayNine();
    await busyWeek(h.app, due);
    const label = weekOf(due);
    await drained(h, 30_000);

    pastNine(h, due);
    await h.app.scheduler.runDue();
    await drained(h, 30_000);

    // Slack: the first message in the channel, the others in its thread, in order; none cut.
    const slack = digestPosts(h, SLACK_CHANNELS.INT, label);
    expect(slack.length).toBeGreaterThan(1);
    const [first, ...replies] = slack;
    expect(first!.body.thread_ts).toBeUndefined();
    expect(slackText(first!)).toContain(`International weekly digest — ${label}`);
    expect(slackText(first!)).toContain(`Continued in the thread: ${replies.length} more message(s).`);
    const ts = (await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: `digest:INT:${label}`, channel: 'slack' } })).messageId;
    replies.forEach((reply, i) => {
      expect(reply.body.thread_ts).toBe(ts);
      expect(slackText(reply)).toContain(`International weekly digest — ${label} (${i + 2}/${slack.length})`);
    });
    for (const post of slack) {
      expect((post.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      expect(slackText(post)).not.toMatch(/… \(\+\d+\)/);
    }
    // Every platform's quoted observations and "and N more" are there, each once, across the messages.
    const all = slack.map(slackText).join('\n');
    for (const id of ['INT', 'FR', 'BE', 'DE', 'SE', 'UK']) expect(all.split(`(${id}) — new: 10`)).toHaveLength(2);
    expect(all.match(/…and 6 more\./g)).toHaveLength(6);

    // Teams: the first card in the channel, the others in its thread (conversation id ;messageid=<first>); none cut.
    const cards = connector.sent().filter((a) => a.call.conversationId.startsWith(TEAMS_INT_CHANNEL) && cardText(cardsOf(a)).includes(label));
    expect(cards.length).toBeGreaterThan(1);
    const [head, ...thread] = cards;
    expect(head!.call.conversationId).toBe(TEAMS_INT_CHANNEL);
    expect(cardText(cardsOf(head))).toContain(`Continued in the thread: ${thread.length} more message(s).`);
    for (const reply of thread) expect(reply.call.conversationId).toBe(`${TEAMS_INT_CHANNEL};messageid=${head!.id}`);
    for (const card of cards) {
      expect(JSON.stringify(cardsOf(card)).length * 2).toBeLessThanOrEqual(36 * 1024);
      expect(cardText(cardsOf(card))).not.toMatch(/… \(\+\d+\)/);
    }
    const teamsText = cards.map((c) => cardText(cardsOf(c))).join('\n');
    for (const id of ['INT', 'FR', 'BE', 'DE', 'SE', 'UK']) expect(teamsText.split(`(${id}) — new: 10`)).toHaveLength(2);
  });
});
