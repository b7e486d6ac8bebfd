import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
