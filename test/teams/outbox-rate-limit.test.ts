/**
 * A 429 with Retry-After from the Bot Connector, through the real CloudAdapter: botbuilder's own
 * HTTP client waits it out and retries up to three times by itself (see test/support/fake-connector.ts);
 * a fourth 429 reaches the outbox, which retries the message after the Retry-After, and posts it once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueue } from '../../src/core/outbox.js';
import type { MessageView } from '../../templates/view.js';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf, startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startHarness, TEAMS_SE_CHANNEL, type Harness } from '../support/harness.js';
import { channelMessage, postActivity } from '../support/teams-activities.js';

const card = (words: string): MessageView => ({ summary: words, blocks: [{ type: 'text', text: [words] }] });

describe('Teams: 429 with Retry-After from the Bot Connector', () => {
  let h: Harness;
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = await startFakeConnector();
    h = await startHarness({ OUTBOX_INTERVAL_MS: '600000' }); // the worker runs when the test says so
  });
  afterEach(async () => {
    await h.stop();
    await connector.close();
  });

  it('retries the message after the delay the connector gave, not before, and posts it once', async () => {
    // The bot hears from the channel: its conversation reference is kept.
    await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL, text: 'help' }));
    await connector.waitForSent();
    await enqueue(h.app.db, { channel: 'teams', conversationId: TEAMS_SE_CHANNEL, messageKey: 'digest:SE:2026-W14', view: card('Veckans sammanfattning'), locale: 'sv' });
    const isOurs = (a: Record<string, any>) => cardText(cardsOf(a)).includes('Veckans sammanfattning');
    connector.failNext('send', { status: 429, retryAfter: 1 }, 4);

    // The outbox's own back-off for a first failure is 0.8–1.2 s (jitter from Math.random); pinned to
    // 0.8 s here, so that a retry after exactly the connector's 1 s can only come from its Retry-After.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(await h.app.outbox.runOnce()).toBe(0);
    } finally {
      random.mockRestore();
    }
    const refused = connector.calls.filter((c) => c.failed && c.status === 429);
    expect(refused).toHaveLength(4); // the first try and botbuilder's three retries
    const waiting = await h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey: 'digest:SE:2026-W14' } });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate limited (429)' });
    // Retry-After: 1 → 1 s after the last refusal (plus the few ms the worker took to write it down).
    const delay = waiting.nextAttemptAt.getTime() - refused[3]!.at;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(1200);

    // Not before: with the clock 5 s behind, the worker leaves it alone.
    const calls = connector.calls.length;
    h.advanceClock(-5000);
    expect(await h.app.outbox.runOnce()).toBe(0);
    expect(connector.calls).toHaveLength(calls);

    h.advanceClock(5000 + 1200);
    expect(await h.app.outbox.runOnce()).toBe(1);
    expect(connector.sent().filter(isOurs)).toHaveLength(1);
    expect(await h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey: 'digest:SE:2026-W14' } })).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });
});
