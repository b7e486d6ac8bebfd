/**
 * The delivery guarantees of the outbox (issue 5), with the real Passerelle and the fake Slack over
 * HTTP: paced per channel, Retry-After honoured on 429, given up after a bounded time (and listed
 * by `npx passerelle outbox`), and exactly once across a crash between Slack's answer and our
 * database write (the post carries its outbox id in its metadata and is found in the history).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, type OutgoingMessage } from '../../src/core/outbox.js';
import { OUTBOX_METADATA_TYPE } from '../../src/channels/slack/delivery.js';
import type { MessageView } from '../../templates/view.js';
import { passerelle } from '../cli/run-cli.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';

const card = (words: string): MessageView => ({ summary: words, blocks: [{ type: 'text', text: [words] }] });
const toSlack = (conversationId: string, messageKey: string, words: string, more: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  channel: 'slack',
  conversationId,
  messageKey,
  view: card(words),
  locale: 'en',
  ...more,
});
const SECOND = 1000;
const HOUR = 3_600_000;
/** The outbox's lease on a claimed message (OutboxWorker's default). */
const LEASE = 60 * SECOND;

let h: Harness;
afterEach(async () => h?.stop());

const row = (messageKey: string) => h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey }, orderBy: { id: 'desc' } });
const postsTo = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const postedOk = (channel: string) => postsTo(channel).filter((c) => !c.failed && !c.hung);

