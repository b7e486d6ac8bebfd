/**
 * Votes on clauses through the real Slack app: the convenor opens the vote with the form, members
 * vote with the card's buttons (block_actions), the scheduler closes the vote once its time has
 * passed (the clock moved forward), and the card is updated with the result.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { radioValue, textValue, dateValue, timeValue } from '../support/slack-requests.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';

import * as shared from '../support/slack-votes.js';

const { CONV } = shared;
const HOUR = 3_600_000;

describe('votes on clauses in Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  const clauseInGroup = (members?: string) => shared.clauseInGroup(h, members);
  const openVote = (values?: Record<string, string>, closes?: ReturnType<typeof shared.inAnHour>) => shared.openVoteForm(h, values, closes);
  const inAnHour = shared.inAnHour;

  /** Clicks a choice on the vote card and returns what came back to the voter alone. */
  async function vote(userId: string, choice: string, responseId = `${userId}-${choice}-${Math.random()}`) {
    const voteRow = await h.app.db.vote.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await h.click('vote.cast', `${voteRow.id}:${choice}`, { userId, responseId });
    return textOf((await h.fake.waitFor('response_url', (c) => c.responseId === responseId)).body);
  }

  const close = () => shared.closeVotes(h);
  const lastCardUpdate = (words: string) => shared.cardUpdate(h, words);

  it('runs a consent vote from the form to the result card: votes, a change, a refusal, a block asking for its reason', async () => {
    await clauseInGroup();
    await h.slash('clause FR-2.1 vote', { triggerId: 'trig-vote' });
    const form = await h.fake.waitFor('views.open', (c) => (c.body.view as { callback_id: string }).callback_id === 'vote.form');
    expect(textOf(form.body.view)).toContain('Heure de clôture (Europe/Paris)');
    expect((await h.slash('clause FR-2.1 vote', { userId: 'U2' })).text).toContain('Seule la coordination de la clause FR-2.1');

    const past = await openVote({}, DateTime.now().setZone('Europe/Paris').minus({ hours: 1 }));
    expect(past.body).toMatchObject({ response_action: 'errors', errors: { closeTime: expect.stringContaining("L'heure de clôture doit être dans le futur") } });
    expect((await openVote()).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'in-vote' });
    expect((await h.slash('clause FR-2.1 vote')).text).toContain('La clause FR-2.1 est déjà au vote.');
    expect(await h.app.db.vote.count()).toBe(1);

    const posted = await h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes('Vote sur FR-2.1'));
    const card = textOf(posted.body.blocks);
    expect(card).toContain('The employer informs the works council early.');
    expect(card).toContain('Consentement : adoptée si personne ne bloque');
    expect(card).toContain('0 sur 3 (0 %)');
    expect(card).toContain('(Europe/Paris)');
    for (const label of ["D'accord", 'Abstention', "Pas d'accord", 'Blocage']) expect(card).toContain(label);

    expect(await vote('U1', 'agree')).toMatch(/Votre vote : D'accord — vous pouvez le changer jusqu'au .* \(Europe\/Paris\)/);
    expect(await vote('U2', 'disagree')).toContain("Votre vote : Pas d'accord");
    expect(await vote('U2', 'agree')).toContain("Votre vote : D'accord"); // changed
    expect(await vote('U2', 'agree')).toContain("Votre vote : D'accord"); // a double click: the same ballot
    expect(await vote('U4', 'agree')).toContain('Vous ne faites pas partie des votants du vote sur FR-2.1.');

    // A block asks for its reason first, and is not recorded without one.
    await vote('U3', 'block', 'block').catch(() => undefined);
    const reasonForm = await h.fake.waitFor('views.open', (c) => (c.body.view as { callback_id: string }).callback_id === 'ballot.form');
    const state = JSON.parse((reasonForm.body.view as { private_metadata: string }).private_metadata);
    const noReason = await h.submit('ballot.form', state, { reason: { reason: textValue('') } }, { userId: 'U3' });
    expect(noReason.body).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Un blocage') } });
    expect(await h.app.db.ballot.count()).toBe(2);
    expect((await h.submit('ballot.form', state, { reason: { reason: textValue('The region must be told too.') } }, { userId: 'U3' })).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.ballot.findFirstOrThrow({ where: { choice: { equals: 'block' } } })).toMatchObject({ reason: 'The region must be told too.' });
    await vote('U3', 'abstain'); // changed their mind: the block is gone

    const ballots = await h.app.db.ballot.findMany({ orderBy: { voterKey: 'asc' } });
    expect(ballots.map((b) => b.choice)).toEqual(['agree', 'agree', 'abstain']);
    await lastCardUpdate('3 sur 3 (100 %)');

    await close();
    const result = textOf((await lastCardUpdate('Résultat')).body.blocks);
    expect(result).toContain("D'accord  ███████░░░ 67 % (2)");
    expect(result).toContain('Adoptée');
    expect(result).toContain('atteint');
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'adopted' });
    expect(await h.app.db.vote.findFirstOrThrow()).toMatchObject({ status: 'closed', result: expect.objectContaining({ outcome: 'adopted', cast: 3, eligible: 3 }) });
    // Closing happens once; a vote after closing is refused.
    expect(await h.app.scheduler.runDue()).toBe(0);
    expect(await vote('U2', 'disagree')).toContain('Le vote sur FR-2.1 est clos');
    expect((await h.slash('code FR')).text).toContain('Early information');
    expect((await h.slash('clause FR-2.1 vote')).text).toContain('La clause FR-2.1 est adoptée');
    expect(await h.app.db.vote.count()).toBe(1);
  });

  it('rejects a multi-college vote where the overall majority approves but one college misses its threshold', async () => {
    await clauseInGroup('<@U2|bob> <@U3|carla> <@U4|dan>');
    const types: Record<string, string> = { U1: 'employer', U2: 'employer', U3: 'employer', U4: 'union' };
    for (const [externalId, actorType] of Object.entries(types)) await h.app.db.member.updateMany({ where: { externalId }, data: { actorType } });
    expect((await openVote({ rule: 'multiCollege' })).body).toEqual({ response_action: 'clear' });
    for (const u of ['U1', 'U2', 'U3']) await vote(u, 'approve');
    await vote('U4', 'reject');
    await close();
    const result = textOf((await lastCardUpdate('Résultat')).body.blocks);
    expect(result).toContain('Employee representatives — Rejetée');
    expect(result).toContain('Employers — Adoptée');
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'rejected' });
    const stored = (await h.app.db.vote.findFirstOrThrow()).result as { outcome: string; decision: { thresholdMet: boolean } };
    expect(stored.outcome).toBe('rejected');
    expect(stored.decision.thresholdMet).toBe(true);
  });

  it('sends the clause back to draft when the quorum is missed', async () => {
    await clauseInGroup();
    const open = await h.submit('vote.form', { ...CONV, ref: 'FR-2.1' }, {
      rule: { rule: radioValue('majority') },
      quorum: { quorum: textValue('50 %') },
      closeDate: { closeDate: dateValue(inAnHour().toFormat('yyyy-MM-dd')) },
      closeTime: { closeTime: timeValue(inAnHour().toFormat('HH:mm')) },
    });
    expect(open.body).toEqual({ response_action: 'clear' });
    expect(await vote('U2', 'approve')).toContain('Votre vote : Pour');
    await close();
    const result = textOf((await lastCardUpdate('Résultat')).body.blocks);
    expect(result).toContain('non atteint');
    expect(result).toContain('Quorum non atteint : la clause redevient un projet');
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'draft' });
    // A bad quorum is refused on its field.
    const bad = await h.submit('vote.form', { ...CONV, ref: 'FR-2.1' }, {
      rule: { rule: radioValue('majority') },
      quorum: { quorum: textValue('150') },
      closeDate: { closeDate: dateValue(inAnHour().toFormat('yyyy-MM-dd')) },
      closeTime: { closeTime: timeValue(inAnHour().toFormat('HH:mm')) },
    });
    expect(bad.body).toMatchObject({ response_action: 'errors', errors: { quorum: 'Saisissez un pourcentage supérieur à 0 et au plus égal à 100, p. ex. 60.' } });
  });

  it('keeps no link between a member and a choice after an anonymous vote closes', async () => {
    await clauseInGroup();
    expect((await openVote({ anonymous: 'yes', resultsHidden: 'yes' })).body).toEqual({ response_action: 'clear' });
    const posted = await h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes('Vote sur FR-2.1'));
    expect(textOf(posted.body.blocks)).toContain('Les résultats sont affichés à la clôture.');
    await vote('U1', 'agree');
    await vote('U2', 'agree');
    expect((await h.app.db.vote.findFirstOrThrow()).secret).toMatch(/^[0-9a-f]{64}$/);
    const members = await h.app.db.member.findMany();
    await close();
    expect((await h.app.db.vote.findFirstOrThrow()).secret).toBeNull();
    const keys = (await h.app.db.ballot.findMany()).map((b) => b.voterKey);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      for (const m of members) expect([String(m.id), m.externalId]).not.toContain(key);
    }
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'adopted' });
  });

  it('closes at start-up a vote whose time passed while the bot was down', async () => {
    await clauseInGroup();
    expect((await openVote()).body).toEqual({ response_action: 'clear' });
    await vote('U1', 'agree');
    await vote('U2', 'agree');
    // The bot goes down; the closing time passes meanwhile; it starts again.
    h.advanceClock(2 * HOUR);
    await h.restart();
    expect(await h.app.db.vote.findFirstOrThrow()).toMatchObject({ status: 'closed' });
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'adopted' });
    expect(h.logs.some((l) => l.msg === 'open votes scheduled to close')).toBe(true);
    expect(textOf((await lastCardUpdate('Résultat')).body.blocks)).toContain('Adoptée');
  });
});
