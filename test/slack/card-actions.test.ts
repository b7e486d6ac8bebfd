import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkboxesValue, radioValue, selectValue, textValue } from '../support/slack-requests.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';

describe('observation cards: edit and withdraw by the author only', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.slash('observe Early warning cell set up by the region #territory', { channelId: 'C01UNITEDK' });
    await h.fake.waitFor('chat.postMessage');
  });
  afterEach(async () => h.stop());

  it('lets the author withdraw: the card in the channel is replaced, the observation leaves exports', async () => {
    const res = await h.click('observation.withdraw', '1', { channelId: 'C01UNITEDK' });
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor('response_url');
    expect(textOf(reply.body)).toContain('Observation #1 withdrawn.');
    const update = await h.fake.waitFor('chat.update');
    expect(update.body).toMatchObject({ channel: 'C01UNITEDK', ts: h.fake.callsTo('chat.postMessage')[0].body.ts ?? expect.any(String) });
    expect(textOf(update.body.blocks)).toContain('was withdrawn by its author');
    expect(textOf(update.body.blocks)).not.toContain('Early warning cell');
    expect((await h.app.db.observation.findUniqueOrThrow({ where: { id: 1 } })).withdrawnAt).not.toBeNull();
  });

  it('refuses another member, and changes nothing', async () => {
    await h.click('observation.withdraw', '1', { userId: 'U2', channelId: 'C01UNITEDK' });
    const reply = await h.fake.waitFor('response_url');
    expect(textOf(reply.body)).toContain('Only the author of observation #1 can change it.');
    await h.click('observation.edit', '1', { userId: 'U2', channelId: 'C01UNITEDK' });
    await h.fake.waitFor('response_url', (c) => c !== reply);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    await h.app.outbox.runOnce();
    expect(h.fake.callsTo('chat.update')).toHaveLength(0);
    expect((await h.app.db.observation.findUniqueOrThrow({ where: { id: 1 } })).withdrawnAt).toBeNull();
  });

  it('lets the author edit through the prefilled form; the card is updated in place', async () => {
    await h.click('observation.edit', '1', { channelId: 'C01UNITEDK' });
    const open = await h.fake.waitFor('views.open');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('observation.form');
    expect(textOf(open.body.view)).toContain('Early warning cell set up by the region');
    const answer = await h.submit('observation.form', JSON.parse(view.private_metadata), {
      text: { text: textValue('Early warning cell set up by the region and the unions') },
      dimensions: { dimensions: checkboxesValue(['territory', 'workers']) },
      innovative: { innovative: radioValue('no') },
      confidentiality: { confidentiality: radioValue('platform') },
      language: { language: selectValue('en') },
    });
    expect(answer.body).toEqual({ response_action: 'clear' });
    const update = await h.fake.waitFor('chat.update');
    expect(textOf(update.body.blocks)).toContain('and the unions');
    expect(textOf(update.body.blocks)).toContain('edited');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('says so when a button is pressed on a withdrawn observation', async () => {
    await h.click('observation.withdraw', '1', { channelId: 'C01UNITEDK' });
    await h.fake.waitFor('chat.update');
    await h.click('observation.edit', '1', { channelId: 'C01UNITEDK', responseId: 'second' });
    const reply = await h.fake.waitFor('response_url', (c) => c.responseId === 'second');
    expect(textOf(reply.body)).toContain('was withdrawn; it can no longer be changed');
  });
});