describe('pacing', () => {
  it('posts five messages for one channel at most one per pacingMs, without holding another channel back', async () => {
    const PACING = 200;
    h = await startHarness({ OUTBOX_INTERVAL_MS: '20' }, { outboxPacingMs: PACING });
    for (let i = 1; i <= 5; i++) await enqueue(h.app.db, toSlack('C01FRANCE', `card:fr:${i}`, `France ${i}`));
    await enqueue(h.app.db, toSlack('C01UNITEDK', 'card:uk:1', 'United Kingdom 1'));

    await expect.poll(() => postedOk('C01FRANCE').length, { timeout: 5000, interval: 20 }).toBe(5);
    const france = postedOk('C01FRANCE');
    expect(france.map((c) => textOf(c.body.blocks))).toEqual(['France 1', 'France 2', 'France 3', 'France 4', 'France 5']);
    const gaps = france.slice(1).map((c, i) => c.at - france[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(PACING);
    // The other channel's message went out with France's first, not after France's fifth.
    const [uk] = postedOk('C01UNITEDK');
    expect(uk).toBeDefined();
    expect(uk!.at).toBeLessThan(france[1]!.at);
  });
});

describe('429 with Retry-After from Slack', () => {
  it('retries the message after the delay Slack gave, not before, and posts it once', async () => {
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' }); // the worker runs when the test says so
    await enqueue(h.app.db, toSlack('C01FRANCE', 'card:1', 'Rate limited'));
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });

    expect(await h.app.outbox.runOnce()).toBe(0);
    const [refused] = postsTo('C01FRANCE');
    expect(refused).toMatchObject({ status: 429, failed: true });
    const waiting = await row('card:1');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate limited' });
    // Retry-After: 30 → 30 s after the refusal (plus the few ms the worker took to write it down).
    const delay = waiting.nextAttemptAt.getTime() - refused!.at;
    expect(delay).toBeGreaterThanOrEqual(30 * SECOND);
    expect(delay).toBeLessThan(31 * SECOND);

    // Not before: 29 s later the worker leaves it alone.
    h.advanceClock(29 * SECOND);
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(postsTo('C01FRANCE')).toHaveLength(1);

    h.advanceClock(1 * SECOND + 100);
    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(postedOk('C01FRANCE')).toHaveLength(1);
    expect(h.fake.messagesIn('C01FRANCE')).toHaveLength(1);
    expect(await row('card:1')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });
});

describe('given up after a bounded time', () => {
  it('fails a message still failing 24 hours after it was queued, says so in the log, and lists it in `passerelle outbox --status failed`', async () => {
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
    await enqueue(h.app.db, toSlack('C01UNITEDK', 'card:ok', 'Delivered'));
    expect(await h.app.outbox.runOnce()).toBe(1);
    await enqueue(h.app.db, toSlack('C01FRANCE', 'card:doomed', 'Never delivered'));
    h.fake.failNext('chat.postMessage', { status: 503 }, 100);

    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(await row('card:doomed')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    h.advanceClock(23 * HOUR);
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(await row('card:doomed')).toMatchObject({ status: 'pending', attempts: 2, lastError: 'HTTP 503' });
    expect(h.logs.filter((l) => l.msg === 'outbox message given up')).toHaveLength(0);

    h.advanceClock(1 * HOUR);
    expect(await h.app.outbox.runOnce()).toBe(0);
    const doomed = await row('card:doomed');
    expect(doomed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 503', sentAt: null });
    expect(h.logs.filter((l) => l.msg === 'outbox message given up')).toEqual([
      expect.objectContaining({ level: 40, outbox: doomed.id, key: 'card:doomed', conversation: 'C01FRANCE', reason: 'HTTP 503', attempts: 3 }),
    ]);
    // Given up means never tried again.
    h.advanceClock(1 * HOUR);
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(postsTo('C01FRANCE')).toHaveLength(3);

    const listed = await passerelle(['outbox', '--status', 'failed'], { DATABASE_URL: `file:${h.app.dbFile}` });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CHANNEL\s+CONVERSATION\s+PLATFORM\s+KEY\s+STATUS\s+ATTEMPTS\s+CREATED\s+SENT\s+LAST ERROR$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([String(doomed.id), 'slack', 'C01FRANCE', 'FR', 'card:doomed', 'failed', '3', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), '-', 'HTTP 503']);
    expect(lines[2]).toBe('1 failed, 0 pending, 1 sent');
  });
});

describe('exactly once across a crash between Slack posting a message and the database recording it', () => {
  it('finds the message in the channel history after the restart and records it instead of posting it again', async () => {
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
    await enqueue(h.app.db, toSlack('C01FRANCE', 'digest:FR:2026-W14', 'Digest of week 14'));
    await enqueue(h.app.db, toSlack('C01UNITEDK', 'digest:UK:2026-W14', 'Weekly digest, UK'));
    // France: Slack posts the message, then the answer never arrives (the process dies meanwhile).
    // UK: the request never gets through.
    h.fake.hangNext('chat.postMessage', 1, { afterDoing: true, when: (b) => b.channel === 'C01FRANCE' });
    h.fake.hangNext('chat.postMessage', 1, { when: (b) => b.channel === 'C01UNITEDK' });
    void h.app.outbox.runOnce();
    await expect.poll(() => h.fake.callsTo('chat.postMessage').filter((c) => c.hung).length).toBe(2);
    const [posted] = h.fake.messagesIn('C01FRANCE');
    expect(posted).toMatchObject({ text: 'Digest of week 14' });
    const france = await row('digest:FR:2026-W14');
    expect(posted!.metadata).toEqual({ event_type: OUTBOX_METADATA_TYPE, event_payload: { key: 'digest:FR:2026-W14', outbox: france.id } });
    expect(h.fake.messagesIn('C01UNITEDK')).toHaveLength(0);

    await h.crash();
    expect(await h.app.db.chatMessage.count()).toBe(0);
    expect(await h.app.db.outboxMessage.count({ where: { status: 'pending', attempts: 1 } })).toBe(2);
    // Within the lease the claims of the dead process stand.
    expect(await h.app.outbox.runOnce()).toBe(0);
    h.advanceClock(LEASE + SECOND);
    expect(await h.app.outbox.runOnce()).toBe(2);

    // France: found in the history, recorded, not posted again.
    expect(postsTo('C01FRANCE')).toHaveLength(1);
    expect(h.fake.messagesIn('C01FRANCE')).toHaveLength(1);
    expect(await row('digest:FR:2026-W14')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await h.app.db.chatMessage.findFirstOrThrow({ where: { conversationId: 'C01FRANCE' } })).toMatchObject({ messageId: posted!.ts });
    const looked = h.fake.callsTo('conversations.history').find((c) => c.body.channel === 'C01FRANCE');
    expect(looked?.body).toMatchObject({ channel: 'C01FRANCE', include_all_metadata: 'true', limit: '50' });
    expect(h.logs.filter((l) => l.msg === 'outbox message found already posted; recorded, not posted again')).toEqual([
      expect.objectContaining({ outbox: france.id, key: 'digest:FR:2026-W14', messageId: posted!.ts }),
    ]);
    // UK: not in the history, so posted now — once.
    expect(postsTo('C01UNITEDK')).toHaveLength(2);
    expect(h.fake.messagesIn('C01UNITEDK').map((m) => m.text)).toEqual(['Weekly digest, UK']);
    expect(await row('digest:UK:2026-W14')).toMatchObject({ status: 'sent', attempts: 2 });

    // The recorded message is the one later changes update.
    await enqueue(h.app.db, toSlack('C01FRANCE', 'digest:FR:2026-W14', 'Digest of week 14, corrected'));
    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(h.fake.callsTo('chat.update').map((c) => c.body.ts)).toEqual([posted!.ts]);
    expect(h.fake.messagesIn('C01FRANCE').map((m) => m.text)).toEqual(['Digest of week 14, corrected']);
  });

  it('looks in the thread (conversations.replies) for a reply that was posted before the crash', async () => {
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
    await enqueue(h.app.db, toSlack('C01FRANCE', 'digest:FR:2026-W15', 'Digest, summary'));
    expect(await h.app.outbox.runOnce()).toBe(1);
    await enqueue(h.app.db, toSlack('C01FRANCE', 'digest:FR:2026-W15:2', 'Digest, the rest', { threadKey: 'digest:FR:2026-W15' }));
    h.fake.hangNext('chat.postMessage', 1, { afterDoing: true });
    void h.app.outbox.runOnce();
    await expect.poll(() => h.fake.callsTo('chat.postMessage').filter((c) => c.hung).length).toBe(1);

    await h.crash();
    h.advanceClock(LEASE + SECOND);
    expect(await h.app.outbox.runOnce()).toBe(1);

    const [summary, rest] = h.fake.messagesIn('C01FRANCE');
    expect(rest).toMatchObject({ text: 'Digest, the rest', thread_ts: summary!.ts });
    expect(h.fake.messagesIn('C01FRANCE')).toHaveLength(2);
    expect(postsTo('C01FRANCE')).toHaveLength(2);
    expect(h.fake.callsTo('conversations.replies').map((c) => c.body)).toEqual([
      expect.objectContaining({ channel: 'C01FRANCE', ts: summary!.ts, include_all_metadata: 'true' }),
    ]);
    expect(await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: 'digest:FR:2026-W15:2' } })).toMatchObject({ messageId: rest!.ts });
  });

  it('posts again, with a warning, when the app may not read the history (installed before it asked for the scope)', async () => {
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
    await enqueue(h.app.db, toSlack('C01FRANCE', 'card:1', 'Card'));
    h.fake.failNext('chat.postMessage', { status: 500 });
    expect(await h.app.outbox.runOnce()).toBe(0);
    h.fake.failNext('conversations.history', { error: 'missing_scope' });
    h.advanceClock(10 * SECOND);
    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(postedOk('C01FRANCE')).toHaveLength(1);
    expect(h.logs.filter((l) => l.msg === 'could not look for an earlier post of an outbox message; posting it again, which may show it twice')).toEqual([
      expect.objectContaining({ key: 'card:1', reason: 'missing_scope' }),
    ]);
  });
});
