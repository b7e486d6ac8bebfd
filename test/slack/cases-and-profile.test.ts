import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectValue, textValue } from '../support/slack-requests.js';
import { createCase, startHarness, type Harness } from '../support/harness.js';

describe('/passerelle case', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('opens the case form, prefilled with the platform country', async () => {
    await h.slash('case new', { triggerId: 'trig-case' });
    const open = await h.fake.waitFor('views.open');
    const view = open.body.view as { callback_id: string; blocks: Array<{ block_id: string; element?: { initial_option?: { value: string } } }> };
    expect(view.callback_id).toBe('case.form');
    expect(view.blocks.find((b) => b.block_id === 'country')?.element?.initial_option?.value).toBe('FR');
  });

  it('shows a case factsheet and lists the cases with their observation counts per dimension', async () => {
    await createCase(h, 'ACME-2026');
    await h.slash('observe Reskilling cell #workers #territory case:acme-2026');
    await h.slash('observe Supplier fund #territory case:ACME-2026');
    await h.slash('observe Withdrawn later #company case:ACME-2026');
    await h.click('observation.withdraw', '3');
    await h.fake.waitFor('response_url');

    const shown = await h.slash('case ACME-2026');
    expect(shown.text).toContain('Cas ACME-2026 — ACME Tyres');
    expect(shown.text).toContain('FRE1');
    expect(shown.text).toContain('2 observations — salariés 1 · territoire 2 · entreprise 0');

    const list = await h.slash('case list');
    expect(list.text).toContain('Cas de la Plateforme France');
    expect(list.text).toMatch(/\*ACME-2026\* — ACME Tyres · FR · Fermeture/);

    const other = await h.slash('case list', { channelId: 'C01UNITEDK' });
    expect(other.text).toContain('No case yet on United Kingdom platform');
  });

  it('says so for an unknown case, and for a malformed reference', async () => {
    expect((await h.slash('case NOPE-1')).text).toContain("Il n'y a pas de cas NOPE-1.");
    expect((await h.slash('case a')).text).toContain('Une référence de cas compte 2 à 40 majuscules');
  });

  it('refuses a second case with the same reference, on the field', async () => {
    await createCase(h, 'ACME-2026');
    const again = await h.submit('case.form', { conv: 'C01FRANCE' }, {
      ref: { ref: textValue('acme-2026') },
      company: { company: textValue('Other') },
      country: { country: selectValue('FR') },
      type: { type: selectValue('closure') },
    });
    expect(again.body).toEqual({ response_action: 'errors', errors: { ref: 'Le cas ACME-2026 existe déjà ; choisissez une autre référence.' } });
    expect(await h.app.db.case.count()).toBe(1);
  });
});

describe('/passerelle me and the language of the bot', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('asks a new member for a profile until they give one, and then speaks their language', async () => {
    const first = await h.slash('help');
    expect(first.text).toContain('Passerelle — commandes');
    expect(first.text).toContain('Renseigner mon profil');

    await h.slash('me', { triggerId: 'trig-me' });
    const open = await h.fake.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe('profile.form');

    const saved = await h.submit('profile.form', { conv: 'C01FRANCE' }, {
      actorType: { actorType: selectValue('union') },
      organisation: { organisation: textValue('CFDT Métallurgie') },
      country: { country: selectValue('FR') },
      language: { language: selectValue('en') },
    });
    expect(saved.body).toEqual({ response_action: 'clear' });
    const confirmation = await h.fake.waitFor('chat.postEphemeral');
    expect(JSON.stringify(confirmation.body.blocks)).toContain('Profile saved: Employee representative / trade union, FR.');
    const member = await h.app.db.member.findFirstOrThrow();
    expect(member).toMatchObject({ actorType: 'union', organisation: 'CFDT Métallurgie', language: 'en' });

    const after = await h.slash('help');
    expect(after.text).toContain('Passerelle — commands');
    expect(after.text).not.toContain('Set up my profile');
    for (const command of ['observe', 'case', 'me', 'help']) expect(after.text).toContain(`/passerelle ${command}`);
  });

  it('shows the actor type of a member with a profile on their cards', async () => {
    await h.submit('profile.form', { conv: 'C01FRANCE' }, {
      actorType: { actorType: selectValue('local-authority') },
      country: { country: selectValue('FR') },
      language: { language: selectValue('fr') },
    });
    await h.slash('observe La région finance une cellule #territoire');
    const post = await h.fake.waitFor('chat.postMessage');
    expect(JSON.stringify(post.body.blocks)).toContain('Collectivité régionale ou locale');
  });

  it('refuses a profile without an actor type', async () => {
    const answer = await h.submit('profile.form', { conv: 'C01FRANCE' }, {
      actorType: { actorType: selectValue(null) },
      country: { country: selectValue('FR') },
      language: { language: selectValue('fr') },
    });
    expect(answer.body).toEqual({ response_action: 'errors', errors: { actorType: "Choisissez un type d'acteur." } });
    expect((await h.app.db.member.findFirst())?.profileSetAt ?? null).toBeNull();
  });
});
