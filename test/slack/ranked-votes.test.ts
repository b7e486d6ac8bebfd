/**
 * Ranked choice between a clause's current text and its amendments, through the real Slack app:
 * the convenor opens the vote with the form, members rank the texts in a modal opened from the
 * card, the vote closes with the clock moved forward, the card shows the instant-runoff rounds,
 * and the winning amendment becomes the draft's next version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectValue, textValue } from '../support/slack-requests.js';
import { startHarness, textOf, type Harness } from '../support/harness.js';
import { cardUpdate, clauseInGroup, closeVotes, CONV, openVoteForm } from '../support/slack-votes.js';

describe('ranked votes in Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  async function amend(userId: string, text: string) {
    const filed = await h.submit('amendment.form', { ...CONV, ref: 'FR-2.1' }, { text: { text: textValue(text) }, reason: { reason: textValue('Clearer.') } }, { userId });
    expect(filed.body).toEqual({ response_action: 'clear' });
  }

  /** Clicks "Rank the texts" and submits the modal with `ranking` (option ids, best first). */
  async function rank(userId: string, ranking: string[]) {
    const voteRow = await h.app.db.vote.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const triggerId = `trig-${userId}-${Math.random()}`;
    await h.click('vote.rank', String(voteRow.id), { userId, triggerId });
    const opened = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === triggerId);
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('ranking.form');
    const values = Object.fromEntries(ranking.map((option, i) => [`rank${i + 1}`, { [`rank${i + 1}`]: selectValue(option) }]));
    return h.submit('ranking.form', JSON.parse(view.private_metadata), values, { userId });
  }

  it('chooses between the current text and two amendments by instant runoff, showing the rounds', async () => {
    await clauseInGroup(h, '<@U2|bob> <@U3|carla> <@U4|dan> <@U5|eva>');
    await amend('U2', 'The employer informs the works council and the region early.');
    await amend('U3', 'The employer informs everyone early.');
    const [a1, a2] = await h.app.db.amendment.findMany({ orderBy: { id: 'asc' } });
    const A1 = `A${a1!.id}`;
    const A2 = `A${a2!.id}`;

    expect((await openVoteForm(h, { rule: 'ranked' })).body).toEqual({ response_action: 'clear' });
    const posted = textOf((await h.fake.waitFor('chat.postMessage', (c) => textOf(c.body.blocks).includes('Vote sur FR-2.1'))).body.blocks);
    expect(posted).toContain('The employer informs everyone early.');
    expect(posted).toContain(`Amendement n° ${a1!.id}`);
    expect(posted).toContain('Classer les textes');

    expect((await rank('U1', ['current', A1])).body).toEqual({ response_action: 'clear' });
    // The confirmation, to the voter alone, names the texts in their order.
    await h.fake.waitFor('chat.postEphemeral', (c) => c.body.user === 'U1' && textOf(c.body.blocks).includes(`Votre vote : Texte actuel → Amendement n° ${a1!.id}`));
    await rank('U2', [A1, 'current']);
    await rank('U3', [A2, A1]);
    await rank('U4', [A1]);
    await rank('U5', ['current']);
    // A text ranked twice is refused on its field, and nothing changes.
    const repeated = await rank('U5', ['current', 'current']);
    expect(repeated.body).toMatchObject({ response_action: 'errors', errors: { rank2: expect.stringContaining('déjà classé plus haut') } });
    const members = new Map((await h.app.db.member.findMany()).map((m) => [String(m.id), m.externalId]));
    const ballots = await h.app.db.ballot.findMany();
    expect(Object.fromEntries(ballots.map((b) => [members.get(b.voterKey), b.choice]))).toEqual({
      U1: ['current', A1],
      U2: [A1, 'current'],
      U3: [A2, A1],
      U4: [A1],
      U5: ['current'],
    });

    await closeVotes(h);
    const result = textOf((await cardUpdate(h, 'Tour 2')).body.blocks);
    expect(result).toContain('Tour 1');
    expect(result).toContain(`Amendement n° ${a2!.id} a le moins de voix et est éliminé.`);
    expect(result).toContain(`Choisi : Amendement n° ${a1!.id}`);
    const clause = await h.app.db.clause.findFirstOrThrow({ include: { versions: { orderBy: { version: 'desc' } } } });
    expect(clause.status).toBe('draft');
    expect(clause.versions[0]).toMatchObject({ version: 2, text: 'The employer informs the works council and the region early.', fromAmendmentId: a1!.id });
    expect(await h.app.db.amendment.findUniqueOrThrow({ where: { id: a2!.id } })).toMatchObject({ status: 'rejected', decisionReason: expect.stringContaining('ranked vote') });
    const stored = (await h.app.db.vote.findFirstOrThrow()).result as { rounds: unknown[]; winner: string };
    expect(stored.winner).toBe(A1);
    expect(stored.rounds).toHaveLength(2);
  });

  it('refuses a ranked vote on a clause without an open amendment, on the rule field', async () => {
    await clauseInGroup(h);
    const refused = await openVoteForm(h, { rule: 'ranked' });
    expect(refused.body).toMatchObject({ response_action: 'errors', errors: { rule: expect.stringContaining("n’a pas d’amendement ouvert") } });
    expect(await h.app.db.vote.count()).toBe(0);
    expect(await h.app.db.clause.findFirstOrThrow()).toMatchObject({ status: 'draft' });
  });
});
