/**
 * A member's data rights through the real Slack app: `me export` uploads a JSON file of everything
 * held about them into their DM with the bot (files.getUploadURLExternal, the upload, then
 * files.completeUploadExternal in the D… channel); `me forget` asks for a confirmation only they can
 * give, then erases their profile — keeping their observations as a former member's, or deleting
 * them — with open ballots deleted, closed ones reduced to counts, and an audit entry without
 * personal data.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passerelle } from '../cli/run-cli.js';
import { blockAction, checkboxesValue, dateValue, numberValue, radioValue, selectValue, textValue, timeValue } from '../support/slack-requests.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';
import * as votes from '../support/slack-votes.js';

const { CONV } = votes;
const ORGANISATION = 'CFDT Métallurgie';
/** Each member's Slack user name (the harness's click sends the default, alice, for everyone). */
const NAMES: Record<string, string> = { U1: 'alice', U2: 'bob', U3: 'carla' };

/** A button click as `userId`, under their own name; resolves with what came back to them. */
async function clickAs(h: Harness, actionId: string, value: string, userId: string, channelId = 'C01FRANCE') {
  const responseId = `${userId}-${actionId}-${Math.random()}`;
  const res = await h.send(blockAction({ actionId, value, userId, userName: NAMES[userId], channelId, responseUrl: h.fake.responseUrl(responseId) }));
  expect(res.status).toBe(200);
  return textOf((await h.fake.waitFor('response_url', (c) => c.responseId === responseId)).body);
}

/** Alice (U1, "alice") sets her profile: a French union member who reads English. */
async function aliceProfile(h: Harness) {
  const saved = await h.submit('profile.form', CONV, {
    actorType: { actorType: selectValue('union') },
    organisation: { organisation: textValue(ORGANISATION) },
    country: { country: selectValue('FR') },
    language: { language: selectValue('en') },
  });
  expect(saved.body).toEqual({ response_action: 'clear' });
}

/** Clicks a choice on the latest vote card as `userId`. */
async function vote(h: Harness, userId: string, choice: string) {
  const row = await h.app.db.vote.findFirstOrThrow({ orderBy: { id: 'desc' } });
  return clickAs(h, 'vote.cast', `${row.id}:${choice}`, userId);
}

/** A second clause FR-2.2 in the same group. */
async function secondClause(h: Harness) {
  const group = await h.app.db.workingGroup.findFirstOrThrow();
  const done = await h.submit('clause.form', CONV, {
    stage: { stage: selectValue('preparation') },
    title: { title: textValue('Regional fund') },
    text: { text: textValue('The region funds the reskilling cell.') },
    group: { group: selectValue(String(group.id)) },
  });
  expect(done.body).toEqual({ response_action: 'clear' });
}

/** The buttons of a Slack answer's blocks. */
function buttonsOf(body: unknown): Array<{ action_id: string; value?: string; text: { text: string } }> {
  const out: Array<{ action_id: string; value?: string; text: { text: string } }> = [];
  for (const block of ((body as { blocks?: Array<{ type: string; elements?: unknown[] }> }).blocks ?? [])) {
    if (block.type === 'actions') out.push(...(block.elements as typeof out));
  }
  return out;
}

/** `me forget` as `userId`: the confirmation's buttons, by what they do. */
async function askToForget(h: Harness, userId = 'U1') {
  const answer = await h.slash('me forget', { userId });
  expect(answer.status).toBe(200);
  const buttons = buttonsOf(answer.body);
  const keep = buttons.find((b) => b.value?.endsWith(':keep'))!;
  const remove = buttons.find((b) => b.value?.endsWith(':delete'))!;
  const cancel = buttons.find((b) => b.action_id.startsWith('me.forget-cancel'))!;
  return { answer, keep, remove, cancel };
}

/** Presses a button of an ephemeral answer as `userId`; resolves with what came back to them. */
async function press(h: Harness, button: { action_id: string; value?: string }, userId = 'U1') {
  return clickAs(h, button.action_id, button.value ?? '', userId);
}

