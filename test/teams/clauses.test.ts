/** Clauses and amendments through the real Teams adapter: Adaptive Card forms submitted with Action.Execute. */
import { describe, expect, it } from 'vitest';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf } from '../support/fake-connector.js';
import { useTeams } from '../support/teams-harness.js';
import { cardAction, channelMessage } from '../support/teams-activities.js';


const BOB = { id: '29:bob', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-0000-0000-000000000002' };

describe('Teams: clauses and amendments', () => {
  const teams = useTeams();

  it('drafts a clause from the form card, takes an amendment, shows the difference, and the convenor accepts it', async () => {
    const { h, connector, where, post } = teams.current();
    await post(channelMessage({ ...where(), text: 'clause new' }));
    const formMessage = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'form:clause.form'));
    const submit = actionOf(cardsOf(formMessage), 'form:clause.form')!;
    const noText = await post(cardAction({ ...where(), verb: submit.verb, data: { ...submit.data, stage: 'preparation', title: 'Early information' }, replyToId: formMessage.id }));
    expect(noText.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(noText.body.value).toContain('This field is required.');

    const drafted = await post(
      cardAction({ ...where(), verb: submit.verb, data: { ...submit.data, stage: 'preparation', title: 'Early information', text: 'The employer informs the works council early.' }, replyToId: formMessage.id }),
    );
    expect(drafted.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(drafted.body.value)).toContain('Clause SE-2.1 drafted (version 1).');
    expect(cardText(drafted.body.value)).toContain('SE-2.1 — Early information');

    // Bob presses "Propose an amendment" on the card: the form comes prefilled with the current text.
    const propose = actionOf(drafted.body.value, 'clause.amend')!;
    // The form replaces the card for Bob alone (the invoke's answer), rather than being posted in the channel.
    const pressed = await post(cardAction({ ...where(), verb: 'clause.amend', data: propose.data, replyToId: formMessage.id, from: BOB }));
    expect(pressed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const amendForm = pressed.body.value;
    expect(cardText(amendForm)).toContain('The employer informs the works council early.');
    const amendSubmit = actionOf(amendForm, 'form:amendment.form')!;
    const filed = await post(
      cardAction({
        ...where(),
        verb: amendSubmit.verb,
        data: { ...amendSubmit.data, text: 'The employer informs the works council and the region early.', reason: 'The territory must know.' },
        replyToId: amendForm.id,
        from: BOB,
      }),
    );
    expect(cardText(filed.body.value)).toContain('Amendment #1 to SE-2.1 proposed.');
    expect(actionOf(filed.body.value, 'amendment.accept')).toBeUndefined();

    // Alice, the convenor, sees the difference marked, and the decision buttons.
    await post(channelMessage({ ...where(), text: 'clause SE-2.1' }));
    const card = await connector.waitForSent((a) => !!actionOf(cardsOf(a), 'amendment.accept'));
    const text = cardText(cardsOf(card));
    expect(text).toContain('Amendment #1');
    expect(text).toContain('**\\{+and the region+}**');

    const refused = await post(cardAction({ ...where(), verb: 'amendment.accept', data: actionOf(cardsOf(card), 'amendment.accept')!.data, replyToId: card.id, from: BOB }));
    expect(refused.body.value).toContain('Only the convenor of clause SE-2.1 can do that.');
    const accepted = await post(cardAction({ ...where(), verb: 'amendment.accept', data: actionOf(cardsOf(card), 'amendment.accept')!.data, replyToId: card.id }));
    expect(accepted.body.value).toContain('Amendment #1 accepted: SE-2.1 is now at version 2.');
    const current = await h.app.db.clauseVersion.findFirstOrThrow({ where: { version: 2 } });
    expect(current).toMatchObject({ text: 'The employer informs the works council and the region early.', fromAmendmentId: 1 });
  });
});
