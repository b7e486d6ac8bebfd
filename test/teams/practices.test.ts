/**
 * Innovative practices across platforms and chat tools: a British member's innovative observation
 * (Slack, UK platform) is described as practice P-1 from its card's button; members of the French
 * platform (Slack) and of the Swedish one (Teams, channel 19:abc@thread.tacv2) assess whether it
 * would travel to their countries; an assessment for the practice's own country is refused; the
 * practice shows the matrix of countries × verdicts, and its card in the British channel follows.
 *
 * Languages: UK and SE members read English (Swedish has no practice sentences yet), FR members French.
 */
import { describe, expect, it } from 'vitest';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, type FakeSentActivity } from '../support/fake-connector.js';
import { textOf } from '../support/harness.js';
import { checkboxesValue, radioValue, selectValue, textValue, type StateValues } from '../support/slack-requests.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { cardAction, channelMessage, TEAMS_DEFAULTS, type TeamsUser } from '../support/teams-activities.js';

const ALICE = TEAMS_DEFAULTS.user;
const BOB = { id: '29:1bob-berg-teams-id', name: 'Bob Berg', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };

const OBSERVATION = 'The county council and the employer ran a job-to-job transfer pool before the first dismissal';

async function sentAfter(t: TeamsTest, before: number, predicate: (a: FakeSentActivity) => boolean): Promise<FakeSentActivity> {
  const seen = new Set(t.connector.sent().slice(0, before).map((a) => a.id));
  return t.connector.waitForSent((a) => !seen.has(a.id) && predicate(a));
}

/** `text` said to the bot in the SE channel; resolves with its answer whose card holds `holding` (a form's id, or a text). */
async function say(t: TeamsTest, text: string, holding: { form: string } | { text: string }, from: TeamsUser = ALICE): Promise<FakeSentActivity> {
  const before = t.connector.sent().length;
  const res = await t.post(channelMessage({ ...t.where(), text, from }));
  expect(res.status).toBe(200);
  return sentAfter(t, before, (a) => ('form' in holding ? !!actionOf(cardsOf(a), `form:${holding.form}`) : cardText(cardsOf(a)).includes(holding.text)));
}
const ASSESS = { form: 'practice.assessment' };

/** Submits the form card of `message` (Action.Execute), as `from`. */
function submitForm(t: TeamsTest, message: FakeSentActivity, formId: string, values: Record<string, string>, from: TeamsUser = ALICE) {
  const submit = actionOf(cardsOf(message), `form:${formId}`)!;
  return t.post(cardAction({ ...t.where(), verb: submit.verb, data: { ...submit.data, ...values }, replyToId: message.id, from }));
}

type StateValue = ReturnType<typeof textValue>;
const practiceValues = (over: Record<string, StateValue> = {}): StateValues => {
  const v: Record<string, StateValue> = {
    title: textValue('Job-to-job transfer pool'),
    description: textValue(OBSERVATION),
    country: selectValue('UK'),
    sector: selectValue('C'),
    frame: textValue('Collective agreement on redundancy; county council employability fund'),
    actors: checkboxesValue(['employer', 'union', 'local-authority']),
    results: textValue('180 of 220 workers placed before their notice ended'),
    observations: textValue('1'),
    cases: textValue(null),
    ...over,
  };
  return Object.fromEntries(Object.entries(v).map(([id, value]) => [id, { [id]: value }]));
};

const assessValues = (verdict: string | null, helping: string | null, hindering: string | null, carriers: string[]): StateValues => ({
  verdict: { verdict: radioValue(verdict) },
  helping: { helping: textValue(helping) },
  hindering: { hindering: textValue(hindering) },
  carriers: { carriers: checkboxesValue(carriers) },
});