async function exportObservations(h: Harness) {
  const result = await passerelle(['export', 'observations', '--format', 'json'], { DATABASE_URL: `file:${h.app.dbFile}` });
  expect(result.code).toBe(0);
  return { text: result.stdout, records: JSON.parse(result.stdout) as Array<{ id: number; text: string; author: Record<string, unknown> }> };
}

describe('Slack: me export', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('uploads one JSON file into the member\'s DM with their profile, observations, named ballots and groups', async () => {
    await aliceProfile(h);
    await h.slash('observe Early warning cell set up with the region #territory #workers');
    await votes.clauseInGroup(h);
    expect((await votes.openVoteForm(h)).body).toEqual({ response_action: 'clear' });
    await vote(h, 'U1', 'agree');
    await vote(h, 'U2', 'disagree');

    const answer = await h.slash('me export');
    expect(answer.text).toContain('I have sent you a file with everything Passerelle holds about you (JSON), in our direct messages.');

    const upload = await h.fake.waitFor('file_upload');
    const shared = await h.fake.waitFor('files.completeUploadExternal');
    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toContain('U1');
    expect(shared.body.channel_id).toBe('DU1');
    const started = h.fake.callsTo('files.getUploadURLExternal').at(-1)!;
    expect(String(started.body.filename)).toMatch(/^passerelle-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(String(shared.body.initial_comment)).toContain('Everything Passerelle holds about you');

    const data = JSON.parse(String(upload.body.content));
    expect(data).toMatchObject({
      format: 'passerelle-member-data',
      version: 1,
      profile: { channel: 'slack', chatUserId: 'U1', displayName: 'alice', actorType: 'union', organisation: ORGANISATION, country: 'FR', language: 'en' },
      observations: [{ id: 1, platform: 'FR', text: 'Early warning cell set up with the region', dimensions: ['workers', 'territory'], withdrawnAt: null }],
      ballots: [{ clause: 'FR-2.1', anonymous: false, voteStatus: 'open', choice: 'agree' }],
      workingGroups: [{ name: 'Skills pool', platform: 'FR', convenor: true }],
      workingGroupsConvened: [{ name: 'Skills pool' }],
      clauseVersions: [{ clause: 'FR-2.1', version: 1, title: 'Early information' }],
      votesOpened: [{ clause: 'FR-2.1', status: 'open' }],
    });
    // Bob's ballot is his, not hers.
    expect(data.ballots).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain('disagree');

    // Another export: the earlier file, delivered, is not kept in the outbox beside the new one.
    await expect.poll(async () => (await h.app.db.outboxMessage.findFirst({ where: { messageKey: { startsWith: 'data-export:' } } }))?.status).toBe('sent');
    await h.slash('me export');
    await expect.poll(() => h.fake.callsTo('files.completeUploadExternal').length).toBe(2);
    await expect.poll(() => h.app.db.outboxMessage.count({ where: { messageKey: { startsWith: 'data-export:' } } })).toBe(1);
  });

  it('says what `me` takes when the word after it is unknown', async () => {
    await aliceProfile(h);
    const answer = await h.slash('me delete-everything');
    expect(answer.text).toContain('/passerelle me export');
    expect(answer.text).toContain('/passerelle me forget');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });
});

