/**
 * Direct messages to one member through the outbox in Teams: a `dm:<tenant>:<aad id>` conversation
 * is created once with the connector (POST v3/conversations, with the service URL of a conversation
 * known in that tenant), remembered, and reused for the next messages.
 */
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../templates/view.js';
import { directTo } from '../../src/core/direct.js';
import { enqueue } from '../../src/core/outbox.js';
import { cardText } from '../support/adaptive-cards.js';
import { cardsOf, FAKE_TENANT_ID } from '../support/fake-connector.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { channelMessage, TEAMS_DEFAULTS } from '../support/teams-activities.js';

const BOB_AAD = 'b0b00000-0000-4000-8000-000000000002';
const reminder = (text: string): MessageView => ({ summary: text, blocks: [{ type: 'text', text: [text] }] });

async function member(t: TeamsTest, externalId: string, workspace: string = FAKE_TENANT_ID) {
  return t.h.app.db.member.create({ data: { channel: 'teams', workspace, externalId, displayName: 'Bob Berg' } });
}

async function statusOf(t: TeamsTest, messageKey: string) {
  await expect.poll(async () => (await t.h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey } })).status).not.toBe('pending');
  return t.h.app.db.outboxMessage.findFirstOrThrow({ where: { messageKey } });
}

describe('Teams: the outbox sends a direct message to one member', () => {
  const teams = useTeams();

  it('creates the 1:1 conversation once, posts in it, and reuses it for the next message and for updates', async () => {
    const t = teams.current();
    // The bot has heard from a channel of the tenant: its service URL is known.
    await t.post(channelMessage({ ...t.where(), text: 'help' }));
    const bob = await member(t, BOB_AAD);

    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    const created = await t.connector.waitFor((c) => c.kind === 'createConversation');
    expect(created.body).toMatchObject({
      isGroup: false,
      bot: { id: TEAMS_DEFAULTS.botId },
      members: [{ id: BOB_AAD }],
      tenantId: FAKE_TENANT_ID,
      channelData: { tenant: { id: FAKE_TENANT_ID } },
    });
    const dmId = (created.response as { id: string }).id;
    const first = await t.connector.waitForSent((a) => cardText(cardsOf(a)).includes('Vote 3 closes tomorrow'));
    expect(first.call.conversationId).toBe(dmId);
    expect(await statusOf(t, 'reminder:1')).toMatchObject({ status: 'sent', conversationId: `dm:${FAKE_TENANT_ID}:${BOB_AAD}` });
    const stored = await t.h.app.db.teamsConversation.findUniqueOrThrow({ where: { conversationId: `dm:${FAKE_TENANT_ID}:${BOB_AAD}` } });
    expect(stored).toMatchObject({ serviceUrl: t.connector.serviceUrl, tenantId: FAKE_TENANT_ID, reference: { conversation: { id: dmId } } });

    // The next message goes to the stored conversation: no second createConversation.
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:2', view: reminder('Vote 4 closes tomorrow'), locale: 'en' });
    const second = await t.connector.waitForSent((a) => cardText(cardsOf(a)).includes('Vote 4 closes tomorrow'));
    expect(second.call.conversationId).toBe(dmId);
    expect(await statusOf(t, 'reminder:2')).toMatchObject({ status: 'sent' });

    // The same key updates the message in place, in that conversation.
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:1', view: reminder('Vote 3 is closed'), locale: 'en' });
    const update = await t.connector.waitFor((c) => c.kind === 'update');
    expect(update).toMatchObject({ conversationId: dmId, activityId: first.id });
    expect(cardText(cardsOf(update.body))).toContain('Vote 3 is closed');

    // And after a restart, from the database.
    await t.h.restart();
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:3', view: reminder('Vote 5 opened'), locale: 'en' });
    const third = await t.connector.waitForSent((a) => cardText(cardsOf(a)).includes('Vote 5 opened'));
    expect(third.call.conversationId).toBe(dmId);
    expect(t.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1);
  });

  it('gives up with a clear reason when no conversation of the member\'s tenant is known', async () => {
    const t = teams.current();
    const bob = await member(t, BOB_AAD);
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    const row = await statusOf(t, 'reminder:1');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain(`no Teams conversation known in tenant ${FAKE_TENANT_ID} to reach ${BOB_AAD}`);
    expect(t.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(0);
  });

  it('does not reach into another tenant with this tenant\'s conversations', async () => {
    const t = teams.current();
    await t.post(channelMessage({ ...t.where(), text: 'help' }));
    const stranger = await member(t, BOB_AAD, '00000000-0000-4000-8000-0000000000ff');
    await enqueue(t.h.app.db, { ...directTo(stranger), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    expect((await statusOf(t, 'reminder:1')).lastError).toContain('no Teams conversation known in tenant 00000000-0000-4000-8000-0000000000ff');
    expect(t.connector.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(0);
  });

  it('gives up when Teams refuses the 1:1 conversation (app not installed for the member, or blocked)', async () => {
    const t = teams.current();
    await t.post(channelMessage({ ...t.where(), text: 'help' }));
    const bob = await member(t, BOB_AAD);
    t.connector.failNext('createConversation', { status: 403 });
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    const row = await statusOf(t, 'reminder:1');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain(`HTTP 403: Teams member ${BOB_AAD} cannot be reached`);
    expect(await t.h.app.db.teamsConversation.findUnique({ where: { conversationId: `dm:${FAKE_TENANT_ID}:${BOB_AAD}` } })).toBeNull();
  });

  it('gives up when Teams refuses a message in a known 1:1 conversation (404: the app was removed)', async () => {
    const t = teams.current();
    await t.post(channelMessage({ ...t.where(), text: 'help' }));
    const bob = await member(t, BOB_AAD);
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:1', view: reminder('Vote 3 closes tomorrow'), locale: 'en' });
    expect(await statusOf(t, 'reminder:1')).toMatchObject({ status: 'sent' });
    t.connector.failNext('send', { status: 404 });
    await enqueue(t.h.app.db, { ...directTo(bob), messageKey: 'reminder:2', view: reminder('Vote 4 closes tomorrow'), locale: 'en' });
    const row = await statusOf(t, 'reminder:2');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain(`HTTP 404: Teams member ${BOB_AAD} cannot be reached`);
  });
});
