/**
 * Working groups, clauses and amendments through the real Slack app: signed slash commands, modal
 * submissions and button clicks, with answers read from the fake Slack API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { radioValue, selectValue, textValue } from '../support/slack-requests.js';
import { createCase, startHarness, textOf, type Harness } from '../support/harness.js';

const CONV = { conv: 'C01FRANCE' };

describe('working groups, clauses and amendments in Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  /** The text of the ephemeral message (posted after a form) that says `words`. */
  const ephemeral = async (words: string) => textOf((await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes(words))).body.blocks);

  async function newGroup(name: string, userId = 'U1') {
    return h.submit('group.form', CONV, { name: { name: textValue(name) }, scope: { scope: radioValue('platform') } }, { userId });
  }

  async function newClause(values: Partial<Record<'stage' | 'title' | 'text' | 'group' | 'observations' | 'cases', string>> = {}) {
    const v: Partial<Record<string, string>> = { stage: 'preparation', title: 'Early information', text: 'The employer informs the works council early.', ...values };
    return h.submit('clause.form', CONV, {
      stage: { stage: selectValue(v.stage ?? null) },
      title: { title: textValue(v.title ?? null) },
      text: { text: textValue(v.text ?? null) },
      ...(v.group !== undefined ? { group: { group: selectValue(v.group) } } : {}),
      ...(v.observations !== undefined ? { observations: { observations: textValue(v.observations) } } : {}),
      ...(v.cases !== undefined ? { cases: { cases: textValue(v.cases) } } : {}),
    });
  }

  it('creates a group from the form; the convenor adds members by mention; group list shows them', async () => {
    await h.slash('group new', { triggerId: 'trig-group' });
    const open = await h.fake.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe('group.form');

    expect((await newGroup('Skills pool')).body).toEqual({ response_action: 'clear' });
    expect(await ephemeral('Groupe de travail Skills pool créé sur Plateforme France')).toContain('vous le coordonnez');
    const group = await h.app.db.workingGroup.findFirstOrThrow({ include: { members: true } });
    expect(group).toMatchObject({ name: 'Skills pool', platformId: 'FR' });
    expect(group.members).toHaveLength(1);

    // Slack sends mentions with their ids (should_escape); Bob has never spoken to Passerelle.
    const added = await h.slash('group add Skills pool <@U2|bob> <@U3|carla>');
    expect(added.text).toContain('Ajouté(s) à Skills pool : @U2, @U3.');
    const bob = await h.app.db.member.findFirstOrThrow({ where: { externalId: 'U2' } });
    expect(bob).toMatchObject({ channel: 'slack', workspace: 'T1', profileSetAt: null });
    expect(await h.app.db.groupMembership.count()).toBe(3);

    // Without a name: the one group the member convenes.
    expect((await h.slash('group add <@U2|bob>')).text).toContain('Déjà dans le groupe : @U2.');
    expect((await h.slash('group add Skills pool bob')).text).toContain('Mentionnez les membres à ajouter');
    expect((await h.slash('group add Skills pool <@U4|dan>', { userId: 'U2' })).text).toContain('Seule la coordination de Skills pool');
    expect(await h.app.db.groupMembership.count()).toBe(3);

    expect((await h.slash('group remove Skills pool <@U3|carla>')).text).toContain('ne fait plus partie de Skills pool');
    const list = await h.slash('group list');
    expect(list.text).toContain('Groupes de travail de Plateforme France');
    expect(list.text).toMatch(/\*Skills pool\* — FR · coordination alice · 2 membre\(s\)/);

    const taken = await newGroup('Skills pool');
    expect(taken.body).toEqual({ response_action: 'errors', errors: { name: 'Il existe déjà un groupe nommé Skills pool ; choisissez un autre nom.' } });
  });

  it('drafts a clause from the form with its links, numbered per stage, and shows its card', async () => {
    await createCase(h, 'ACME-2026');
    await h.slash('observe Early warning cell #company');
    await newGroup('Skills pool');
    const group = await h.app.db.workingGroup.findFirstOrThrow();

    const bad = await newClause({ observations: '1 99', cases: 'NOPE-1', group: String(group.id) });
    expect(bad.body).toMatchObject({ response_action: 'errors', errors: { observations: 'Observation introuvable : #99.' } });
    const tooLong = await newClause({ text: 'x'.repeat(4001) });
    expect(tooLong.body).toMatchObject({ response_action: 'errors', errors: { text: 'Le texte est trop long : 4001 caractères, au plus 4000.' } });
    expect(await h.app.db.clause.count()).toBe(0);

    const made = await newClause({ observations: '1', cases: 'acme-2026', group: String(group.id) });
    expect(made.body).toEqual({ response_action: 'clear' });
    expect(await ephemeral('Clause FR-2.1 rédigée (version 1).')).toContain('FR-2.1 — Early information');
    await newClause({ title: 'Second' });
    await newClause({ stage: 'follow-up', title: 'Follow-up' });
    const refs = (await h.app.db.clause.findMany({ orderBy: { id: 'asc' } })).map((c) => `${c.code}-${c.stage}.${c.number}`);
    expect(refs).toEqual(['FR-preparation.1', 'FR-preparation.2', 'FR-follow-up.1']);

    const card = await h.slash('clause fr-2.1');
    expect(card.text).toContain('FR-2.1 — Early information');
    expect(card.text).toContain('Projet');
    expect(card.text).toContain('The employer informs the works council early.');
    expect(card.text).toMatch(/v1 · \d{4}-\d\d-\d\d · alice/);
    expect(card.text).toContain("S'appuie sur : #1 · ACME-2026");
    expect(card.text).toContain('Proposer un amendement');
    expect((await h.slash('clause FR-4.9')).text).toContain("Il n'y a pas de clause FR-4.9.");
    expect((await h.slash('clause FR-9')).text).toContain('Un numéro de clause est le code');
  });

  it('takes an amendment from the button and form, shows the difference, and lets only the convenor accept it', async () => {
    await newClause();
    await h.click('clause.amend', 'FR-2.1', { userId: 'U2' });
    const open = await h.fake.waitFor('views.open');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('amendment.form');
    expect(textOf(open.body.view)).toContain('The employer informs the works council early.');

    const noReason = await h.submit('amendment.form', JSON.parse(view.private_metadata), { text: { text: textValue('Changed') }, reason: { reason: textValue('') } }, { userId: 'U2' });
    expect(noReason.body).toEqual({ response_action: 'errors', errors: { reason: 'Donnez un motif.' } });
    const filed = await h.submit(
      'amendment.form',
      JSON.parse(view.private_metadata),
      { text: { text: textValue('The employer informs the works council and the region early.') }, reason: { reason: textValue('The territory must know.') } },
      { userId: 'U2' },
    );
    expect(filed.body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.amendment.findFirstOrThrow()).toMatchObject({ status: 'open', baseVersion: 1, reason: 'The territory must know.' });

    // The convenor (the clause's author: it has no group) sees the difference and the decision buttons.
    const card = await h.slash('clause FR-2.1');
    expect(card.text).toContain('Amendement n° 1');
    expect(card.text).toContain('*and the region*');
    expect(card.text).toContain('Accepter n° 1');
    const others = await h.slash('clause FR-2.1', { userId: 'U2' });
    expect(others.text).not.toContain('Accepter n° 1');

    await h.click('amendment.accept', '1', { userId: 'U2', responseId: 'refused' });
    const refused = await h.fake.waitFor('response_url', (c) => c.responseId === 'refused');
    expect(textOf(refused.body)).toContain('Seule la coordination de la clause FR-2.1 peut faire cela.');
    expect(await h.app.db.clauseVersion.count()).toBe(1);

    await h.click('amendment.accept', '1', { responseId: 'accepted' });
    const accepted = await h.fake.waitFor('response_url', (c) => c.responseId === 'accepted');
    expect(textOf(accepted.body)).toContain('Amendement n° 1 accepté : FR-2.1 passe à la version 2.');
    const versions = await h.app.db.clauseVersion.findMany({ orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.text, v.fromAmendmentId])).toEqual([
      [1, 'The employer informs the works council early.', null],
      [2, 'The employer informs the works council and the region early.', 1],
    ]);
    expect(await h.app.db.amendment.findFirstOrThrow()).toMatchObject({ status: 'accepted', decidedById: expect.any(Number) });
    const after = await h.slash('clause FR-2.1');
    expect(after.text).toContain('Aucun amendement en cours.');
    expect(after.text).toContain('Amendement n° 1 accepté par alice.');

    await h.click('amendment.accept', '1', { responseId: 'again' });
    const again = await h.fake.waitFor('response_url', (c) => c.responseId === 'again');
    expect(textOf(again.body)).toContain("L'amendement n° 1 à FR-2.1 est déjà accepté.");
  });

  it('lets the convenor reject an amendment with a reason, recorded beside it', async () => {
    await newClause();
    await h.slash('clause FR-2.1 amend', { userId: 'U2', triggerId: 'trig-amend' });
    const open = await h.fake.waitFor('views.open');
    await h.submit('amendment.form', JSON.parse((open.body.view as { private_metadata: string }).private_metadata), {
      text: { text: textValue('Something else.') },
      reason: { reason: textValue('Shorter.') },
    }, { userId: 'U2' });
    await h.click('amendment.reject', '1');
    const form = await h.fake.waitFor('views.open', (c) => (c.body.view as { callback_id: string }).callback_id === 'amendment.reject-form');
    const state = JSON.parse((form.body.view as { private_metadata: string }).private_metadata);
    expect((await h.submit('amendment.reject-form', state, { reason: { reason: textValue('') } })).body).toMatchObject({ response_action: 'errors' });
    expect((await h.submit('amendment.reject-form', state, { reason: { reason: textValue('Too vague.') } })).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.amendment.findFirstOrThrow()).toMatchObject({ status: 'rejected', decisionReason: 'Too vague.' });
    expect(await h.app.db.clauseVersion.count()).toBe(1);
  });

  it('refuses an amendment to a withdrawn clause; only the convenor withdraws', async () => {
    await newClause();
    expect((await h.slash('clause FR-2.1 withdraw', { userId: 'U2' })).text).toContain('Seule la coordination de la clause FR-2.1');
    expect((await h.slash('clause FR-2.1 withdraw')).text).toContain('Clause FR-2.1 retirée');
    expect((await h.slash('clause FR-2.1 amend', { userId: 'U2' })).text).toContain('La clause FR-2.1 est retirée');
    // A form opened before the withdrawal is refused too.
    const late = await h.submit('amendment.form', { conv: 'C01FRANCE', ref: 'FR-2.1' }, { text: { text: textValue('New') }, reason: { reason: textValue('Why') } }, { userId: 'U2' });
    expect(late.body).toEqual({ response_action: 'clear' });
    expect(await ephemeral('La clause FR-2.1 est retirée')).toBeTruthy();
    expect(await h.app.db.amendment.count()).toBe(0);
    expect((await h.slash('clause FR-2.1')).text).not.toContain('Proposer un amendement');
  });

  it('shows the code by stage: nothing adopted yet, drafts in progress counted', async () => {
    await newClause();
    await newClause({ title: 'Second' });
    const shown = await h.slash('code FR');
    expect(shown.text).toContain('Code de conduite FR — Plateforme France');
    expect(shown.text).toContain('1. Anticipation');
    expect(shown.text.match(/Aucune clause adoptée pour l'instant\./g)).toHaveLength(4);
    expect(shown.text).toContain('Projets en cours : 2');
    expect((await h.slash('code')).text).toContain('Code de conduite FR');
    expect((await h.slash('code XX')).text).toContain("Il n'y a pas de code XX");
  });
});
