/**
 * Around a vote in Slack: the reminder sent by direct message to those who have not voted, 24 hours
 * before closing (once, even if the job runs again), and the secretariat, who may open a vote on any
 * clause and see its participation (names for a named vote, numbers only for an anonymous one).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remindNonVoters } from '../../src/core/votes/participation.js';
import { SECRETARIAT_SLACK_USER, startHarness, textOf, type Harness } from '../support/harness.js';
import { clauseInGroup, inAnHour, openVoteForm } from '../support/slack-votes.js';

const HOUR = 3_600_000;

describe('vote reminders and the secretariat in Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  async function vote(userId: string, choice: string) {
    const voteRow = await h.app.db.vote.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await h.click('vote.cast', `${voteRow.id}:${choice}`, { userId, responseId: `${userId}-${Math.random()}` });
    await expect.poll(() => h.app.db.ballot.count()).toBeGreaterThan(0);
  }

  it('reminds by direct message, 24 hours before closing, only the members who have not voted, once', async () => {
    await clauseInGroup(h); // U1 convenes, U2 and U3 are members
    expect((await openVoteForm(h, {}, inAnHour().plus({ hours: 48 }))).body).toEqual({ response_action: 'clear' });
    await vote('U1', 'agree');
    await expect.poll(() => h.app.db.ballot.count()).toBe(1);

    // It closes in 49 hours: the reminder is due in 25 (nothing yet at 24).
    h.advanceClock(24 * HOUR);
    expect(await h.app.scheduler.runDue()).toBe(0);
    h.advanceClock(1.5 * HOUR);
    expect(await h.app.scheduler.runDue()).toBe(1);

    const opened = await Promise.all(['U2', 'U3'].map((u) => h.fake.waitFor('conversations.open', (c) => c.body.users === u)));
    expect(opened).toHaveLength(2);
    const dm = await h.fake.waitFor('chat.postMessage', (c) => String(c.body.channel).startsWith('D') && textOf(c.body.blocks).includes('Rappel : vote sur FR-2.1'));
    expect(textOf(dm.body.blocks)).toContain("Vous n’avez pas encore voté sur FR-2.1 — Early information");
    expect(textOf(dm.body.blocks)).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    await expect.poll(() => h.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'vote-reminder:' }, status: 'sent' } })).toBe(2);
    expect(h.fake.calls.filter((c) => c.method === 'conversations.open' && c.body.users === 'U1')).toHaveLength(0);

    // The job again (a crash after sending, another process): no second message to anyone.
    expect(await remindNonVoters(h.app.db, h.app.platforms, (await h.app.db.vote.findFirstOrThrow()).id)).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && String(c.body.channel).startsWith('D'));
    expect(posts).toHaveLength(2);
  });

  it('lets the secretariat open a vote on any clause and see who has not voted', async () => {
    await clauseInGroup(h);
    // Neither a member nor the secretariat's colleague may see the participation or open the vote…
    expect((await h.slash('clause FR-2.1 vote', { userId: 'U2' })).text).toContain('Seule la coordination de la clause FR-2.1');
    // …the secretariat may.
    await h.slash('clause FR-2.1 vote', { userId: SECRETARIAT_SLACK_USER, triggerId: 'trig-sec' });
    await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-sec');
    expect((await openVoteForm(h, {}, inAnHour(), { userId: SECRETARIAT_SLACK_USER })).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.vote.count()).toBe(1);

    await vote('U2', 'agree');
    expect((await h.slash('clause FR-2.1 participation', { userId: 'U3' })).text).toContain('Seuls la coordination de la clause FR-2.1 et le secrétariat');
    const seen = (await h.slash('clause FR-2.1 participation', { userId: SECRETARIAT_SLACK_USER })).text;
    expect(seen).toContain('1 sur 3 (33 %)');
    // U1 and U3 (the harness names everyone who types a command "alice"); U2 has voted.
    expect(seen).toMatch(/N’ont pas encore voté : [a-z]+, [a-z]+(\n|$)/);
    expect(seen).not.toContain('bob');
  });

  it('shows the participation of an anonymous vote as numbers, without names', async () => {
    await clauseInGroup(h);
    expect((await openVoteForm(h, { anonymous: 'yes' })).body).toEqual({ response_action: 'clear' });
    await vote('U2', 'agree');
    const seen = (await h.slash('clause FR-2.1 participation', { userId: SECRETARIAT_SLACK_USER })).text;
    expect(seen).toContain('1 sur 3 (33 %)');
    expect(seen).toContain('Vote anonyme : seuls les nombres sont affichés');
    for (const name of ['alice', 'bob', 'carla', 'U1', 'U2', 'U3']) expect(seen).not.toContain(name);
  });
});