describe('practices and their transferability, from Slack and Teams', () => {
  const teams = useTeams();

  it('describes an innovative observation as a practice, assessed by the French (Slack) and Swedish (Teams) platforms', async () => {
    const t = teams.current();
    const { h } = t;

    // A British member files an innovative observation; its card carries "Describe as a practice".
    await h.slash(`observe ${OBSERVATION} #workers #territory #innovative`, { channelId: 'C01UNITEDK', userId: 'U0UK1' });
    const observationCard = await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes(OBSERVATION));
    const buttons = (observationCard.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!;
    expect(buttons.elements!.map((e) => e.action_id)).toEqual(['observation.edit', 'observation.withdraw', 'practice.describe']);
    const observation = await h.app.db.observation.findFirstOrThrow();

    // Another member of the platform presses it: the practice form, prefilled from the observation.
    await h.click('practice.describe', String(observation.id), { channelId: 'C01UNITEDK', userId: 'U0UK2', triggerId: 'trig-describe' });
    const opened = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-describe');
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: Record<string, any> }> };
    expect(view.callback_id).toBe('practice.form');
    expect(JSON.parse(view.private_metadata)).toEqual({ conv: 'C01UNITEDK' });
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(field('description')?.initial_value).toBe(OBSERVATION);
    expect(field('observations')?.initial_value).toBe(String(observation.id));
    expect(field('country')?.initial_option?.value).toBe('UK');
    expect(textOf(view)).toContain(`Drawn from observation #${observation.id}`);

    // Without its frame and actors it is refused on those fields; nothing is stored.
    const incomplete = await h.submit('practice.form', { conv: 'C01UNITEDK' }, practiceValues({ frame: textValue(null), actors: checkboxesValue([]), observations: textValue('1 999') }), { userId: 'U0UK2' });
    expect(incomplete.body).toEqual({
      response_action: 'errors',
      errors: { frame: 'Say which legal and social frame it relied on.', actors: 'Choose at least one actor involved.' },
    });
    const unknownSource = await h.submit('practice.form', { conv: 'C01UNITEDK' }, practiceValues({ observations: textValue('1 999') }), { userId: 'U0UK2' });
    expect(unknownSource.body).toEqual({ response_action: 'errors', errors: { observations: 'No such observation: #999.' } });
    expect(await h.app.db.practice.count()).toBe(0);

    const described = await h.submit('practice.form', { conv: 'C01UNITEDK' }, practiceValues(), { userId: 'U0UK2' });
    expect(described.body).toEqual({ response_action: 'clear' });
    const stored = await h.app.db.practice.findFirstOrThrow({ include: { sources: true } });
    expect(stored).toMatchObject({ ref: 'P-1', platformId: 'UK', country: 'UK', sector: 'C', actors: ['employer', 'union', 'local-authority'] });
    expect(stored.sources.map((s) => s.observationId)).toEqual([observation.id]);
    const confirmed = await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('Practice P-1 described'));
    expect(confirmed.body.channel).toBe('C01UNITEDK');
    // Its card is posted in the British channel.
    const card = await h.fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes('Practice P-1 — Job-to-job transfer pool'));
    expect(textOf(card.body.blocks)).toContain('No assessment yet. Members of a country other than UK: /passerelle practice P-1 assess');

    // Nobody assesses a practice for its own country.
    expect((await h.slash('practice P-1 assess', { channelId: 'C01UNITEDK', userId: 'U0UK1' })).text).toContain(
      'P-1 comes from UK: members of other countries assess it, for theirs.',
    );
    expect((await h.slash('practice P-1 assess UK', { userId: 'U0FR1' })).text).toContain("P-1 vient de UK : ce sont les membres des autres pays qui l'évaluent, pour le leur.");
    // …and a member assesses for their own country, not another's.
    expect((await h.slash('practice P-1 assess SE', { userId: 'U0FR1' })).text).toContain('Vous évaluez les pratiques pour votre propre pays (FR), pas SE.');
    // A form forged for the practice's own country is refused at submission too.
    const forged = await h.submit('practice.assessment', { conv: 'C01UNITEDK', ref: 'P-1', country: 'UK' }, assessValues('as-is', 'Works here', null, ['union']), { userId: 'U0UK1' });
    expect(forged.body).toEqual({ response_action: 'clear' });
    await h.fake.waitFor('chat.postEphemeral', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes('members of other countries assess it'));
    expect(await h.app.db.practiceAssessment.count()).toBe(0);

    // The French platform (Slack): the assessment form for FR, its country.
    await h.slash('practice P-1 assess', { userId: 'U0FR1', triggerId: 'trig-assess-fr' });
    const assessForm = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-assess-fr');
    const assessView = assessForm.body.view as { callback_id: string; private_metadata: string };
    expect(assessView.callback_id).toBe('practice.assessment');
    expect(JSON.parse(assessView.private_metadata)).toEqual({ conv: 'C01FRANCE', ref: 'P-1', country: 'FR' });
    expect(textOf(assessView)).toContain('P-1 — Job-to-job transfer pool vient de UK. Fonctionnerait-elle en FR ?');

    const assessFr = (values: StateValues, userId: string) => h.submit('practice.assessment', { conv: 'C01FRANCE', ref: 'P-1', country: 'FR' }, values, { userId });
    expect((await assessFr(assessValues('not-transferable', null, null, []), 'U0FR1')).body).toEqual({
      response_action: 'errors',
      errors: { hindering: 'Dites ce qui fait obstacle.' },
    });
    expect((await assessFr(assessValues('with-adaptation', 'PSE', null, []), 'U0FR1')).body).toEqual({
      response_action: 'errors',
      errors: { hindering: "Dites ce qui fait obstacle : ce qu'il faudrait adapter.", carriers: 'Choisissez les acteurs qui devraient la porter.' },
    });
    expect((await assessFr(assessValues(null, null, null, []), 'U0FR1')).body).toEqual({
      response_action: 'errors',
      errors: { verdict: 'Choisissez : transférable telle quelle, avec adaptation, ou non transférable.' },
    });
    expect(await h.app.db.practiceAssessment.count()).toBe(0);

    expect(
      (await assessFr(assessValues('with-adaptation', 'Les cellules de reclassement du PSE existent déjà', 'Pas de fonds de transition financé par les employeurs', ['union', 'employment-service']), 'U0FR1')).body,
    ).toEqual({ response_action: 'clear' });
    await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('Votre évaluation de P-1 pour FR est enregistrée : Transférable avec adaptation.'));
    // A second French member, with a profile: the matrix names the actor types of those it quotes.
    await h.submit('profile.form', { conv: 'C01FRANCE' }, {
      actorType: { actorType: selectValue('union') },
      country: { country: selectValue('FR') },
      language: { language: selectValue('fr') },
    }, { userId: 'U0FR2' });
    expect((await assessFr(assessValues('not-transferable', null, 'Le licenciement précède le reclassement en droit français', []), 'U0FR2')).body).toEqual({ response_action: 'clear' });

    // The Swedish platform (Teams): Alice and Bob assess it for SE.
    const aliceForm = await say(t, 'practice P-1 assess SE', ASSESS);
    expect(cardText(cardsOf(aliceForm))).toContain('P-1 — Job-to-job transfer pool comes from UK. Would it work in SE?');
    const aliceDone = await submitForm(t, aliceForm, 'practice.assessment', { verdict: 'as-is', helping: 'Job security councils (TRR, TSL) already do this', carriers: 'employer,union' });
    expect(cardText(aliceDone.body.value)).toContain('Your assessment of P-1 for SE is recorded: Transferable as is.');
    const bobForm = await say(t, 'practice P-1 assess', ASSESS, BOB);
    const bobDone = await submitForm(t, bobForm, 'practice.assessment', { verdict: 'with-adaptation', hindering: 'Municipalities have no employability fund', carriers: 'local-authority' }, BOB);
    expect(cardText(bobDone.body.value)).toContain('Your assessment of P-1 for SE is recorded: Transferable with adaptation.');
    // Refused in Teams too, on its field.
    const bobAgain = await say(t, 'practice P-1 assess SE', ASSESS, BOB);
    const refused = await submitForm(t, bobAgain, 'practice.assessment', { verdict: 'not-transferable' }, BOB);
    expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: 'Say what stands in the way.' });

    // One assessment per member and country, changeable: the card's button reopens U0FR1's, prefilled.
    const frView = await h.slash('practice P-1', { userId: 'U0FR1' });
    expect(JSON.stringify(frView.body)).toContain('"action_id":"practice.assess"');
    await h.click('practice.assess', 'P-1', { userId: 'U0FR1', triggerId: 'trig-reassess' });
    const reopened = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-reassess');
    const reView = reopened.body.view as { blocks: Array<{ block_id?: string; element?: Record<string, any> }> };
    expect(reView.blocks.find((b) => b.block_id === 'verdict')?.element?.initial_option?.value).toBe('with-adaptation');
    expect(textOf(reView)).toContain('Vous l\'avez déjà évaluée');
    expect((await assessFr(assessValues('as-is', 'Les cellules de reclassement du PSE existent déjà', null, ['union', 'employment-service']), 'U0FR1')).body).toEqual({ response_action: 'clear' });
    await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('Votre évaluation de P-1 pour FR est modifiée : Transférable telle quelle.'));
    expect(await h.app.db.practiceAssessment.count()).toBe(4);

    // The matrix: counts per verdict per country, carriers, conditions quoted.
    const matrix = (await h.slash('practice P-1', { userId: 'U0FR1' })).text;
    expect(matrix).toContain('Pratique P-1 — Job-to-job transfer pool');
    expect(matrix).toContain('*Transférabilité par pays*');
    expect(matrix).toContain('✅ Transférable telle quelle · 🔧 Transférable avec adaptation · ⛔ Non transférable');
    expect(matrix).toContain("*FR*  ✅ 1  🔧 0  ⛔ 1 — à porter par Représentant des salariés / syndicat (1), Service public de l'emploi (1)");
    expect(matrix).toContain('*SE*  ✅ 1  🔧 1  ⛔ 0 — à porter par Employeur / RH (1), Représentant des salariés / syndicat (1), Collectivité régionale ou locale (1)');
    expect(matrix).toContain('➖ FR · fait obstacle — _“Le licenciement précède le reclassement en droit français”_ (Représentant des salariés / syndicat, Non transférable)');
    expect(matrix).toContain("➕ FR · aide — _“Les cellules de reclassement du PSE existent déjà”_ (type d'acteur non renseigné, Transférable telle quelle)");
    expect(matrix).toContain('➕ SE · aide — _“Job security councils (TRR, TSL) already do this”_');
    expect(matrix).toContain("➖ SE · fait obstacle — _“Municipalities have no employability fund”_ (type d'acteur non renseigné, Transférable avec adaptation)");
    // The changed assessment replaced the first: quoted once, its old obstacle gone.
    expect(matrix.split('Les cellules de reclassement')).toHaveLength(2);
    expect(matrix).not.toContain('Pas de fonds de transition');

    // In Teams, the same matrix in English, with the button to assess (Alice is of another country).
    const teamsView = await say(t, 'practice P-1', { text: 'Practice P-1 —' });
    const shown = cardText(cardsOf(teamsView));
    expect(shown).toContain('SE');
    expect(shown).toMatch(/✅ 1\s+🔧 1\s+⛔ 0/);
    expect(shown).toContain('Transferable with adaptation');
    expect(actionOf(cardsOf(teamsView), 'practice.assess')).toMatchObject({ data: { value: 'P-1' } });

    // The card in the British channel is updated in place with the matrix.
    const updated = await h.fake.waitFor('chat.update', (c) => c.body.channel === 'C01UNITEDK' && textOf(c.body.blocks).includes('✅ 1  🔧 1  ⛔ 0'));
    const posted = await h.app.db.chatMessage.findFirstOrThrow({ where: { messageKey: `practice:${stored.id}` } });
    expect(posted).toMatchObject({ channel: 'slack', conversationId: 'C01UNITEDK', messageId: updated.body.ts });
    expect(h.fake.callsTo('chat.postMessage').filter((c) => textOf(c.body.blocks).includes('Practice P-1 —'))).toHaveLength(1);
    expect(textOf(updated.body.blocks)).toContain('Transferability by country');
    expect(textOf(updated.body.blocks)).not.toContain('practice.assess');

    // The list names it with its assessments.
    expect((await h.slash('practice list', { channelId: 'C01UNITEDK', userId: 'U0UK1' })).text).toContain('from UK · platform UK · assessments: 4');
  });

  it('says so for an unknown or malformed practice, and for secretariat-only sources', async () => {
    const { h } = teams.current();
    expect((await h.slash('practice P-9')).text).toContain("Il n'y a pas de pratique P-9 (/passerelle practice list les montre).");
    expect((await h.slash('practice 12')).text).toContain('Une pratique se numérote comme P-12.');
    expect((await h.slash('practice P-1 judge')).text).toContain('Utilisez /passerelle practice new, practice list, practice P-12 ou practice P-12 assess SE.');
    expect((await h.slash('practice list')).text).toContain('Pas encore de pratique.');

    await h.slash('observe Buyer in talks #company #innovative #secretariat', { userId: 'U0FR1' });
    await h.slash('observe A British pool #workers #innovative', { channelId: 'C01UNITEDK', userId: 'U0UK1' });
    const hidden = await h.submit('practice.form', { conv: 'C01FRANCE' }, practiceValues({ country: selectValue('FR'), observations: textValue('1 2') }), { userId: 'U0FR1' });
    expect(hidden.body).toEqual({
      response_action: 'errors',
      errors: { observations: "L'observation #1, #2 ne peut pas être citée : elle est réservée au secrétariat ou à une autre plateforme." },
    });
    expect(await h.app.db.practice.count()).toBe(0);
  });
});