describe('an observation that names a case that does not exist yet', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('stores nothing, offers to create the case, and files the observation once the case exists', async () => {
    const answer = await h.slash('observe Outplacement unit opened on site #workers case:NEWCO-2026', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('There is no case NEWCO-2026');
    const button = (answer.body?.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .find((b) => b.type === 'actions')!.elements![0];
    expect(button.action_id).toBe('observation.create-case');
    expect(await h.app.db.observation.count()).toBe(0);
    expect(await h.app.db.case.count()).toBe(0);

    await h.click(button.action_id, button.value, { channelId: 'C01UNITEDK' });
    const open = await h.fake.waitFor('views.open');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('case.form');
    expect(textOf(open.body.view)).toContain('NEWCO-2026');

    const created = await h.submit('case.form', JSON.parse(view.private_metadata), {
      ref: { ref: textValue('NEWCO-2026') },
      company: { company: textValue('NewCo Ltd') },
      anonymised: { anonymised: radioValue('no') },
      country: { country: selectValue('UK') },
      type: { type: selectValue('relocation') },
    });
    expect(created.body).toEqual({ response_action: 'clear' });
    const ephemeral = await h.fake.waitFor('chat.postEphemeral');
    expect(textOf(ephemeral.body.blocks)).toContain('Case NEWCO-2026 created.');
    expect(textOf(ephemeral.body.blocks)).toContain('Observation #1 filed (Workers, case NEWCO-2026).');
    const o = await h.app.db.observation.findFirstOrThrow({ include: { case: true } });
    expect(o.case?.ref).toBe('NEWCO-2026');
    expect(await h.app.db.pendingAction.count()).toBe(0);
    await h.fake.waitFor('chat.postMessage');
  });

  it('refuses a case whose NUTS region belongs to another country, field by field', async () => {
    const answer = await h.submit('case.form', { conv: 'C01FRANCE' }, {
      ref: { ref: textValue('ACME-2026') },
      company: { company: textValue('ACME') },
      country: { country: selectValue('FR') },
      nutsRegion: { nutsRegion: textValue('DE21') },
      type: { type: selectValue('closure') },
      headcountBefore: { headcountBefore: { type: 'number_input', value: '-3' } },
    });
    expect(answer.body?.response_action).toBe('errors');
    expect(answer.body?.errors.nutsRegion).toContain("n'appartient pas au pays du cas");
    expect(answer.body?.errors.headcountBefore).toBeDefined();
    expect(await h.app.db.case.count()).toBe(0);
  });
});

describe('message shortcut "Capture as observation"', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('opens the form prefilled with the message and keeps a link to it', async () => {
    await h.shortcut({ ts: '1700000000.123456', text: 'The plant &amp; its suppliers signed a &lt;charter&gt;', user: 'U9' });
    const open = await h.fake.waitFor('views.open');
    const view = open.body.view as { private_metadata: string };
    expect(textOf(open.body.view)).toContain('The plant & its suppliers signed a <charter>');
    const state = JSON.parse(view.private_metadata);
    expect(state.link).toBe('https://passerelle-test.slack.com/archives/C01FRANCE/p1700000000123456');
    await h.submit('observation.form', state, {
      text: { text: textValue('The plant & its suppliers signed a <charter>') },
      dimensions: { dimensions: checkboxesValue(['territory']) },
      innovative: { innovative: radioValue('no') },
      confidentiality: { confidentiality: radioValue('platform') },
    });
    const o = await h.app.db.observation.findFirstOrThrow();
    expect(o.sourceLink).toBe(state.link);
    const post = await h.fake.waitFor('chat.postMessage');
    expect(textOf(post.body.blocks)).toContain('&lt;charter&gt;');
    expect(textOf(post.body.blocks)).toContain(state.link);
  });
});

describe('@Passerelle mentions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('files an observation like the slash command, and a retried event files nothing twice', async () => {
    const ts = '1700000100.000200';
    const first = await h.mention('observe Job centre opened a desk in the plant #workers #territory', { ts, eventId: 'Ev1' });
    expect(first.status).toBe(200);
    const ephemeral = await h.fake.waitFor('chat.postEphemeral');
    expect(textOf(ephemeral.body.blocks)).toContain('Observation n° 1 enregistrée');
    const retry = await h.mention('observe Job centre opened a desk in the plant #workers #territory', { ts, eventId: 'Ev1', retryNum: 1 });
    expect(retry.status).toBe(200);
    await h.fake.waitFor('chat.postMessage');
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.app.db.observation.count()).toBe(1);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('offers a button to open the form, since a mention cannot open one', async () => {
    await h.mention('observe');
    const ephemeral = await h.fake.waitFor('chat.postEphemeral');
    const actions = (ephemeral.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions');
    expect(actions?.elements?.[0]).toMatchObject({ action_id: 'command.run', value: 'observe' });
    await h.click('command.run', 'observe');
    const open = await h.fake.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe('observation.form');
  });
});
