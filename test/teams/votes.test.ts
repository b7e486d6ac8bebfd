/** A vote on a clause through the real Teams adapter: the form card opens it, Action.Execute votes, the card is updated. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf } from '../support/fake-connector.js';
import { useTeams } from '../support/teams-harness.js';
import { cardAction, channelMessage } from '../support/teams-activities.js';

const BOB = { id: '29:bob', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-0000-0000-000000000002' };

describe('Teams: votes on clauses', () => {
  const teams = useTeams();

  it('opens a vote from the form card; a member votes with Action.Execute and the vote card is updated', async () => {
    const { h, connector, where, post } = teams.current();
    await post(channelMessage({ ...where(), text: 'clause new' }));
    const clauseForm = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'form:clause.form'));
    const clauseSubmit = actionOf(cardsOf(clauseForm), 'form:clause.form')!;
    await post(cardAction({ ...where(), verb: clauseSubmit.verb, data: { ...clauseSubmit.data, stage: 'preparation', title: 'Early information', text: 'The employer informs the works council early.' }, replyToId: clauseForm.id }));
    // Bob is a member of the platform once he has filed an observation there.
    await post(channelMessage({ ...where(), text: 'observe Early warning cell #company', from: BOB }));
    await connector.waitForSent((a) => cardText(cardsOf(a)).includes('Early warning cell'));

    await post(channelMessage({ ...where(), text: 'clause SE-2.1 vote' }));
    const voteForm = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'form:vote.form'));
    const submit = actionOf(cardsOf(voteForm), 'form:vote.form')!;
    const closes = DateTime.now().setZone('Europe/Stockholm').plus({ hours: 2 });
    const opened = await post(
      cardAction({
        ...where(),
        verb: submit.verb,
        data: { ...submit.data, rule: 'majority', eligibility: 'platform', closeDate: closes.toFormat('yyyy-MM-dd'), closeTime: closes.toFormat('HH:mm'), anonymous: 'no', resultsHidden: 'no', reasonRequired: 'no' },
        replyToId: voteForm.id,
      }),
    );
    expect(cardText(opened.body.value)).toContain('Vote on SE-2.1 opened');

    const card = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'vote.cast'));
    expect(cardText(cardsOf(card))).toContain('0 of 2 (0 %)');
    const approve = actionOf(cardsOf(card), 'vote.cast')!;
    const voted = await post(cardAction({ ...where(), verb: 'vote.cast', data: approve.data, replyToId: card.id, from: BOB }));
    expect(voted.body.value).toContain('Your vote: Approve — you can change it until');
    const update = await connector.waitFor((c) => c.kind === 'update' && c.activityId === card.id);
    expect(cardText(cardsOf(update.body))).toContain('1 of 2 (50 %)');
    expect(cardText(cardsOf(update.body))).toContain('Approve  ██████████ 100 % (1)');
    expect(await h.app.db.ballot.count()).toBe(1);
  });
});
