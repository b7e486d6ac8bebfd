/**
 * Indicators per case through the real Slack adapter: the form opened by `/passerelle indicators`,
 * two dated records, the case card with the latest figures, their trend and the efficiency figures;
 * and every contradiction refused on its field, with nothing stored.
 *
 * Plateforme France speaks French (the members have no profile): the card reads in French, numbers
 * as French writes them (narrow no-break spaces between thousands, which `flat` turns into spaces).
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';
import { dateValue, numberValue, radioValue, selectValue, textValue, type StateValues } from '../support/slack-requests.js';
import { createCase, startHarness, textOf, type Harness } from '../support/harness.js';

const paris = () => DateTime.now().setZone('Europe/Paris');
const ago = (o: { months?: number; days?: number }) => paris().minus(o).toFormat('yyyy-MM-dd');
/** French number formatting uses narrow no-break spaces; tests read them as spaces. */
const flat = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ').replace(/\u2212/g, '-');

/** The case form with the factsheet facts the rules look at. */
async function caseWithFacts(h: Harness, ref: string, facts: { announcedOn: string; effectStart: string; headcount: string; jobs: string }) {
  const answer = await h.submit('case.form', { conv: 'C01FRANCE' }, {
    ref: { ref: textValue(ref) },
    company: { company: textValue('Dunkerque Steel') },
    anonymised: { anonymised: radioValue('no') },
    country: { country: selectValue('FR') },
    type: { type: selectValue('closure') },
    headcountBefore: { headcountBefore: numberValue(facts.headcount) },
    jobsAffected: { jobsAffected: numberValue(facts.jobs) },
    announcedOn: { announcedOn: dateValue(facts.announcedOn) },
    effectStart: { effectStart: dateValue(facts.effectStart) },
  });
  expect(answer.body).toEqual({ response_action: 'clear' });
}

type Figures = Partial<Record<'supportCosts' | 'severanceCosts' | 'publicFunding' | 'workersAffected' | 'reemployed6m' | 'reemployed12m' | 'inTraining' | 'jobsSaved' | 'jobsCreated', string>>;

function values(measuredOn: string | null, figures: Figures): StateValues {
  const out: StateValues = { measuredOn: { measuredOn: dateValue(measuredOn) } };
  for (const [id, v] of Object.entries(figures)) out[id] = { [id]: numberValue(v) };
  return out;
}

const submit = (h: Harness, ref: string, measuredOn: string | null, figures: Figures) => h.submit('indicators.form', { conv: 'C01FRANCE', ref }, values(measuredOn, figures));

