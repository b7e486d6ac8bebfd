/** What the digest tests share: starting Passerelle with digests on, waiting for the outbox, reading the digests posted. */
import { expect } from 'vitest';
import { pastWeek } from '../../src/core/digests/window.js';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { startHarness, textOf, type Harness, type HarnessOptions } from '../support/harness.js';

export const WORKSPACE_URL = 'https://mire-test.slack.com';

export const harnesses: Harness[] = [];

/** Passerelle with the weekly digests scheduled, observation links on (SLACK_WORKSPACE_URL). */
export async function startWithDigests(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ SLACK_WORKSPACE_URL: WORKSPACE_URL, ...env }, { digests: true, ...options });
  harnesses.push(h);
  return h;
}

/** Stops every harness started, the second process of a shared database first. */
export async function stopAll(): Promise<void> {
  for (const h of harnesses.splice(0).reverse()) await h.stop();
}

/** Until no outbox message waits (cards of the seeded week, or digests). */
export async function drained(h: Harness, timeout = 15_000): Promise<void> {
  await expect.poll(() => h.app.db.outboxMessage.count({ where: { status: 'pending' } }), { timeout, interval: 50 }).toBe(0);
}

/** The ISO week a digest due at `due` is named by, in Paris (every test platform's week is the same). */
export const weekOf = (due: Date) => pastWeek(due, 'Europe/Paris').week;

/** The digest messages Slack accepted in `channel` (first messages and thread replies), in order. */
export function digestPosts(h: Harness, channel: string, week: string): FakeSlackCall[] {
  return h.fake.callsTo('chat.postMessage').filter((c) => !c.failed && !c.hung && c.body.channel === channel && String(c.body.text).includes(week));
}

/** The text of a Slack message as the member reads it (blocks). */
export const slackText = (call: FakeSlackCall) => textOf(call.body.blocks);
