/**
 * A member's data rights through the real Teams adapter (botbuilder CloudAdapter over HTTP, fake Bot
 * Connector): `me export` sends a one-time download link, valid 24 hours, in the member's 1:1 chat
 * (bots cannot attach files in channels), served by Passerelle's own HTTP server; `me forget` answers
 * with a card whose buttons (Action.Execute) only the member may press, then erases the profile.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { passerelle } from '../cli/run-cli.js';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, FAKE_TENANT_ID, type FakeSentActivity } from '../support/fake-connector.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { at, cardAction, channelMessage, TEAMS_DEFAULTS, type TeamsUser } from '../support/teams-activities.js';

const HOUR = 3_600_000;
const ALICE = TEAMS_DEFAULTS.user;
const BOB = { id: '29:1bob-berg-teams-id', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };
const ORGANISATION = 'IF Metall';
const FORMER = 'former member (Employee representative / trade union, SE)';

/** Every Action.Execute with this verb anywhere in a card. */
function actionsOf(card: unknown, verb: string): Array<Record<string, any>> {
  const found: Array<Record<string, any>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (o.type === 'Action.Execute' && o.verb === verb) found.push(o);
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The first Action.OpenUrl anywhere in a card. */
function openUrlOf(card: unknown): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (v: unknown) => {
    if (found) return;
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (o.type === 'Action.OpenUrl') found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The next activity the connector accepts after `before` (a count of sent()) that matches. */
async function sentAfter(t: TeamsTest, before: number, predicate: (a: FakeSentActivity) => boolean): Promise<FakeSentActivity> {
  const seen = new Set(t.connector.sent().slice(0, before).map((a) => a.id));
  return t.connector.waitForSent((a) => !seen.has(a.id) && predicate(a));
}

/** `text` said to the bot in the SE channel; resolves with the first reply that matches. */
async function say(t: TeamsTest, text: string, predicate: (a: FakeSentActivity) => boolean, o: { from?: TeamsUser; mentions?: TeamsUser[] } = {}) {
  const before = t.connector.sent().length;
  const res = await t.post(channelMessage({ ...t.where(), text, ...o }));
  expect(res.status).toBe(200);
  return sentAfter(t, before, predicate);
}

/** Opens a form with `text` and submits it with `values`; resolves with the invoke's answer. */
async function fillIn(t: TeamsTest, text: string, formId: string, values: Record<string, string>) {
  const message = await say(t, text, (a) => !!actionOf(cardsOf(a), `form:${formId}`));
  const submit = actionOf(cardsOf(message), `form:${formId}`)!;
  return t.post(cardAction({ ...t.where(), verb: submit.verb, data: { ...submit.data, ...values }, replyToId: message.id }));
}

/**
 * Alice (a Swedish union member who reads English) files an observation, convenes "Skills pool"
 * with Bob, drafts SE-2.1 and opens a named vote on it, in which she and Bob vote.
 */
async function aliceAtWork(t: TeamsTest) {
  t.connector.setMember({ ...BOB });
  const saved = await fillIn(t, 'me', 'profile.form', { actorType: 'union', organisation: ORGANISATION, country: 'SE', language: 'en' });
  expect(cardText(saved.body.value)).toContain('Profile saved: Employee representative / trade union, SE.');

  await t.post(channelMessage({ ...t.where(), text: 'observe Early warning cell set up with the region #territory' }));
  const card = await t.connector.waitForSent((a) => a.call.conversationId === TEAMS_DEFAULTS.channelId && cardText(cardsOf(a)).includes('Observation #1'));
  expect(cardText(cardsOf(card))).toContain('Alice Martin');

  expect(cardText((await fillIn(t, 'group new', 'group.form', { name: 'Skills pool', scope: 'platform' })).body.value)).toContain('Working group Skills pool created');
  await say(t, `group add Skills pool ${at(BOB)}`, (a) => cardText(cardsOf(a)).includes('Added to Skills pool'), { mentions: [BOB] });
  const group = await t.h.app.db.workingGroup.findFirstOrThrow();
  const drafted = await fillIn(t, 'clause new', 'clause.form', { stage: 'preparation', title: 'Early information', text: 'The employer informs the works council early.', group: String(group.id) });
  expect(cardText(drafted.body.value)).toContain('Clause SE-2.1 drafted');

  const closes = DateTime.now().setZone('Europe/Stockholm').plus({ hours: 3 });
  const opened = await fillIn(t, 'clause SE-2.1 vote', 'vote.form', {
    rule: 'consent',
    eligibility: 'group',
    closeDate: closes.toFormat('yyyy-MM-dd'),
    closeTime: closes.toFormat('HH:mm'),
    anonymous: 'no',
    resultsHidden: 'no',
    reasonRequired: 'no',
  });
  expect(cardText(opened.body.value)).toContain('Vote on SE-2.1 opened');
  const voteCard = await t.connector.waitForSent((a) => !!actionOf(cardsOf(a), 'vote.cast'));
  const agree = actionsOf(cardsOf(voteCard), 'vote.cast').find((a) => String(a.data.value).endsWith(':agree'))!;
  for (const who of [ALICE, BOB]) {
    const voted = await t.post(cardAction({ ...t.where(), verb: 'vote.cast', data: agree.data, replyToId: voteCard.id, from: who }));
    expect(voted.body.value).toContain('Your vote: Agree');
  }
  return { observationCard: card };
}

/** `me export` in the channel: the link Alice gets in her 1:1 chat. */
async function exportLink(t: TeamsTest): Promise<{ url: string; dm: FakeSentActivity }> {
  const reply = await say(t, 'me export', (a) => cardText(cardsOf(a)).includes('I have sent you a link'));
  expect(cardText(cardsOf(reply))).toContain('It works once, within 24 hours.');
  expect(reply.call.conversationId).toContain(TEAMS_DEFAULTS.channelId);
  const dm = await t.connector.waitForSent((a) => !!openUrlOf(cardsOf(a)) && cardText(cardsOf(a)).includes('Your data held by Passerelle'));
  return { url: openUrlOf(cardsOf(dm))!.url, dm };
}

describe('Teams: me export', () => {
  const teams = useTeams();

  it('sends a one-time link in the member\'s 1:1 chat; the file holds their profile, observations, ballots and groups; the link works once', async () => {
    const t = teams.current();
    await aliceAtWork(t);
    const { url, dm } = await exportLink(t);

    // In a 1:1 conversation the bot created with Alice, not in the channel.
    const created = await t.connector.waitFor((c) => c.kind === 'createConversation' && c.body?.members?.[0]?.id === ALICE.aadObjectId);
    expect(dm.call.conversationId).toBe((created.response as { id: string }).id);
    expect(url).toMatch(new RegExp(`^${t.h.app.url}/my-data/[A-Za-z0-9_-]{43}\\.json$`));
    // Only the token's hash is kept as the pending step.
    const token = /\/my-data\/(.+)\.json$/.exec(url)![1]!;
    const parked = await t.h.app.db.pendingAction.findMany({ where: { kind: 'data-export' } });
    expect(parked).toHaveLength(1);
    expect(parked[0]!.id).not.toContain(token);
    expect(parked[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * HOUR);

    // HEAD does not use the link up.
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="passerelle-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = await res.json();
    expect(data).toMatchObject({
      format: 'passerelle-member-data',
      profile: { channel: 'teams', workspace: FAKE_TENANT_ID, chatUserId: ALICE.aadObjectId, displayName: 'Alice Martin', actorType: 'union', organisation: ORGANISATION, country: 'SE' },
      observations: [{ id: 1, platform: 'SE', text: 'Early warning cell set up with the region', dimensions: ['territory'] }],
      ballots: [{ clause: 'SE-2.1', anonymous: false, voteStatus: 'open', choice: 'agree' }],
      workingGroups: [{ name: 'Skills pool', platform: 'SE', convenor: true }],
    });
    expect(JSON.stringify(data)).not.toContain('Bob Berg');

    // Once only; an unknown token is 404 as well.
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${t.h.app.url}/my-data/${'A'.repeat(43)}.json`)).status).toBe(404);
    expect(await t.h.app.db.pendingAction.count({ where: { kind: 'data-export' } })).toBe(0);
  });

  it('lets the link expire after 24 hours', async () => {
    const t = teams.current();
    await t.post(channelMessage({ ...t.where(), text: 'help' }));
    const { url } = await exportLink(t);
    t.h.advanceClock(24 * HOUR + 60_000);
    expect((await fetch(url)).status).toBe(404);
  });
});

describe('Teams: me forget', () => {
  const teams = useTeams();

  it('asks with a card only the member may answer; then forgets them: card updated, open ballot gone, 1:1 chat forgotten, audit without personal data', async () => {
    const t = teams.current();
    const { h, connector } = t;
    const { observationCard } = await aliceAtWork(t);
    const alice = await h.app.db.member.findFirstOrThrow({ where: { externalId: ALICE.aadObjectId } });
    // A link asked for before forgetting: it dies with the rest.
    const { url } = await exportLink(t);
    expect(await h.app.db.teamsConversation.count({ where: { conversationId: `dm:${FAKE_TENANT_ID}:${ALICE.aadObjectId}` } })).toBe(1);

    const asked = await say(t, 'me forget', (a) => !!actionOf(cardsOf(a), 'me.forget'));
    const text = cardText(cardsOf(asked));
    expect(text).toContain('Forget me?');
    expect(text).toContain('This cannot be undone. Only you can confirm it.');
    const [keep, remove] = actionsOf(cardsOf(asked), 'me.forget');
    expect([keep!.title, remove!.title]).toEqual(['Yes, forget me', 'Yes, forget me and delete my observations']);

    // Bob presses Alice's buttons: refused, to him alone, and nothing happens.
    for (const button of [keep!, remove!]) {
      const refused = await t.post(cardAction({ ...t.where(), verb: 'me.forget', data: button.data, replyToId: asked.id, from: BOB }));
      expect(refused.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      expect(refused.body.value).toContain('This confirmation belongs to another member: only they can confirm it, and nothing was done.');
    }
    expect(await h.app.db.member.count({ where: { forgottenAt: { not: null } } })).toBe(0);
    expect(await h.app.db.auditEntry.count()).toBe(0);

    // Alice presses "Yes, forget me".
    const done = await t.post(cardAction({ ...t.where(), verb: 'me.forget', data: keep!.data, replyToId: asked.id }));
    expect(done.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(done.body.value).toContain('Passerelle has forgotten you.');
    expect(done.body.value).toContain(`Observations kept as “${FORMER}”: 1; deleted: 0.`);

    const former = await h.app.db.member.findUniqueOrThrow({ where: { id: alice.id } });
    expect(former).toMatchObject({ displayName: null, organisation: null, language: null, actorType: 'union', country: 'SE' });
    expect(former.externalId).toMatch(/^forgotten:/);

    // The observation card in the channel, updated in place.
    const update = await connector.waitFor((c) => c.kind === 'update' && c.activityId === observationCard.id && cardText(cardsOf(c.body)).includes('former member'));
    const card = cardText(cardsOf(update.body));
    expect(card).toContain(FORMER);
    expect(card).not.toContain('Alice Martin');
    expect(JSON.stringify(update.body)).not.toContain(ALICE.aadObjectId);
    expect(actionOf(cardsOf(update.body), 'observation.edit')).toBeUndefined();

    // Her open ballot is gone, Bob's stays; she has left the group, which keeps her as convenor.
    const ballots = await h.app.db.ballot.findMany();
    expect(ballots.map((b) => b.voterKey)).toEqual([String((await h.app.db.member.findFirstOrThrow({ where: { externalId: BOB.aadObjectId } })).id)]);
    expect(await h.app.db.groupMembership.count({ where: { memberId: alice.id } })).toBe(0);

    // The export CLI: a former member, no name.
    const exported = await passerelle(['export', 'observations'], { DATABASE_URL: `file:${h.app.dbFile}` });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)[0].author).toEqual({ displayName: 'former member (union, SE)', actorType: 'union', organisation: null, country: 'SE' });
    expect(exported.stdout).not.toContain('Alice Martin');

    // Her 1:1 chat, her pending link and her direct messages are forgotten; no reference names her.
    expect((await fetch(url)).status).toBe(404);
    expect(await h.app.db.pendingAction.count({ where: { memberId: alice.id } })).toBe(0);
    expect(await h.app.db.outboxMessage.count({ where: { conversationId: { startsWith: 'dm:' } } })).toBe(0);
    const references = JSON.stringify(await h.app.db.teamsConversation.findMany());
    expect(references).not.toContain(ALICE.aadObjectId);
    expect(references).not.toContain('Alice Martin');

    // The audit entry: an erasure happened; no name, no chat id.
    const audit = await h.app.db.auditEntry.findFirstOrThrow();
    expect(audit).toMatchObject({ action: 'member-forgotten', detail: { channel: 'teams', observationsKept: 1, observationsDeleted: 0, ballotsDeleted: 1, groupsLeft: 1, groupsConvened: 1 } });
    const serialised = JSON.stringify(audit);
    for (const personal of ['Alice Martin', ALICE.aadObjectId, ALICE.id, ORGANISATION, former.externalId]) expect(serialised).not.toContain(personal);

    // The button again: the step is over.
    const again = await t.post(cardAction({ ...t.where(), verb: 'me.forget', data: keep!.data, replyToId: asked.id }));
    expect(again.body.value).not.toContain('Passerelle has forgotten you.');
    expect(await h.app.db.auditEntry.count()).toBe(1);
  });
});
