import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkboxesValue, radioValue, selectValue, textValue } from '../support/slack-requests.js';
import { createCase, startHarness, textOf, type Harness } from '../support/harness.js';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';

const EXAMPLE = "The regional council co-funded a reskilling cell for the plant's subcontractors";

describe('/passerelle observe in a bound Slack channel', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('files the observation, confirms ephemerally in the acknowledgement and posts the card in the channel', async () => {
    await createCase(h, 'ACME-2026');
    const started = Date.now();
    const answer = await h.slash(`observe ${EXAMPLE} #territory #workers case:ACME-2026`);
    const ackMs = Date.now() - started;

    expect(answer.status).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    expect(answer.body?.response_type).toBe('ephemeral');
    // The member has no profile yet (Plateforme France speaks French): confirmation plus the profile nudge.
    expect(answer.text).toMatch(/Observation n° 1 enregistrée \(Salariés, Territoire, cas ACME-2026\)/);
    expect(answer.text).toContain('Renseigner mon profil');

    const stored = await h.app.db.observation.findMany({ include: { dimensions: true, case: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ platformId: 'FR', text: EXAMPLE, confidentiality: 'platform', conversationId: 'C01FRANCE' });
    expect(stored[0].dimensions.map((d) => d.dimension).sort()).toEqual(['territory', 'workers']);
    expect(stored[0].case?.ref).toBe('ACME-2026');

    const post = await h.fake.waitFor('chat.postMessage', (c) => !c.failed);
    expect(post.body.channel).toBe('C01FRANCE');
    const card = textOf(post.body.blocks);
    expect(card).toContain(EXAMPLE.replace("'", "'"));
    expect(card).toContain('<@U1>');
    expect(card).toMatch(/Salariés, Territoire/);
    expect(card).toMatch(/ACME-2026/);
    expect(card).toMatch(/FR/);
    assertBlockKitLimits(post.body.blocks as unknown[], 'message');
    const buttons = (post.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>).find((b) => b.type === 'actions');
    expect(buttons?.elements?.map((e) => e.action_id)).toEqual(['observation.edit', 'observation.withdraw']);
  });

  it('asks Slack who the bot is once, not on every request', async () => {
    for (const n of [1, 2, 3]) await h.slash(`observe Point ${n} #company`, { channelId: 'C01UNITEDK' });
    await h.mention('observe A mention #company', { channelId: 'C01UNITEDK' });
    await h.fake.waitFor('chat.postEphemeral');
    expect(h.fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('accepts dimension hashtags in any platform language', async () => {
    const answer = await h.slash('observe Cellule de reclassement co-financée par la région #territoire #salariés #Entreprise #innovant');
    expect(answer.text).toMatch(/Observation n° 1 enregistrée \(Salariés, Territoire, Entreprise\)/);
    const o = await h.app.db.observation.findFirstOrThrow({ include: { dimensions: true } });
    expect(o.dimensions).toHaveLength(3);
    expect(o.innovative).toBe(true);
    expect(o.text).toBe('Cellule de reclassement co-financée par la région');
  });

  it('reads a hashtag that Slack escaped into a channel link (a channel of that name exists) as the tag typed', async () => {
    const answer = await h.slash('observe La région finance une cellule <#C0TERRITOIRE|territoire>');
    expect(answer.text).toMatch(/Observation n° 1 enregistrée \(Territoire\)/);
    expect((await h.app.db.observation.findFirstOrThrow()).text).toBe('La région finance une cellule');
  });

  it('keeps a secretariat-only observation out of the channel', async () => {
    const answer = await h.slash('observe Confidential talks on a buyer #company #secretariat');
    expect(answer.text).toContain('réservée au secrétariat');
    expect(await h.app.db.observation.count({ where: { confidentiality: 'secretariat' } })).toBe(1);
    await h.app.outbox.runOnce();
    expect(await h.app.db.outboxMessage.count()).toBe(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers in English on the United Kingdom platform', async () => {
    const answer = await h.slash('observe Union and employer agreed on a redeployment plan #workers', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('Observation #1 filed (Workers).');
    expect(answer.text).toContain('Its card will appear here.');
  });

  it('opens the observation form when there is no text', async () => {
    const answer = await h.slash('observe', { triggerId: 'trigger-1' });
    expect(answer.status).toBe(200);
    const open = await h.fake.waitFor('views.open');
    expect(open.body.trigger_id).toBe('trigger-1');
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string }> };
    expect(view.callback_id).toBe('observation.form');
    expect(JSON.parse(view.private_metadata)).toEqual({ conv: 'C01FRANCE' });
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['text', 'dimensions', 'stage', 'case', 'innovative', 'confidentiality', 'language']);
    assertBlockKitLimits(view, 'modal');
  });

  it('files an observation from the form, with a confirmation in the channel for the member alone', async () => {
    const answer = await h.submit('observation.form', { conv: 'C01FRANCE' }, {
      text: { text: textValue('Works council obtained a 12-month redeployment leave') },
      dimensions: { dimensions: checkboxesValue(['workers']) },
      stage: { stage: selectValue('preparation') },
      case: { case: selectValue(null) },
      innovative: { innovative: radioValue('yes') },
      confidentiality: { confidentiality: radioValue('public') },
      language: { language: selectValue('en') },
    });
    expect(answer.body).toEqual({ response_action: 'clear' });
    const o = await h.app.db.observation.findFirstOrThrow();
    expect(o).toMatchObject({ stage: 'preparation', innovative: true, confidentiality: 'public', language: 'en' });
    const ephemeral = await h.fake.waitFor('chat.postEphemeral');
    expect(ephemeral.body).toMatchObject({ channel: 'C01FRANCE', user: 'U1' });
    expect(textOf(ephemeral.body.blocks)).toContain('Observation n° 1 enregistrée');
    await h.fake.waitFor('chat.postMessage');
  });

  it('refuses a form without a dimension, field by field, and stores nothing', async () => {
    const answer = await h.submit('observation.form', { conv: 'C01FRANCE' }, {
      text: { text: textValue('Something') },
      dimensions: { dimensions: checkboxesValue([]) },
      innovative: { innovative: radioValue('no') },
      confidentiality: { confidentiality: radioValue('platform') },
    });
    expect(answer.body?.response_action).toBe('errors');
    expect(Object.keys(answer.body?.errors)).toEqual(['dimensions']);
    expect(answer.body?.errors.dimensions).toBe('Indiquez au moins une dimension : #salariés #territoire #entreprise.');
    expect(await h.app.db.observation.count()).toBe(0);
  });
});
