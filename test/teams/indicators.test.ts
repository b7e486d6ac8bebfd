/**
 * `/passerelle indicators <REF>` in Teams, through the real botbuilder adapter over HTTP with the fake
 * Bot Connector: a case of the Swedish platform (SE, bound to the test Teams channel) filed with the
 * case form card; the indicators form card submitted twice, with two dates; the case card showing
 * the latest figures, their trend and the efficiency; and an inconsistent submission refused with the
 * reason, nothing stored.
 *
 * The SE platform speaks Swedish, which has no indicator sentences yet: members read the English
 * ones, numbers as en-GB writes them.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { actionOf, cardText } from '../support/adaptive-cards.js';
import { cardsOf, type FakeSentActivity } from '../support/fake-connector.js';
import { useTeams, type TeamsTest } from '../support/teams-harness.js';
import { cardAction, channelMessage, TEAMS_DEFAULTS, type TeamsUser } from '../support/teams-activities.js';

const ALICE = TEAMS_DEFAULTS.user;
const REF = 'NORR-2026';

const stockholm = () => DateTime.now().setZone('Europe/Stockholm');
const ago = (o: { months?: number; days?: number }) => stockholm().minus(o).toFormat('yyyy-MM-dd');

/** The next activity the connector accepts that was not there before `before` (a count of sent()) and matches. */
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

/** Submits the form card of `message` (Action.Execute), as `from`. */
function submitForm(t: TeamsTest, message: FakeSentActivity, formId: string, values: Record<string, string>, from: TeamsUser = ALICE) {
  const submit = actionOf(cardsOf(message), `form:${formId}`)!;
  return t.post(cardAction({ ...t.where(), verb: submit.verb, data: { ...submit.data, ...values }, replyToId: message.id, from }));
}

/** Alice files the case with the case form card, with the factsheet facts the indicator rules look at. */
async function fileCase(t: TeamsTest, facts: { announcedOn: string; effectStart: string }) {
  const form = await say(t, `case new ${REF}`, { form: 'case.form' });
  const filed = await submitForm(t, form, 'case.form', {
    ref: REF,
    company: 'Norrland Paper',
    anonymised: 'no',
    country: 'SE',
    type: 'closure',
    headcountBefore: '1200',
    jobsAffected: '400',
    announcedOn: facts.announcedOn,
    effectStart: facts.effectStart,
  });
  expect(cardText(filed.body.value)).toContain(`Case ${REF} created.`);
  expect(await t.h.app.db.case.findUniqueOrThrow({ where: { ref: REF } })).toMatchObject({ platformId: 'SE', headcountBefore: 1200, jobsAffected: 400 });
}

/** Alice opens the indicators form card for the case by saying `indicators <REF>`. */
const indicatorsForm = (t: TeamsTest) => say(t, `indicators ${REF}`, { form: 'indicators.form' });

/** A form card's inputs (the body elements with an id). */
const inputsOf = (card: { body: Array<Record<string, any>> }): Array<Record<string, any>> => card.body.filter((e) => e.id);