describe('/passerelle indicators', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('records two dated records; the case card shows the latest figures, their trend and the efficiency', async () => {
    await caseWithFacts(h, 'ACME-2026', { announcedOn: ago({ months: 24 }), effectStart: ago({ months: 20 }), headcount: '1200', jobs: '400' });

    // Before any record the card says how to record them, with a button.
    const before = await h.slash('case ACME-2026');
    expect(before.text).toContain("Pas encore d'indicateurs pour ACME-2026 : /passerelle indicators ACME-2026 enregistre coûts et résultats.");
    expect(JSON.stringify(before.body)).toContain('"action_id":"indicators.open"');

    // The form: today's date in the platform's zone, every figure optional.
    await h.slash('indicators acme-2026', { triggerId: 'trig-ind-1' });
    const opened = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-ind-1');
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; optional?: boolean; element?: Record<string, unknown> }> };
    expect(view.callback_id).toBe('indicators.form');
    expect(JSON.parse(view.private_metadata)).toEqual({ conv: 'C01FRANCE', ref: 'ACME-2026' });
    const inputs = view.blocks.filter((b) => b.block_id);
    expect(inputs.map((b) => b.block_id)).toEqual([
      'measuredOn', 'supportCosts', 'severanceCosts', 'publicFunding', 'workersAffected', 'reemployed6m', 'reemployed12m', 'inTraining', 'jobsSaved', 'jobsCreated',
    ]);
    expect(inputs[0]!.element).toMatchObject({ type: 'datepicker', initial_date: paris().toFormat('yyyy-MM-dd') });
    expect(inputs.slice(1).every((b) => b.optional && b.element?.type === 'number_input' && b.element.min_value === '0')).toBe(true);

    // Record 1, ten months ago: six-month figures only.
    const first = ago({ months: 10 });
    expect(
      (await submit(h, 'ACME-2026', first, {
        supportCosts: '1000000', severanceCosts: '2000000', publicFunding: '400000',
        workersAffected: '300', reemployed6m: '120', inTraining: '60', jobsSaved: '50', jobsCreated: '20',
      })).body,
    ).toEqual({ response_action: 'clear' });
    const confirmation = await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('Indicateurs de ACME-2026'));
    expect(textOf(confirmation.body.blocks)).toContain(`Indicateurs de ACME-2026 enregistrés au ${first}.`);

    // The form now starts from the latest figures.
    await h.slash('indicators ACME-2026', { triggerId: 'trig-ind-2' });
    const again = await h.fake.waitFor('views.open', (c) => c.body.trigger_id === 'trig-ind-2');
    const prefilled = (again.body.view as { blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> }).blocks;
    expect(prefilled.find((b) => b.block_id === 'workersAffected')?.element?.initial_value).toBe('300');
    expect(prefilled.find((b) => b.block_id === 'reemployed12m')?.element?.initial_value).toBeUndefined();
    expect(textOf(again.body.view)).toContain(`Les chiffres du ${first} sont repris`);

    // Record 2, last month: twelve-month figures, more support spent, fewer in training.
    const second = ago({ months: 1 });
    expect(
      (await submit(h, 'ACME-2026', second, {
        supportCosts: '1500000', severanceCosts: '2000000', publicFunding: '600000',
        workersAffected: '300', reemployed6m: '120', reemployed12m: '210', inTraining: '30', jobsSaved: '50', jobsCreated: '45',
      })).body,
    ).toEqual({ response_action: 'clear' });
    expect(await h.app.db.caseIndicator.count()).toBe(2);

    const card = await h.slash('case ACME-2026');
    assertBlockKitLimits(card.body!.blocks as unknown[], 'message');
    const text = flat(card.text);
    expect(text).toContain(`*Indicateurs* au ${second} · relevés : 2 · évolution depuis le ${first}`);
    // Costs and results, each with its move since the record before.
    expect(text).toContain("*Mesures d'accompagnement*\n1 500 000 €  ▲ +500 000 €");
    expect(text).toContain('*Indemnités de licenciement*\n2 000 000 €  = inchangé');
    expect(text).toContain('*Financement public*\n600 000 €  ▲ +200 000 €');
    expect(text).toContain('*Salariés concernés*\n300  = inchangé');
    expect(text).toContain('*Reclassés à 12 mois*\n210');
    expect(text).not.toContain('*Reclassés à 12 mois*\n210  ');
    expect(text).toContain('*En formation*\n30  ▼ -30');
    expect(text).toContain('*Emplois créés sur le territoire*\n45  ▲ +25');
    // Efficiency: 120/300 and 210/300 re-employed, (210 + 30)/300 in work or training against
    // (120 + 60)/300, (1.5 M + 2 M) / 210 = 16,667 € and 600,000 / 210 = 2,857 € per worker re-employed.
    // The record before divided by re-employment at 6 months (25,000 €): another basis, so no trend.
    expect(text).toContain('*Taux de reclassement à 6 mois*\n40 %  = inchangé');
    expect(text).toContain('*Taux de reclassement à 12 mois*\n70 %');
    expect(text).toContain('*En emploi ou en formation*\n80 %  ▲ +20 pts');
    expect(text).toContain("*Coût par salarié reclassé (Mesures d'accompagnement + Indemnités de licenciement ÷ reclassés à 12 mois)*\n16 667 €\n");
    expect(text).toContain('*Financement public par salarié reclassé (Financement public ÷ reclassés à 12 mois)*\n2 857 €\n');

    // A record dated between the two changes nothing on the card: the latest is by date.
    expect((await submit(h, 'ACME-2026', ago({ months: 5 }), { workersAffected: '300', reemployed6m: '100' })).body).toEqual({ response_action: 'clear' });
    const later = flat((await h.slash('case ACME-2026')).text);
    expect(later).toContain(`au ${second} · relevés : 3 · évolution depuis le ${ago({ months: 5 })}`);
    expect(later).toContain('*Reclassés à 6 mois*\n120  ▲ +20');
    // Against a record on the same basis (both cost lines ÷ re-employed at 12 months), the cost per worker has a trend.
    expect((await submit(h, 'ACME-2026', ago({ days: 1 }), { supportCosts: '1500000', severanceCosts: '2000000', workersAffected: '300', reemployed12m: '210' })).body).toEqual({
      response_action: 'clear',
    });
    expect(flat((await h.slash('case ACME-2026')).text)).toContain('÷ reclassés à 12 mois)*\n16 667 €  = inchangé');
  });

  it('refuses each contradiction on its field, with the reason, and stores nothing', async () => {
    const effectStart = ago({ months: 20 });
    await caseWithFacts(h, 'ACME-2026', { announcedOn: ago({ months: 24 }), effectStart, headcount: '1200', jobs: '400' });
    const date = ago({ months: 1 });
    const refused = async (measuredOn: string | null, figures: Figures) => {
      const answer = await submit(h, 'ACME-2026', measuredOn, figures);
      expect(answer.body?.response_action).toBe('errors');
      return Object.fromEntries(Object.entries(answer.body!.errors as Record<string, string>).map(([k, v]) => [k, flat(v)]));
    };

    expect(await refused(date, { workersAffected: '-5' })).toEqual({ workersAffected: 'Un chiffre ne peut pas être négatif (-5) : saisissez 0 ou plus.' });
    expect(await refused(date, { supportCosts: '12.5' })).toEqual({ supportCosts: 'Saisissez un nombre entier.' });
    expect(await refused(date, { severanceCosts: '1000000000000' })).toEqual({ severanceCosts: 'Trop grand : au plus 999999999999.' });
    expect(await refused(date, { workersAffected: '300', reemployed6m: '301' })).toEqual({
      reemployed6m: 'Plus de salariés reclassés (301) que de salariés concernés (300).',
    });
    expect(await refused(date, { workersAffected: '300', reemployed12m: '350' })).toEqual({
      reemployed12m: 'Plus de salariés reclassés (350) que de salariés concernés (300).',
    });
    expect(await refused(date, { workersAffected: '300', reemployed6m: '100', reemployed12m: '250', inTraining: '80' })).toEqual({
      inTraining: 'Reclassés (250) et en formation (80) font 330, plus que les 300 salariés concernés : chaque salarié compte dans une seule situation.',
    });
    expect(await refused(date, { workersAffected: '300', inTraining: '301' })).toEqual({
      inTraining: 'Plus de salariés en formation (301) que de salariés concernés (300).',
    });
    expect(await refused(date, { workersAffected: '1500' })).toEqual({
      workersAffected: "Plus de salariés concernés (1500) que l'effectif du cas ACME-2026 avant la restructuration (1200).",
    });
    expect(await refused(date, { jobsSaved: '401' })).toEqual({
      jobsSaved: "Plus d'emplois sauvegardés (401) que de suppressions annoncées dans le cas ACME-2026 (400).",
    });
    expect(await refused(date, { supportCosts: '100000', severanceCosts: '50000', publicFunding: '150001' })).toEqual({
      publicFunding: 'Le financement public (150001 €) dépasse les mesures d\'accompagnement et les indemnités réunies (150000 €) : c\'est la part de ces coûts payée sur fonds publics.',
    });
    const tooEarly = DateTime.fromISO(effectStart).plus({ months: 11 }).toFormat('yyyy-MM-dd');
    const earliest = DateTime.fromISO(effectStart).plus({ months: 12 }).toFormat('yyyy-MM-dd');
    expect(await refused(tooEarly, { workersAffected: '300', reemployed12m: '100' })).toEqual({
      reemployed12m: `Trop tôt pour compter les reclassements à 12 mois : l'effet sur l'emploi a commencé le ${effectStart}, donc pas avant le ${earliest}.`,
    });
    const tomorrow = paris().plus({ days: 1 }).toFormat('yyyy-MM-dd');
    expect(await refused(tomorrow, { workersAffected: '300' })).toEqual({
      measuredOn: `Les chiffres ne peuvent pas être datés dans le futur (${tomorrow}) : nous sommes le ${paris().toFormat('yyyy-MM-dd')}.`,
    });
    expect(await refused(ago({ months: 30 }), { workersAffected: '300' })).toEqual({
      measuredOn: `Le ${ago({ months: 30 })} précède l'annonce du cas (${ago({ months: 24 })}).`,
    });
    expect(await refused(null, { workersAffected: '300' })).toEqual({ measuredOn: 'Ce champ est obligatoire.' });
    expect(await refused(date, {})).toEqual({ workersAffected: 'Donnez au moins un chiffre.' });
    // Several mistakes at once: each on its own field.
    expect(await refused(tomorrow, { workersAffected: '100', reemployed6m: '120', jobsCreated: '-1' })).toEqual({
      measuredOn: expect.stringContaining('dans le futur'),
      reemployed6m: 'Plus de salariés reclassés (120) que de salariés concernés (100).',
      jobsCreated: 'Un chiffre ne peut pas être négatif (-1) : saisissez 0 ou plus.',
    });

    expect(await h.app.db.caseIndicator.count()).toBe(0);
    // The same figures, consistent, are taken.
    expect((await submit(h, 'ACME-2026', date, { workersAffected: '300', reemployed12m: '250', inTraining: '50' })).body).toEqual({ response_action: 'clear' });
    expect(await h.app.db.caseIndicator.count()).toBe(1);
  });

  it("records indicators only from the case's own platform, and says so for an unknown case", async () => {
    await createCase(h, 'ACME-2026');
    expect((await h.slash('indicators ACME-2026', { channelId: 'C01UNITEDK' })).text).toContain(
      'Case ACME-2026 belongs to platform FR: its indicators are recorded from a channel of that platform.',
    );
    expect((await h.slash('indicators NOPE-1')).text).toContain("Il n'y a pas de cas NOPE-1 (/passerelle case list montre les cas de la plateforme).");
    expect((await h.slash('indicators')).text).toContain('Nommez le cas : /passerelle indicators ACME-2026.');
    // A form forged for another platform's case is refused too, and nothing is stored.
    const forged = await h.submit('indicators.form', { conv: 'C01UNITEDK', ref: 'ACME-2026' }, values(ago({ days: 1 }), { workersAffected: '10' }));
    expect(forged.body).toEqual({ response_action: 'clear' });
    const notice = await h.fake.waitFor('chat.postEphemeral', (c) => textOf(c.body.blocks).includes('belongs to platform FR'));
    expect(notice.body.channel).toBe('C01UNITEDK');
    expect(await h.app.db.caseIndicator.count()).toBe(0);
  });
});
