/**
 * The rest of a clause's life in Teams, through the real botbuilder adapter over HTTP with the fake
 * Bot Connector: a ranked-choice vote between the current text and two amendments (the ranking form
 * opened from the vote card, the rounds on the card at closing, the winning amendment as the next
 * version), and the reminder sent 24 hours before closing to each member who has not voted, in a
 * 1:1 conversation the bot creates with the connector.
 *
 * The SE platform speaks Swedish, which has no vote sentences yet: members read the English ones.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { remindNonVoters } from '../../src/core/votes/participation.js';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, FAKE_TENANT_ID, type FakeSentActivity } from '../support/fake-connector.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { at, cardAction, channelMessage, TEAMS_DEFAULTS, type TeamsUser } from '../support/teams-activities.js';

const HOUR = 3_600_000;
const ALICE = TEAMS_DEFAULTS.user;
const BOB = { id: '29:1bob-berg-teams-id', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };
const CARLA = { id: '29:1carla-conti-teams-id', name: 'Carla Conti', aadObjectId: 'ca41a000-0000-4000-8000-000000000003' };
const DAN = { id: '29:1dan-dahl-teams-id', name: 'Dan Dahl', aadObjectId: 'da400000-0000-4000-8000-000000000004' };
const EVA = { id: '29:1eva-ek-teams-id', name: 'Eva Ek', aadObjectId: 'e4a00000-0000-4000-8000-000000000005' };

const CURRENT_TEXT = 'The employer informs the works council early.';
const TEXT_A = 'The employer informs the works council and the region early.';
const TEXT_B = 'The employer informs everyone early.';

/** The next activity the connector accepts that was not there before `before` (a count of sent()) and matches. */
async function sentAfter(t: TeamsTest, before: number, predicate: (a: FakeSentActivity) => boolean): Promise<FakeSentActivity> {
  const seen = new Set(t.connector.sent().slice(0, before).map((a) => a.id));
  return t.connector.waitForSent((a) => !seen.has(a.id) && predicate(a));
}

/** `text` said to the bot in the SE channel by `from`; resolves with the form card it answers with. */
async function formFor(t: TeamsTest, text: string, formId: string, o: { from?: TeamsUser; mentions?: TeamsUser[] } = {}): Promise<{ message: FakeSentActivity; submit: Record<string, any> }> {
  const before = t.connector.sent().length;
  const res = await t.post(channelMessage({ ...t.where(), text, ...o }));
  expect(res.status).toBe(200);
  const message = await sentAfter(t, before, (a) => !!actionOf(cardsOf(a), `form:${formId}`));
  return { message, submit: actionOf(cardsOf(message), `form:${formId}`)! };
}

/** Submits a form card with Action.Execute, as `from` (Alice by default). */
function submitForm(t: TeamsTest, form: { message: FakeSentActivity; submit: Record<string, any> }, values: Record<string, string>, from: TeamsUser = ALICE) {
  return t.post(cardAction({ ...t.where(), verb: form.submit.verb, data: { ...form.submit.data, ...values }, replyToId: form.message.id, from }));
}

/**
 * Alice convenes the working group "Skills pool" with `members` (added by mention, resolved through
 * the connector) and drafts clause SE-2.1 in it.
 */
async function clauseInGroup(t: TeamsTest, members: TeamsUser[]): Promise<void> {
  for (const m of members) t.connector.setMember({ ...m, name: m.name!, aadObjectId: m.aadObjectId! });
  const groupForm = await formFor(t, 'group new', 'group.form');
  expect(cardText((await submitForm(t, groupForm, { name: 'Skills pool', scope: 'platform' })).body.value)).toContain('Working group Skills pool created');

  const before = t.connector.sent().length;
  await t.post(channelMessage({ ...t.where(), text: `group add Skills pool ${members.map(at).join(' ')}`, mentions: members }));
  const added = await sentAfter(t, before, (a) => cardText(cardsOf(a)).includes('Added to Skills pool'));
  expect(cardText(cardsOf(added))).toContain(`Added to Skills pool: ${members.map((m) => m.name).join(', ')}.`);

  const group = await t.h.app.db.workingGroup.findFirstOrThrow({ where: { name: 'Skills pool' }, include: { members: true } });
  expect(group.members).toHaveLength(members.length + 1);
  const clauseForm = await formFor(t, 'clause new', 'clause.form');
  const drafted = await submitForm(t, clauseForm, { stage: 'preparation', title: 'Early information', text: CURRENT_TEXT, group: String(group.id) });
  expect(cardText(drafted.body.value)).toContain('Clause SE-2.1 drafted (version 1).');
}

