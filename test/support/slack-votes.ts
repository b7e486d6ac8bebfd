/** The steps of a vote in Slack that the vote tests share: a group and its clause, the vote form, the clock moved past closing. */
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { dateValue, radioValue, selectValue, textValue, timeValue } from './slack-requests.js';
import { textOf, type Harness } from './harness.js';

export const CONV = { conv: 'C01FRANCE' };
const HOUR = 3_600_000;

/** A group convened by U1 (alice) with `members`, and clause FR-2.1 in it. */
export async function clauseInGroup(h: Harness, members = '<@U2|bob> <@U3|carla>'): Promise<void> {
  await h.submit('group.form', CONV, { name: { name: textValue('Skills pool') }, scope: { scope: radioValue('platform') } });
  await h.slash(`group add Skills pool ${members}`);
  const group = await h.app.db.workingGroup.findFirstOrThrow();
  const done = await h.submit('clause.form', CONV, {
    stage: { stage: selectValue('preparation') },
    title: { title: textValue('Early information') },
    text: { text: textValue('The employer informs the works council early.') },
    group: { group: selectValue(String(group.id)) },
  });
  expect(done.body).toEqual({ response_action: 'clear' });
}

export const inAnHour = () => DateTime.now().setZone('Europe/Paris').plus({ hours: 1 });

/** Submits the vote form on FR-2.1 (consent, the group, named, live results unless told otherwise). */
export async function openVoteForm(h: Harness, values: Record<string, string> = {}, closes = inAnHour(), o: { userId?: string } = {}) {
  return h.submit('vote.form', { ...CONV, ref: 'FR-2.1' }, {
    rule: { rule: radioValue(values.rule ?? 'consent') },
    ...(values.threshold ? { threshold: { threshold: textValue(values.threshold) } } : {}),
    eligibility: { eligibility: radioValue(values.eligibility ?? 'group') },
    closeDate: { closeDate: dateValue(closes.toFormat('yyyy-MM-dd')) },
    closeTime: { closeTime: timeValue(closes.toFormat('HH:mm')) },
    anonymous: { anonymous: radioValue(values.anonymous ?? 'no') },
    resultsHidden: { resultsHidden: radioValue(values.resultsHidden ?? 'no') },
  }, o);
}

/** Moves the clock past the closing time and runs what fell due. */
export async function closeVotes(h: Harness, by = 2 * HOUR): Promise<void> {
  h.advanceClock(by);
  expect(await h.app.scheduler.runDue()).toBeGreaterThanOrEqual(1);
}

/** Waits for the vote card update that contains `words`. */
/**
 * Waits for the vote card to show `words`: as an update of the card, or as the card itself when it
 * had not been posted yet (the outbox then posts it once, as it stands).
 */
export const cardUpdate = (h: Harness, words: string) =>
  Promise.any([
    h.fake.waitFor('chat.update', (c) => textOf(c.body.blocks).includes(words)),
    h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes(words)),
  ]);
