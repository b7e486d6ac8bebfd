/**
 * Direct messages to one member through the outbox: `dm:<team>:<user>` conversations, delivered by
 * opening the bot's DM with conversations.open and posting in the D… channel it returns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../templates/view.js';
import { directTo } from '../../src/core/direct.js';
import { enqueue } from '../../src/core/outbox.js';
import { FAKE_TEAM_ID } from '../support/fake-slack.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';

const reminder = (text: string): MessageView => ({ summary: text, blocks: [{ type: 'text', text: [text] }] });

describe('Slack: the outbox sends a direct message to one member', () => {
  let h: Harness;
  beforeEach(async () => {
    // The worker runs only when the test says so.
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
  });
  afterEach(async () => h.stop());

  async function member(externalId: string) {
    return h.app.db.member.create({ data: { channel: 'slack', workspace: FAKE_TEAM_ID, externalId, displayName: `User ${externalId}` } });
  }

  it('opens the DM with the member and posts in it, opening it again for the next message and for an update', async () => {
    const alice = await member('U42');
    await enqueue(h.app.db, { ...directTo(alice), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    expect(await h.app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ channel: 'slack', conversationId: `dm:${FAKE_TEAM_ID}:U42` });

    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['U42']);
    const [post] = h.fake.callsTo('chat.postMessage');
    expect(post.body.channel).toBe('DU42');
    expect(post.body.text).toBe('Vote 3 closes tomorrow');
    expect(textOf(post.body.blocks)).toContain('Vote 3 closes tomorrow');
    expect(await h.app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'sent' });

    // A second message to the same member: the DM is opened again (Slack gives the same channel) and posted in.
    await enqueue(h.app.db, { ...directTo(alice), messageKey: 'reminder:2', view: reminder('Vote 4 closes tomorrow'), locale: 'en' });
    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['U42', 'U42']);
    expect(h.fake.callsTo('chat.postMessage').map((c) => [c.body.channel, c.body.text])).toEqual([
      ['DU42', 'Vote 3 closes tomorrow'],
      ['DU42', 'Vote 4 closes tomorrow'],
    ]);

    // The same key again updates the posted message, in the real D… channel.
    await enqueue(h.app.db, { ...directTo(alice), messageKey: 'reminder:1', view: reminder('Vote 3 is closed'), locale: 'en' });
    expect(await h.app.outbox.runOnce()).toBe(1);
    const [update] = h.fake.callsTo('chat.update');
    expect(update.body).toMatchObject({ channel: 'DU42', text: 'Vote 3 is closed' });
    expect(update.body.ts).toBe((await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: 'reminder:1' } })).messageId);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('keeps each member\'s messages in order, and members apart', async () => {
    const alice = await member('U42');
    const bob = await member('U43');
    await enqueue(h.app.db, { ...directTo(alice), messageKey: 'a:1', view: reminder('Alice first'), locale: 'en' });
    await enqueue(h.app.db, { ...directTo(bob), messageKey: 'b:1', view: reminder('Bob first'), locale: 'en' });
    await enqueue(h.app.db, { ...directTo(alice), messageKey: 'a:2', view: reminder('Alice second'), locale: 'en' });
    // One message per conversation per run: the head of each member's queue.
    expect(await h.app.outbox.runOnce()).toBe(2);
    expect(await h.app.outbox.runOnce()).toBe(1);
    const posts = h.fake.callsTo('chat.postMessage').map((c) => [c.body.channel, c.body.text]);
    expect(posts.filter(([channel]) => channel === 'DU42')).toEqual([
      ['DU42', 'Alice first'],
      ['DU42', 'Alice second'],
    ]);
    expect(posts.filter(([channel]) => channel === 'DU43')).toEqual([['DU43', 'Bob first']]);
  });

  it('gives up at once when Slack does not know the user, and retries nothing', async () => {
    const ghost = await member('U404');
    h.fake.failNext('conversations.open', { error: 'user_not_found' });
    await enqueue(h.app.db, { ...directTo(ghost), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(await h.app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'failed', attempts: 1, lastError: 'user_not_found' });
    expect(h.logs.some((l) => l.msg === 'outbox message given up' && l.reason === 'user_not_found')).toBe(true);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);

    // Later runs leave it alone.
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(h.fake.callsTo('conversations.open')).toHaveLength(1);
  });

  it('gives up on a deactivated member (user_disabled)', async () => {
    const gone = await member('U410');
    h.fake.setUser('U410', { deleted: true });
    await enqueue(h.app.db, { ...directTo(gone), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    await h.app.outbox.runOnce();
    expect(await h.app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'failed', lastError: 'user_disabled' });
  });
});
