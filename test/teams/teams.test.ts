import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, TEAMS_SE_CHANNEL, type Harness } from '../support/harness.js';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import {
  cardAction,
  cardSubmit,
  channelMessage,
  fetchTask,
  membersAdded,
  postActivity,
  submitAction,
  TEAMS_DEFAULTS,
} from '../support/teams-activities.js';


describe('Teams: the same commands, core and cards as Slack', () => {
  let h: Harness;
  let connector: FakeConnector;
  const where = () => ({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL });
  const post = (activity: unknown) => postActivity(h.app.url, activity);

  beforeEach(async (test) => {
    connector = await startFakeConnector();
    h = await startHarness(test.task.name.includes('429') ? { OUTBOX_INTERVAL_MS: '600000' } : {});
  });
  afterEach(async () => {
    await h.stop();
    await connector.close();
  });

  it('files "@Passerelle observe …" from a bound channel, replies in the thread, and posts the card to the channel', async () => {
    const res = await post(channelMessage({ ...where(), text: 'observe Trade union and employer set up a transfer pool #workers #territory' }));
    expect(res.status).toBe(200);
    const reply = await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Observation #1 filed'));
    // Plattform Sverige speaks Swedish: its dimension labels, English for the sentences not yet translated.
    expect(cardText(cardsOf(reply))).toContain('Observation #1 filed (Arbetstagare, Territorium).');
    const stored = await h.app.db.observation.findFirstOrThrow({ include: { dimensions: true } });
    expect(stored).toMatchObject({ platformId: 'SE', channel: 'teams', conversationId: TEAMS_SE_CHANNEL, text: 'Trade union and employer set up a transfer pool' });
    const card = await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Trade union and employer set up a transfer pool'));
    expect(card.call.conversationId).toBe(TEAMS_SE_CHANNEL);
    expect(cardText(cardsOf(card))).toContain('Alice Martin');
    expect(actionOf(cardsOf(card), 'observation.withdraw') ?? cardText(cardsOf(card))).toBeTruthy();
  });

  it('tells a member in an unbound channel how to bind it, and stores nothing', async () => {
    await post(channelMessage({ serviceUrl: connector.serviceUrl, channelId: '19:elsewhere@thread.tacv2', text: 'observe Something #workers' }));
    const reply = await connector.waitForSent();
    expect(cardText(cardsOf(reply))).toContain('This channel (19:elsewhere@thread.tacv2) is not bound to any Passerelle platform');
    expect(cardText(cardsOf(reply))).toContain('to the Teams channels of a platform');
    expect(await h.app.db.observation.count()).toBe(0);
  });

  it('answers "observe" with the form card; submitting it files the observation and turns the form into the confirmation', async () => {
    await post(channelMessage({ ...where(), text: 'observe' }));
    const formMessage = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'form:observation.form'));
    const submit = actionOf(cardsOf(formMessage), 'form:observation.form')!;
    const missing = await post(cardAction({ ...where(), verb: submit.verb, data: { ...submit.data, text: 'No dimension given', innovative: 'no', confidentiality: 'platform' }, replyToId: formMessage.id }));
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(missing.body.value).toContain('Tag at least one dimension');
    expect(await h.app.db.observation.count()).toBe(0);

    const tooLong = await post(cardAction({ ...where(), verb: submit.verb, data: { ...submit.data, text: 'x'.repeat(4001), dimensions: 'workers' }, replyToId: formMessage.id }));
    expect(tooLong.body.value).toContain('The text is too long: 4001 characters, at most 4000.');

    const filed = await post(
      cardAction({ ...where(), verb: submit.verb, data: { ...submit.data, text: 'Municipality hired a job coach', dimensions: 'workers,territory', innovative: 'yes', confidentiality: 'platform' }, replyToId: formMessage.id }),
    );
    expect(filed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(filed.body.value)).toContain('Observation #1 filed (Arbetstagare, Territorium).');
    expect(await h.app.db.observation.findFirstOrThrow()).toMatchObject({ innovative: true, text: 'Municipality hired a job coach' });
  });

  it('lets the author withdraw from the card (refreshed in place by the outbox), and says so on a withdrawn one', async () => {
    await post(channelMessage({ ...where(), text: 'observe Early warning cell #company' }));
    const card = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'observation.withdraw'));
    const withdraw = actionOf(cardsOf(card), 'observation.withdraw')!;
    const res = await post(cardAction({ ...where(), verb: 'observation.withdraw', data: withdraw.data, replyToId: card.id }));
    expect(res.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(res.body.value).toContain('Observation #1 withdrawn.');
    const update = await connector.waitFor((c) => c.kind === 'update');
    expect(update.activityId).toBe(card.id);
    expect(cardText(cardsOf(update.body))).toContain('was withdrawn by its author');

    const again = await post(cardAction({ ...where(), verb: 'observation.withdraw', data: withdraw.data, replyToId: card.id }));
    expect(again.body.value).toContain('Observation #1 was withdrawn; it can no longer be changed.');
    const other = await post(cardAction({ ...where(), verb: 'observation.edit', data: withdraw.data, replyToId: card.id, from: { id: '29:bob', name: 'Bob', aadObjectId: 'b0b' } }));
    expect(other.body.value).toContain('Only the author of observation #1 can change it.');
  });

  it('explains a mistake the way Teams members call the bot', async () => {
    await post(channelMessage({ ...where(), text: 'observe #workers' }));
    const reply = await connector.waitForSent();
    expect(cardText(cardsOf(reply))).toContain('e.g. @Passerelle observe The regional council');
    expect(await h.app.db.observation.count()).toBe(0);
  });

  it('answers an unknown verb clearly', async () => {
    const res = await post(cardAction({ ...where(), verb: 'vote.cast', data: {}, replyToId: '1' }));
    expect(res.status).toBe(200);
    expect(res.body.value).toContain('This step has expired');
  });

  it('takes Action.Submit from clients without Action.Execute', async () => {
    await post(channelMessage({ ...where(), text: 'observe Cell #company' }));
    const card = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'observation.withdraw'));
    await post(cardSubmit({ ...where(), data: { action: 'observation.withdraw', value: '1' }, replyToId: card.id }));
    const reply = await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Observation #1 withdrawn.'));
    expect(reply).toBeDefined();
    expect((await h.app.db.observation.findFirstOrThrow()).withdrawnAt).not.toBeNull();
  });

  it('captures a message as an observation from its "…" menu', async () => {
    const fetch = await post(
      fetchTask({ ...where(), commandId: 'observation.capture', messagePayload: { id: '1700000000001', body: { content: '<p>The regional fund &amp; the union opened a <b>skills centre</b></p>' } } }),
    );
    expect(fetch.status).toBe(200);
    expect(fetch.body.task.type).toBe('continue');
    const form = fetch.body.task.value.card.content;
    expect(cardText(form)).toContain('The regional fund & the union opened a skills centre');
    const submit = JSON.stringify(form).match(/"data":\{"action":"form:observation\.form","state":"((?:[^"\\]|\\.)*)"/);
    expect(submit).not.toBeNull();
    const state = JSON.parse(`"${submit![1]}"`);
    const done = await post(
      submitAction({ ...where(), commandId: 'observation.capture', data: { action: 'form:observation.form', state, text: 'The regional fund & the union opened a skills centre', dimensions: 'territory', innovative: 'no', confidentiality: 'platform' } }),
    );
    expect(done.status).toBe(200);
    const o = await h.app.db.observation.findFirstOrThrow();
    expect(o.sourceLink).toContain('https://teams.microsoft.com/l/message/');
    await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Observation #1 filed'));
  });

  it('remembers the channel and greets it with the help when added to a team', async () => {
    const res = await post(membersAdded({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL }));
    expect(res.status).toBe(200);
    const greeting = await connector.waitForSent();
    expect(cardText(cardsOf(greeting))).toContain('Passerelle — commands');
    expect(cardText(cardsOf(greeting))).toContain('@Passerelle observe');
    expect(cardText(cardsOf(greeting))).not.toContain('/passerelle');
    expect(await h.app.db.teamsConversation.findUnique({ where: { conversationId: TEAMS_SE_CHANNEL } })).not.toBeNull();
  });

  it('retries the card after the connector answers 429, and loses nothing', async () => {
    await post(channelMessage({ ...where(), text: 'observe Rate limited but kept #company' }));
    await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Observation #1 filed'));
    // The outbox of this harness runs only when told to (OUTBOX_INTERVAL_MS is long).
    connector.failNext('send', { status: 429 }, 1);
    await h.app.outbox.runOnce();
    const pending = await h.app.db.outboxMessage.findFirstOrThrow();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate limited (429)' });
    expect(connector.sent().some((a) => cardText(cardsOf(a)).includes('Rate limited but kept'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, pending.nextAttemptAt.getTime() - Date.now() + 50));
    await h.app.outbox.runOnce();
    await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Rate limited but kept'));
    expect(await h.app.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('answers 400 to an activity that is not one', async () => {
    const res = await post({ type: 'message', text: 'no serviceUrl, no conversation' });
    expect(res.status).toBe(400);
    expect(await h.app.db.observation.count()).toBe(0);
  });
});

describe('Teams with Bot Framework credentials', () => {
  it('refuses an unauthenticated activity with 401 and stores nothing', async () => {
    const connector = await startFakeConnector();
    const h = await startHarness({
      MICROSOFT_APP_ID: '00000000-0000-0000-0000-0000000000aa',
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TENANT_ID: TEAMS_DEFAULTS.tenantId,
    });
    try {
      const res = await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL, text: 'observe Forged #workers' }));
      expect(res.status).toBe(401);
      expect(await h.app.db.observation.count()).toBe(0);
      expect(await h.app.db.member.count()).toBe(0);
      expect(connector.calls).toHaveLength(0);
    } finally {
      await h.stop();
      await connector.close();
    }
  });
});

describe('one core for both channels', () => {
  it('exports an observation filed from Slack on FR and one filed from Teams on SE together', async () => {
    const { passerelle } = await import('../cli/run-cli.js');
    const connector = await startFakeConnector();
    const h = await startHarness();
    try {
      await h.slash('observe Cellule de reclassement #salariés', { channelId: 'C01FRANCE' });
      await postActivity(h.app.url, channelMessage({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL, text: 'observe Omställningsavtal i praktiken #arbetstagare' }));
      await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Observation #2 filed'));
      const result = await passerelle(['export', 'observations', '--format', 'json'], { DATABASE_URL: `file:${h.app.dbFile}` });
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as Array<{ platform: string; text: string; dimensions: string[] }>;
      expect(rows.map((r) => [r.platform, r.text, r.dimensions])).toEqual([
        ['FR', 'Cellule de reclassement', ['workers']],
        ['SE', 'Omställningsavtal i praktiken', ['workers']],
      ]);
    } finally {
      await h.stop();
      await connector.close();
    }
  });
});
