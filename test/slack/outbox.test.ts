import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { enqueue } from '../../src/core/outbox.js';
import type { PrismaClient } from '../../src/db/client.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import type { MessageView } from '../../templates/view.js';
import { checkboxesValue, radioValue, textValue } from '../support/slack-requests.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';

describe('the outbox sends a card changed several times before delivery once, as it stands', () => {
  let h: Harness;
  beforeEach(async () => {
    // The worker runs only when the test says so.
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' });
  });
  afterEach(async () => h.stop());

  it('posts the latest version of a card edited twice before the worker ran', async () => {
    await h.slash('observe First wording #company', { channelId: 'C01UNITEDK' });
    for (const wording of ['Second wording', 'Third wording']) {
      await h.submit('observation.form', { conv: 'C01UNITEDK', id: 1 }, {
        text: { text: textValue(wording) },
        dimensions: { dimensions: checkboxesValue(['company']) },
        innovative: { innovative: radioValue('no') },
        confidentiality: { confidentiality: radioValue('platform') },
      });
    }
    expect(await h.app.db.outboxMessage.count()).toBe(1);
    await h.app.outbox.runOnce();
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(textOf(posts[0].body.blocks)).toContain('Third wording');

    // Once posted, a change is an update of that message.
    await h.click('observation.withdraw', '1', { channelId: 'C01UNITEDK' });
    await h.fake.waitFor('response_url');
    await h.app.outbox.runOnce();
    expect(h.fake.callsTo('chat.update')).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('sends the newer view when the card is replaced after the worker read it but before it took it', async () => {
    const db = h.app.db;
    const card = (words: string): MessageView => ({ summary: words, blocks: [{ type: 'text', text: [words] }] });
    const message = { channel: 'slack' as const, conversationId: 'C01UNITEDK', messageKey: 'vote:9', locale: 'en' };
    await enqueue(db, { ...message, view: card('3 of 10 voted') });
    // The newer view arrives between the worker's read of the queue and its claim (the claim is its first updateMany).
    let raced = false;
    const racing = new Proxy(db, {
      get(target, key) {
        if (key !== 'outboxMessage') return Reflect.get(target, key);
        return new Proxy(target.outboxMessage, {
          get(table, op) {
            if (op !== 'updateMany' || raced) return Reflect.get(table, op);
            return async (args: Parameters<PrismaClient['outboxMessage']['updateMany']>[0]) => {
              raced = true;
              await enqueue(db, { ...message, view: card('4 of 10 voted') });
              return table.updateMany(args);
            };
          },
        });
      },
    }) as PrismaClient;
    const sent: string[] = [];
    const worker = new OutboxWorker({
      db: racing,
      log: pino({ level: 'silent' }),
      pacingMs: 0,
      deliveries: {
        slack: {
          post: async (_c: string, view: MessageView) => (sent.push(view.summary), '1.000001'),
          update: async () => undefined,
          classify: () => ({ kind: 'permanent', reason: 'unexpected' }),
        },
      },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(raced).toBe(true);
    expect(sent).toEqual(['4 of 10 voted']);
    expect(await db.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('posts a message with a thread key as a reply in the thread of the message it names', async () => {
    const card = (words: string): MessageView => ({ summary: words, blocks: [{ type: 'text', text: [words] }] });
    const base = { channel: 'slack' as const, conversationId: 'C01UNITEDK', locale: 'en' };
    await enqueue(h.app.db, { ...base, messageKey: 'digest:UK:2026-W48', view: card('Digest, summary') });
    await enqueue(h.app.db, { ...base, messageKey: 'digest:UK:2026-W48:2', threadKey: 'digest:UK:2026-W48', view: card('Digest, the rest') });
    await h.app.outbox.runOnce();
    await h.app.outbox.runOnce();
    const [summary, rest] = h.fake.callsTo('chat.postMessage');
    expect(summary!.body.thread_ts).toBeUndefined();
    const posted = await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: 'digest:UK:2026-W48' } });
    expect(rest!.body.thread_ts).toBe(posted.messageId);
    expect(textOf(rest!.body.blocks)).toContain('Digest, the rest');
  });
});