/** A card's facts (title → value) across its FactSets; later ones win, which the case card does not need. */
function factsOf(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (o.type === 'FactSet') for (const f of o.facts as Array<{ title: string; value: string }>) out[f.title] = f.value;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('Teams: /passerelle indicators', () => {
  const teams = useTeams();

  it('records two dated records from the form card; the case card shows the latest figures, the efficiency and the trend', async () => {
    const t = teams.current();
    const { h } = t;
    await fileCase(t, { announcedOn: ago({ months: 24 }), effectStart: ago({ months: 20 }) });

    // Before any record the case card says how to record them, with a button.
    const empty = await say(t, `case ${REF}`, { text: `Case ${REF} — Norrland Paper` });
    expect(cardText(cardsOf(empty))).toContain(`No indicators yet for ${REF}: @Passerelle indicators ${REF} records costs and results.`);
    const button = actionOf(cardsOf(empty), 'indicators.open')!;
    expect(button).toMatchObject({ title: 'Record indicators', data: { value: REF } });

    // The form card: today's date in the platform's zone, every figure optional, the case in its state.
    const form = await indicatorsForm(t);
    const submit = actionOf(cardsOf(form), 'form:indicators.form')!;
    expect(JSON.parse(submit.data.state)).toEqual({ conv: TEAMS_DEFAULTS.channelId, ref: REF });
    const inputs = inputsOf(cardsOf(form)[0] as { body: Array<Record<string, any>> });
    expect(inputs.map((e) => e.id)).toEqual([
      'measuredOn', 'supportCosts', 'severanceCosts', 'publicFunding', 'workersAffected', 'reemployed6m', 'reemployed12m', 'inTraining', 'jobsSaved', 'jobsCreated',
    ]);
    expect(inputs[0]).toMatchObject({ type: 'Input.Date', value: stockholm().toFormat('yyyy-MM-dd'), isRequired: true });
    expect(inputs.slice(1).every((e) => e.type === 'Input.Number' && e.min === 0 && e.isRequired === false)).toBe(true);

    // Record 1, ten months ago: six-month figures only. The card becomes the confirmation and the case card.
    const first = ago({ months: 10 });
    const recorded = await submitForm(t, form, 'indicators.form', {
      measuredOn: first,
      supportCosts: '1000000', severanceCosts: '2000000', publicFunding: '400000',
      workersAffected: '300', reemployed6m: '120', inTraining: '60', jobsSaved: '50', jobsCreated: '20',
    });
    expect(recorded.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(recorded.body.value)).toContain(`✅ Indicators of ${REF} recorded for ${first}.`);
    expect(cardText(recorded.body.value)).toContain(`**Indicators** on ${first} · records: 1`);
    expect(await h.app.db.caseIndicator.count()).toBe(1);

    // Record 2, last month, from the case card's button: the form comes back for Alice only, filled
    // with the latest figures; twelve-month figures now, more support spent, fewer in training.
    const pressed = await t.post(cardAction({ ...t.where(), verb: 'indicators.open', data: button.data, replyToId: empty.id, from: ALICE }));
    expect(pressed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const again = inputsOf(pressed.body.value);
    expect(cardText(pressed.body.value)).toContain(`The figures of ${first} are filled in: change what has moved.`);
    expect(again.find((e) => e.id === 'workersAffected')?.value).toBe(300);
    expect(again.find((e) => e.id === 'reemployed12m')?.value).toBeUndefined();
    const second = ago({ months: 1 });
    const reSubmit = actionOf(pressed.body.value, 'form:indicators.form')!;
    const recordedAgain = await t.post(
      cardAction({
        ...t.where(),
        verb: reSubmit.verb,
        data: {
          ...reSubmit.data,
          measuredOn: second,
          supportCosts: '1500000', severanceCosts: '2000000', publicFunding: '600000',
          workersAffected: '300', reemployed6m: '120', reemployed12m: '210', inTraining: '30', jobsSaved: '50', jobsCreated: '45',
        },
        replyToId: empty.id,
        from: ALICE,
      }),
    );
    expect(cardText(recordedAgain.body.value)).toContain(`✅ Indicators of ${REF} recorded for ${second}.`);
    expect(await h.app.db.caseIndicator.count()).toBe(2);

    // The case card: the latest figures, each with its move since the record before.
    const card = await say(t, `case ${REF}`, { text: `Case ${REF} — Norrland Paper` });
    const text = cardText(cardsOf(card));
    expect(text).toContain(`**Indicators** on ${second} · records: 2 · trend against ${first}`);
    const facts = factsOf(cardsOf(card));
    expect(facts).toMatchObject({
      'Support measures': '€1,500,000  ▲ +€500,000',
      Severance: '€2,000,000  = unchanged',
      'Public funding': '€600,000  ▲ +€200,000',
      'Workers affected': '300  = unchanged',
      'Re-employed at 6 months': '120  = unchanged',
      'Re-employed at 12 months': '210',
      'In training': '30  ▼ -30',
      'Jobs saved': '50  = unchanged',
      'Jobs created in the territory': '45  ▲ +25',
    });
    // Efficiency: 120/300 and 210/300 re-employed, (210 + 30)/300 in work or training against
    // (120 + 60)/300; (1.5 M + 2 M) / 210 = €16,667 and 600,000 / 210 = €2,857 per worker re-employed.
    // The record before divided by re-employment at 6 months (€25,000): another basis, so no trend.
    expect(facts).toMatchObject({
      'Re-employment rate at 6 months': '40%  = unchanged',
      'Re-employment rate at 12 months': '70%',
      'In work or training': '80%  ▲ +20 pts',
      'Cost per worker re-employed (Support measures + Severance ÷ re-employed at 12 months)': '€16,667',
      'Public funding per worker re-employed (Public funding ÷ re-employed at 12 months)': '€2,857',
    });
    expect(text).toContain(`New figures: @Passerelle indicators ${REF} (the form starts from the latest ones).`);

    // Against a record on the same basis (both cost lines ÷ re-employed at 12 months), the cost per worker has a trend.
    const third = await submitForm(t, await indicatorsForm(t), 'indicators.form', {
      measuredOn: ago({ days: 1 }), supportCosts: '1500000', severanceCosts: '1700000', workersAffected: '300', reemployed12m: '200',
    });
    expect(factsOf(third.body.value)).toMatchObject({
      'Re-employed at 12 months': '200  ▼ -10',
      'Cost per worker re-employed (Support measures + Severance ÷ re-employed at 12 months)': '€16,000  ▼ -€667',
    });
    expect(await h.app.db.caseIndicator.count()).toBe(3);
  });

  it('refuses an inconsistent submission with the reason naming the field, and stores nothing', async () => {
    const t = teams.current();
    const { h } = t;
    await fileCase(t, { announcedOn: ago({ months: 24 }), effectStart: ago({ months: 20 }) });
    const date = ago({ months: 1 });
    const form = await indicatorsForm(t);

    // More re-employed than affected: the member is told why, on the card's submission; the form card stays.
    const refused = await submitForm(t, form, 'indicators.form', { measuredOn: date, workersAffected: '300', reemployed12m: '350' });
    expect(refused.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'More workers re-employed (350) than workers affected (300).',
    });
    expect(await h.app.db.caseIndicator.count()).toBe(0);

    // The same card, corrected, is taken.
    const taken = await submitForm(t, form, 'indicators.form', { measuredOn: date, workersAffected: '300', reemployed12m: '250', inTraining: '20' });
    expect(cardText(taken.body.value)).toContain(`✅ Indicators of ${REF} recorded for ${date}.`);
    expect(await h.app.db.caseIndicator.count()).toBe(1);
  });
});
