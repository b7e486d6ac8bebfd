/**
 * Working groups through the real Teams adapter: `group add|remove <group> <at>Name</at>`. Teams mentions
 * carry the Teams user id (29:…); the adapter resolves it to the AAD object id with TeamsInfo.getMember,
 * which the fake connector answers (GET v3/conversations/{team}/members/{id}).
 */
import { describe, expect, it } from 'vitest';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, FAKE_TENANT_ID } from '../support/fake-connector.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { at, cardAction, channelMessage, TEAMS_DEFAULTS, type TeamsUser } from '../support/teams-activities.js';

const BOB = { id: '29:1bob-berg-teams-id', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };
const CARLA = { id: '29:1carla-teams-id', name: 'Carla Conti', aadObjectId: 'ca41a000-0000-4000-8000-000000000003' };
const ZOE = { id: '29:1zoe-not-in-team', name: 'Zoe Zeller' };

/** Sends `@Passerelle <text>` mentioning `mentions`, and the text of the bot's replies (sent before the turn ends). */
async function say(t: TeamsTest, text: string, mentions: TeamsUser[] = []): Promise<string> {
  const before = t.connector.sent().length;
  const res = await t.post(channelMessage({ ...t.where(), text, mentions }));
  expect(res.status).toBe(200);
  const replies = t.connector.sent().slice(before);
  expect(replies.length).toBeGreaterThan(0);
  return replies.map((a) => cardText(cardsOf(a))).join('\n');
}

/** The convenor (the default user, Alice) creates the group `name` with the group form card. */
async function createGroup(t: TeamsTest, name: string): Promise<void> {
  await t.post(channelMessage({ ...t.where(), text: 'group new' }));
  const formMessage = await t.connector.waitForSent((a) => !!actionOf(cardsOf(a), 'form:group.form'));
  const submit = actionOf(cardsOf(formMessage), 'form:group.form')!;
  const created = await t.post(cardAction({ ...t.where(), verb: submit.verb, data: { ...submit.data, name, scope: 'platform' }, replyToId: formMessage.id }));
  expect(cardText(created.body.value)).toContain(`Working group ${name} created`);
}

/** The externalIds of the group's members, sorted. */
async function membersOf(t: TeamsTest, name: string): Promise<string[]> {
  const group = await t.h.app.db.workingGroup.findFirstOrThrow({ where: { name }, include: { members: true } });
  const members = await t.h.app.db.member.findMany({ where: { id: { in: group.members.map((m) => m.memberId) } } });
  return members.map((m) => m.externalId).sort();
}

describe('Teams: working group members by mention', () => {
  const teams = useTeams();

  it('adds the people mentioned, known by their AAD id and named by their Teams name, and removes one by mention', async () => {
    const t = teams.current();
    t.connector.setMember(BOB);
    t.connector.setMember(CARLA);
    await createGroup(t, 'Skills');

    const added = await say(t, `group add Skills ${at(BOB)} ${at(CARLA)}`, [BOB, CARLA]);
    expect(added).toContain('Added to Skills: Bob Berg, Carla Conti.');
    expect(added).not.toContain(BOB.aadObjectId);
    // Both looked up in the team (the mention's 29: id), the bot's own mention not.
    const lookups = t.connector.calls.filter((c) => c.kind === 'member').map((c) => [c.conversationId, c.memberId]);
    expect(lookups.sort()).toEqual([[TEAMS_DEFAULTS.teamId, BOB.id], [TEAMS_DEFAULTS.teamId, CARLA.id]]);
    const bob = await t.h.app.db.member.findFirstOrThrow({ where: { externalId: BOB.aadObjectId } });
    expect(bob).toMatchObject({ channel: 'teams', workspace: FAKE_TENANT_ID, displayName: 'Bob Berg', profileSetAt: null });
    expect(await membersOf(t, 'Skills')).toEqual([BOB.aadObjectId, CARLA.aadObjectId, TEAMS_DEFAULTS.user.aadObjectId].sort());

    expect(await say(t, `group add Skills ${at(BOB)}`, [BOB])).toContain('Already in the group: Bob Berg.');

    expect(await say(t, `group remove Skills ${at(BOB)}`, [BOB])).toContain('Bob Berg is no longer in Skills.');
    expect(await membersOf(t, 'Skills')).toEqual([CARLA.aadObjectId, TEAMS_DEFAULTS.user.aadObjectId].sort());
    expect(await say(t, `group remove Skills ${at(BOB)}`, [BOB])).toContain('Bob Berg is not a member of Skills.');
  });

  it('does nothing, and says who could not be found, when the connector does not know someone mentioned', async () => {
    const t = teams.current();
    t.connector.setMember(BOB);
    await createGroup(t, 'Skills');

    t.connector.failNext('members', { status: 404, code: 'MemberNotFoundInConversation', message: 'Member not found' });
    const refused = await say(t, `group add Skills ${at(ZOE)}`, [ZOE]);
    expect(refused).toContain('Passerelle cannot find Zoe Zeller in this team or chat, so nothing was done.');
    expect(refused).toContain('Mention people who are members of it');
    expect(await membersOf(t, 'Skills')).toEqual([TEAMS_DEFAULTS.user.aadObjectId]);
    expect(await t.h.app.db.member.count()).toBe(1);

    // One unknown among several: nobody is added.
    t.connector.failNext('members', { status: 404, code: 'MemberNotFoundInConversation' });
    expect(await say(t, `group add Skills ${at(BOB)} ${at(ZOE)}`, [BOB, ZOE])).toContain('so nothing was done');
    expect(await membersOf(t, 'Skills')).toEqual([TEAMS_DEFAULTS.user.aadObjectId]);

    // A GUID typed, not mentioned, is still refused: nobody resolved it.
    expect(await say(t, 'group add Skills @0000aaaa-0000-4000-8000-00000000dead')).toContain('Passerelle cannot tell who @0000aaaa-0000-4000-8000-00000000dead is');
    expect(await membersOf(t, 'Skills')).toEqual([TEAMS_DEFAULTS.user.aadObjectId]);
  });
});