/** Alice opens the vote on SE-2.1 with the form card; resolves with the vote card posted in the channel. */
async function openVote(t: TeamsTest, rule: string, closes: DateTime): Promise<FakeSentActivity> {
  const voteForm = await formFor(t, 'clause SE-2.1 vote', 'vote.form');
  const opened = await submitForm(t, voteForm, {
    rule,
    eligibility: 'group',
    closeDate: closes.toFormat('yyyy-MM-dd'),
    closeTime: closes.toFormat('HH:mm'),
    anonymous: 'no',
    resultsHidden: 'no',
    reasonRequired: 'no',
  });
  expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(cardText(opened.body.value)).toContain('Vote on SE-2.1 opened');
  return t.connector.waitForSent((a) => cardText(cardsOf(a)).includes('Vote on SE-2.1 — Early information') && (!!actionOf(cardsOf(a), 'vote.rank') || !!actionOf(cardsOf(a), 'vote.cast')));
}

const stockholm = () => DateTime.now().setZone('Europe/Stockholm');

describe('Teams: a clause through a ranked vote, and the reminder before closing', () => {
  const teams = useTeams();

  it('chooses between the current text and two amendments by ranked choice: the ranking form from the card, the rounds at closing, the winner as version 2', async () => {
    const t = teams.current();
    const { h, connector } = t;
    await clauseInGroup(t, [BOB, CARLA, DAN, EVA]);

    // Bob and Carla each file an amendment through the amendment form.
    for (const [who, text] of [[BOB, TEXT_A], [CARLA, TEXT_B]] as const) {
      const amendForm = await formFor(t, 'clause SE-2.1 amend', 'amendment.form', { from: who });
      expect(JSON.parse(amendForm.submit.data.state)).toEqual({ conv: TEAMS_DEFAULTS.channelId, ref: 'SE-2.1' });
      const filed = await submitForm(t, amendForm, { text, reason: 'Clearer.' }, who);
      expect(cardText(filed.body.value)).toMatch(/Amendment #\d+ to SE-2\.1 proposed\./);
    }
    const [a1, a2] = await h.app.db.amendment.findMany({ orderBy: { id: 'asc' } });
    const A1 = `A${a1!.id}`;
    const A2 = `A${a2!.id}`;

    // Alice opens a ranked vote; the card comes through the outbox, proactively, in the channel itself.
    const card = await openVote(t, 'ranked', stockholm().plus({ hours: 1 }));
    const vote = await h.app.db.vote.findFirstOrThrow();
    expect(vote.rule).toMatchObject({ kind: 'ranked', options: ['current', A1, A2] });
    expect(card.call.conversationId).toBe(TEAMS_DEFAULTS.channelId);
    await expect.poll(async () => (await h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey: `vote:${vote.id}` }, orderBy: { id: 'asc' } })).status).toBe('sent');
    expect(await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: `vote:${vote.id}` } })).toMatchObject({ channel: 'teams', conversationId: TEAMS_DEFAULTS.channelId, messageId: card.id });
    const posted = cardText(cardsOf(card));
    expect(posted).toContain('Ranked choice between the texts (instant runoff).');
    expect(posted).toContain(CURRENT_TEXT);
    expect(posted).toContain(`Amendment #${a1!.id}`);
    expect(posted).toContain(TEXT_A);
    expect(posted).toContain(`Amendment #${a2!.id}`);
    expect(posted).toContain(TEXT_B);
    expect(posted).toContain('0 of 5 (0 %)');
    // Swedish has no vote sentences yet: the English ones, not the French "Classer les textes".
    const rankButton = actionOf(cardsOf(card), 'vote.rank')!;
    expect(rankButton).toMatchObject({ title: 'Rank the texts', data: { value: String(vote.id) } });
    expect(posted).not.toContain('Classer les textes');

    /** `who` presses "Rank the texts" on the card and submits the ranking form with `ranking` (best first). */
    async function rank(who: TeamsUser, ranking: string[]) {
      const before = connector.sent().length;
      const pressed = await t.post(cardAction({ ...t.where(), verb: 'vote.rank', data: rankButton.data, replyToId: card.id, from: who }));
      // The form replaces the vote card for the member who pressed, and for them only: nothing is posted in the channel.
      expect(pressed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(connector.sent().slice(before).filter((a) => !!actionOf(cardsOf(a), 'form:ranking.form'))).toEqual([]);
      const form = pressed.body.value;
      expect(cardText(form)).toContain('Rank the texts of SE-2.1');
      const selects = form!.body.filter((e: { type: string }) => e.type === 'Input.ChoiceSet');
      expect(selects.map((s: { id: string }) => s.id)).toEqual(['rank1', 'rank2', 'rank3']);
      for (const s of selects) expect(s.choices.map((c: { value: string }) => c.value)).toEqual(['current', A1, A2]);
      expect(selects.map((s: { isRequired: boolean }) => s.isRequired)).toEqual([true, false, false]);
      const submit = actionOf(form, 'form:ranking.form')!;
      expect(JSON.parse(submit.data.state)).toEqual({ conv: TEAMS_DEFAULTS.channelId, vote: vote.id });
      const values = Object.fromEntries(ranking.map((option, i) => [`rank${i + 1}`, option]));
      return t.post(cardAction({ ...t.where(), verb: submit.verb, data: { ...submit.data, ...values }, replyToId: card.id, from: who }));
    }

    const first = await rank(ALICE, ['current', A1]);
    expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(first.body.value)).toContain(`Your vote: Current text → Amendment #${a1!.id} — you can change it until`);
    await rank(BOB, [A1, 'current']);
    await rank(CARLA, [A2, A1]);
    await rank(DAN, [A1]);
    await rank(EVA, ['current']);

    // A text ranked twice is refused (Teams shows the form's problems as a message), and nothing changes.
    const repeated = await rank(EVA, ['current', 'current']);
    expect(repeated.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(repeated.body.value).toContain('This text is already ranked higher');
    const members = new Map((await h.app.db.member.findMany()).map((m) => [String(m.id), m.externalId]));
    const ballots = await h.app.db.ballot.findMany();
    expect(Object.fromEntries(ballots.map((b) => [members.get(b.voterKey), b.choice]))).toEqual({
      [ALICE.aadObjectId]: ['current', A1],
      [BOB.aadObjectId]: [A1, 'current'],
      [CARLA.aadObjectId]: [A2, A1],
      [DAN.aadObjectId]: [A1],
      [EVA.aadObjectId]: ['current'],
    });
    // The card shows the first preferences so far.
    const live = await connector.waitFor((c) => c.kind === 'update' && c.activityId === card.id && cardText(cardsOf(c.body)).includes('5 of 5 (100 %)'));
    expect(cardText(cardsOf(live.body))).toContain('First preferences so far:');

    // Past closing: the card turns into the rounds and the chosen text.
    h.advanceClock(2 * HOUR);
    expect(await h.app.scheduler.runDue()).toBeGreaterThanOrEqual(1);
    const closed = await connector.waitFor((c) => c.kind === 'update' && c.activityId === card.id && cardText(cardsOf(c.body)).includes('Round 2'));
    expect(closed.conversationId).toBe(TEAMS_DEFAULTS.channelId);
    const result = cardText(cardsOf(closed.body));
    expect(result).toContain('Round 1');
    expect(result).toContain(`Current text  ████░░░░░░ 40 % (2)`);
    expect(result).toContain(`Amendment #${a2!.id} has the fewest votes and is out of the count.`);
    expect(result).toContain(`Amendment #${a1!.id}  ██████░░░░ 60 % (3)`);
    expect(result).toContain(`Chosen: Amendment #${a1!.id}. It is now the text of the draft`);
    expect(actionOf(cardsOf(closed.body), 'vote.rank')).toBeUndefined();

    const clause = await h.app.db.clause.findFirstOrThrow({ include: { versions: { orderBy: { version: 'desc' } } } });
    expect(clause.status).toBe('draft');
    expect(clause.versions[0]).toMatchObject({ version: 2, text: TEXT_A, fromAmendmentId: a1!.id });
    expect(await h.app.db.amendment.findUniqueOrThrow({ where: { id: a1!.id } })).toMatchObject({ status: 'accepted' });
    expect(await h.app.db.amendment.findUniqueOrThrow({ where: { id: a2!.id } })).toMatchObject({ status: 'rejected', decisionReason: expect.stringContaining('ranked vote') });
    const stored = (await h.app.db.vote.findFirstOrThrow()).result as { rounds: unknown[]; winner: string };
    expect(stored.winner).toBe(A1);
    expect(stored.rounds).toHaveLength(2);

    // The vote is closed: the button on an old copy of the card is refused.
    const late = await t.post(cardAction({ ...t.where(), verb: 'vote.rank', data: rankButton.data, replyToId: card.id, from: BOB }));
    expect(late.body.value).toContain('The vote on SE-2.1 is closed: no more votes are taken.');
  });

  it('reminds each member who has not voted in a 1:1 chat, 24 hours before closing, once', async () => {
    const t = teams.current();
    const { h, connector } = t;
    await clauseInGroup(t, [BOB, CARLA]);
    const card = await openVote(t, 'consent', stockholm().plus({ hours: 49 }));
    expect(cardText(cardsOf(card))).toContain('0 of 3 (0 %)');
    const agree = actionOf(cardsOf(card), 'vote.cast')!;
    const voted = await t.post(cardAction({ ...t.where(), verb: 'vote.cast', data: agree.data, replyToId: card.id }));
    expect(voted.body.value).toContain('Your vote: Agree');
    await expect.poll(() => h.app.db.ballot.count()).toBe(1);

    // It closes in 49 hours: the reminder is due in 25 (nothing yet at 24).
    h.advanceClock(24 * HOUR);
    expect(await h.app.scheduler.runDue()).toBe(0);
    expect(connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(0);
    h.advanceClock(1.5 * HOUR);
    expect(await h.app.scheduler.runDue()).toBe(1);

    const dms = new Map<string, string>();
    for (const who of [BOB, CARLA]) {
      const created = await connector.waitFor((c) => c.kind === 'createConversation' && c.body?.members?.[0]?.id === who.aadObjectId);
      expect(created.body).toMatchObject({
        isGroup: false,
        bot: { id: TEAMS_DEFAULTS.botId },
        members: [{ id: who.aadObjectId }],
        tenantId: FAKE_TENANT_ID,
        channelData: { tenant: { id: FAKE_TENANT_ID } },
      });
      const dmId = (created.response as { id: string }).id;
      dms.set(who.aadObjectId, dmId);
      const dm = await connector.waitForSent((a) => a.call.conversationId === dmId);
      const text = cardText(cardsOf(dm));
      expect(text).toContain('Reminder: vote on SE-2.1');
      expect(text).toContain('You have not voted yet on SE-2.1 — Early information.');
      expect(text).toMatch(/\{\{DATE\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z, SHORT\)\}\}/);
    }
    expect(new Set(dms.values()).size).toBe(2);
    await expect.poll(() => h.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'vote-reminder:' }, status: 'sent' } })).toBe(2);
    // Alice has voted: no chat with her.
    expect(connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(2);
    expect(connector.calls.some((c) => c.kind === 'createConversation' && c.body?.members?.[0]?.id === ALICE.aadObjectId)).toBe(false);

    // The job again (a crash after sending, another process): no new message, at most the same one updated.
    const inDms = () => connector.sent().filter((a) => [...dms.values()].includes(a.call.conversationId));
    const sentBefore = inDms().map((a) => a.id);
    expect(sentBefore).toHaveLength(2);
    expect(await remindNonVoters(h.app.db, h.app.platforms, (await h.app.db.vote.findFirstOrThrow()).id)).toBe(2);
    await expect.poll(() => h.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'vote-reminder:' }, status: 'pending' } })).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(inDms().map((a) => a.id)).toEqual(sentBefore);
    expect(connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(2);
    for (const u of connector.updates().filter((u) => [...dms.values()].includes(u.call.conversationId))) expect(sentBefore).toContain(u.id);
  });
});