describe('Slack: me forget', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await aliceProfile(h);
    await h.slash('observe Early warning cell set up with the region #territory');
    await h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes('Early warning cell'));
    // FR-2.1: a closed named vote Alice and Bob voted in.
    await votes.clauseInGroup(h);
    expect((await votes.openVoteForm(h)).body).toEqual({ response_action: 'clear' });
    await vote(h, 'U1', 'agree');
    await vote(h, 'U2', 'agree');
    await votes.closeVotes(h);
    // FR-2.2: an open named vote Alice and Carla voted in.
    await secondClause(h);
    const closes = votes.inAnHour().plus({ hours: 3 });
    const opened = await h.submit('vote.form', { ...CONV, ref: 'FR-2.2' }, {
      rule: { rule: radioValue('majority') },
      eligibility: { eligibility: radioValue('group') },
      closeDate: { closeDate: dateValue(closes.toFormat('yyyy-MM-dd')) },
      closeTime: { closeTime: timeValue(closes.toFormat('HH:mm')) },
      anonymous: { anonymous: radioValue('no') },
      resultsHidden: { resultsHidden: radioValue('no') },
    });
    expect(opened.body).toEqual({ response_action: 'clear' });
    await vote(h, 'U1', 'approve');
    await vote(h, 'U3', 'reject');
  });
  afterEach(async () => h.stop());

  const alice = () => h.app.db.member.findFirstOrThrow({ where: { id: 1 } });

  it('keeps the observations as a former member\'s: profile gone, open ballot gone, closed tally unchanged, no personal data in the audit', async () => {
    const [closed, open] = await h.app.db.vote.findMany({ orderBy: { id: 'asc' } });
    expect(closed!.status).toBe('closed');
    const resultBefore = closed!.result;
    const closedBallots = await h.app.db.ballot.findMany({ where: { voteId: closed!.id } });
    expect(closedBallots.map((b) => b.voterKey).sort()).toEqual(['1', '2']);
    expect((await exportObservations(h)).records[0]!.author).toMatchObject({ displayName: 'alice', organisation: ORGANISATION });

    const { answer, keep } = await askToForget(h);
    expect(answer.text).toContain('Forget me?');
    expect(answer.text).toContain('This cannot be undone.');
    expect(buttonsOf(answer.body).map((b) => b.text.text)).toEqual(['Yes, forget me', 'Yes, forget me and delete my observations', 'Cancel']);
    expect(await h.app.db.member.count({ where: { forgottenAt: { not: null } } })).toBe(0);

    const done = await press(h, keep);
    expect(done).toContain('Passerelle has forgotten you.');
    expect(done).toContain('Observations kept as “former member (Employee representative / trade union, FR)”: 1; deleted: 0.');
    expect(done).toContain('Ballots deleted: 1; kept as counts only: 1. Working groups left: 1.');

    // The profile: gone; the chat id no longer maps to the row.
    const former = await alice();
    expect(former).toMatchObject({ displayName: null, organisation: null, language: null, profileSetAt: null, actorType: 'union', country: 'FR', channel: 'slack' });
    expect(former.externalId).toMatch(/^forgotten:[0-9a-f]{32}$/);
    expect(former.forgottenAt).not.toBeNull();
    expect(await h.app.db.groupMembership.count({ where: { memberId: former.id } })).toBe(0);
    // The group keeps its convenor row (its clauses keep their history).
    expect((await h.app.db.workingGroup.findFirstOrThrow()).convenorId).toBe(former.id);

    // Votes: the closed tally untouched, her ballot there only as a count; her open ballot gone.
    const closedAfter = await h.app.db.vote.findUniqueOrThrow({ where: { id: closed!.id } });
    expect(closedAfter.result).toEqual(resultBefore);
    const keys = (await h.app.db.ballot.findMany({ where: { voteId: closed!.id } })).map((b) => b.voterKey);
    expect(keys).toHaveLength(2);
    expect(keys).toContain('2');
    expect(keys).not.toContain('1');
    expect(await h.app.db.ballot.findMany({ where: { voteId: open!.id }, select: { voterKey: true } })).toEqual([{ voterKey: '3' }]);
    // The open vote's card: she is out of the electorate, her ballot out of the count (Bob and Carla, Carla voted).
    await h.fake.waitFor('chat.update', (c) => textOf(c.body.blocks).includes('FR-2.2') && textOf(c.body.blocks).includes('1 sur 2 (50 %)'));
    const votesCsv = await passerelle(['export', 'votes', 'FR-2.1', '--voters'], { DATABASE_URL: `file:${h.app.dbFile}` });
    expect(votesCsv.code).toBe(0);
    expect(votesCsv.stdout).not.toContain('alice');

    // The export CLI: a former member, no name.
    const exported = await exportObservations(h);
    expect(exported.records).toHaveLength(1);
    expect(exported.records[0]).toMatchObject({ text: 'Early warning cell set up with the region', author: { displayName: 'former member (union, FR)', actorType: 'union', organisation: null, country: 'FR' } });
    expect(exported.text).not.toContain('alice');
    expect(exported.text).not.toContain(ORGANISATION);

    // The observation card in the channel is updated: a former member, no mention, no buttons.
    const update = await h.fake.waitFor('chat.update', (c) => textOf(c.body.blocks).includes('Early warning cell'));
    expect(update.body.channel).toBe('C01FRANCE');
    const card = JSON.stringify(update.body.blocks);
    expect(card).toContain('ancien membre (Représentant des salariés / syndicat, FR)');
    expect(card).not.toContain('alice');
    expect(card).not.toContain('<@U1>');
    expect(card).not.toContain('observation.withdraw');

    // The platform is told that the convenor of Skills pool is gone.
    const told = await h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes('Skills pool') && textOf(c.body.blocks).includes('ancien membre'));
    expect(told.body.channel).toBe('C01FRANCE');

    // The audit entry: that an erasure happened, no personal data.
    const [audit] = await h.app.db.auditEntry.findMany();
    expect(audit).toMatchObject({ action: 'member-forgotten', detail: { channel: 'slack', observationsKept: 1, observationsDeleted: 0, ballotsDeleted: 1, ballotsAnonymised: 1 } });
    const serialised = JSON.stringify(audit);
    for (const personal of ['alice', 'U1', ORGANISATION, former.externalId]) expect(serialised).not.toContain(personal);
    expect(Object.keys(audit!.detail as object)).not.toContain('memberId');

    // Nothing delivered that names her is kept in the outbox.
    const outbox = JSON.stringify(await h.app.db.outboxMessage.findMany({ where: { status: { not: 'pending' } } }));
    expect(outbox).not.toContain('"U1"');
    expect(outbox).not.toContain('alice');

    // If she speaks again, she is a new member.
    await h.slash('help');
    const rows = await h.app.db.member.findMany({ where: { channel: 'slack', externalId: 'U1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(former.id);
    expect(rows[0]!.profileSetAt).toBeNull();
  });

  it('deletes the observations too when asked: withdrawn, text erased, out of the export; the card says so', async () => {
    const { remove } = await askToForget(h);
    const done = await press(h, remove);
    expect(done).toContain('Observations kept as “former member (Employee representative / trade union, FR)”: 0; deleted: 1.');

    const row = await h.app.db.observation.findUniqueOrThrow({ where: { id: 1 } });
    expect(row).toMatchObject({ text: '', sourceKey: null, sourceLink: null });
    expect(row.withdrawnAt).not.toBeNull();
    expect((await exportObservations(h)).records).toEqual([]);

    const update = await h.fake.waitFor('chat.update', (c) => textOf(c.body.blocks).includes('a été retirée par son auteur'));
    expect(textOf(update.body.blocks)).not.toContain('Early warning cell');
    const [audit] = await h.app.db.auditEntry.findMany();
    expect(audit!.detail).toMatchObject({ observationsKept: 0, observationsDeleted: 1 });
  });

  it('refuses the confirmation to anyone but the member, and changes nothing; cancel works for the member only', async () => {
    const { keep, remove, cancel } = await askToForget(h);
    for (const button of [keep, remove]) {
      // Bob has no profile: he reads the platform's language.
      expect(await press(h, button, 'U2')).toContain("Cette confirmation appartient à un autre membre : lui seul peut la confirmer, et rien n'a été fait.");
    }
    expect(await press(h, cancel, 'U2')).toContain('appartient à un autre membre');
    expect(await alice()).toMatchObject({ externalId: 'U1', displayName: 'alice', forgottenAt: null });
    const bob = await h.app.db.member.findFirstOrThrow({ where: { externalId: 'U2' } });
    expect(bob).toMatchObject({ displayName: 'bob', forgottenAt: null });
    expect(await h.app.db.auditEntry.count()).toBe(0);
    expect(await h.app.db.ballot.count()).toBe(4);

    expect(await press(h, cancel)).toContain('Nothing was erased.');
    expect(await press(h, keep)).toContain('expired');
    expect((await alice()).forgottenAt).toBeNull();

    // A new confirmation, pressed by Alice: done, once.
    const again = await askToForget(h);
    expect(await press(h, again.keep)).toContain('Passerelle has forgotten you.');
    expect(await press(h, again.remove, 'U1')).not.toContain('Passerelle has forgotten you.');
    expect(await h.app.db.auditEntry.count()).toBe(1);
    expect(await h.app.db.member.count({ where: { forgottenAt: { not: null } } })).toBe(1);
  });
});

describe('Slack: me forget, with an exchange poll and an anonymous vote still open', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await aliceProfile(h);
  });
  afterEach(async () => h.stop());

  it('deletes her answers to the open poll and her anonymous ballot (linkable while the vote is open), and tells the platform of her exchange', async () => {
    // Alice proposes an exchange between FR and UK; she and Bob answer slot 1.
    const at10 = (days: number) => DateTime.now().setZone('Europe/Paris').startOf('day').plus({ days }).set({ hour: 10 }).toFormat('yyyy-MM-dd HH:mm');
    const proposed = await h.submit('exchange.form', CONV, {
      topic: { topic: textValue('Skills pools') },
      platforms: { platforms: checkboxesValue(['FR', 'UK']) },
      slots: { slots: textValue([3, 4, 5].map(at10).join('\n')) },
      duration: { duration: numberValue('60') },
      place: { place: textValue('Brussels') },
      languages: { languages: checkboxesValue(['en']) },
    });
    expect(proposed.body).toEqual({ response_action: 'clear' });
    expect(await clickAs(h, 'exchange.answer', '1:1:yes', 'U1')).toContain('Exchange #1, slot 1');
    expect(await clickAs(h, 'exchange.answer', '1:1:yes', 'U2', 'C01UNITEDK')).toContain('Exchange #1, slot 1');
    await h.fake.waitFor('chat.update', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes('bob'));

    // An anonymous vote, open: her ballot is under a keyed hash, which the vote's secret still links to her.
    await votes.clauseInGroup(h);
    expect((await votes.openVoteForm(h, { anonymous: 'yes' })).body).toEqual({ response_action: 'clear' });
    await vote(h, 'U1', 'agree');
    await vote(h, 'U2', 'disagree');
    await h.slash('me export');
    const data = JSON.parse(String((await h.fake.waitFor('file_upload')).body.content));
    expect(data.ballots).toMatchObject([{ clause: 'FR-2.1', anonymous: true, voteStatus: 'open', choice: 'agree' }]);
    expect(data.exchangesOrganised).toMatchObject([{ id: 1, topic: 'Skills pools', status: 'polling' }]);
    expect(data.exchangeAnswers).toMatchObject([{ exchange: 1, slot: 1, answer: 'yes', platform: 'FR' }]);

    const { keep } = await askToForget(h);
    expect(await press(h, keep)).toContain('Ballots deleted: 1; kept as counts only: 0.');

    expect((await h.app.db.ballot.findMany()).map((b) => b.choice)).toEqual(['disagree']);
    const answers = await h.app.db.exchangeAnswer.findMany();
    expect(answers.map((a) => a.platformId)).toEqual(['UK']);
    // The poll card no longer names her: the organiser is a former member.
    const card = await h.fake.waitFor('chat.update', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes('former member'));
    expect(textOf(card.body.blocks)).not.toContain('alice');
    // FR (where she proposed it) is told that nobody can confirm the poll.
    const told = await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C01FRANCE' && textOf(c.body.blocks).includes('Il organisait'));
    expect(textOf(told.body.blocks)).toContain("Il organisait l'échange n° 1 « Skills pools », dont le sondage est encore ouvert");
    expect(textOf(told.body.blocks)).toContain('Skills pool :');
    expect((await h.app.db.auditEntry.findFirstOrThrow()).detail).toMatchObject({ exchangeAnswersDeleted: 1, ballotsDeleted: 1 });
  });
});
