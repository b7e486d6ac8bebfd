/**
 * `/passerelle framework search|compare|<number>` through the real Slack app, on the inventory
 * imported from the Eurofound samples (test/fixtures/eurofound/), and the sizes of the framework
 * views against Block Kit's and Teams' limits with an entry far larger than the samples'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/channels/slack/render.js';
import { fitsOneCard } from '../../src/channels/teams/render.js';
import type { FrameworkEntry } from '../../src/core/frameworks/frameworks.js';
import { frameworkCompareView, frameworkEntryView, frameworkSearchView } from '../../templates/framework-views.js';
import { translator } from '../../templates/i18n.js';
import { plain, type MessageView } from '../../templates/view.js';
import { collectBlockKitViolations } from '../support/block-kit-limits.js';
import { importFrameworkSamples } from '../support/frameworks.js';
import { startHarness, type Harness } from '../support/harness.js';

/** The UK platform's channel speaks English; the French one French. */
const UK = { channelId: 'C01UNITEDK' };

/** The section blocks of a Slack answer that hold fields, their texts. */
function fieldTexts(body: Record<string, any> | undefined): string[][] {
  return (body?.blocks ?? []).filter((b: any) => b.type === 'section' && b.fields).map((b: any) => b.fields.map((f: any) => f.text as string));
}

describe('/passerelle framework', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await importFrameworkSamples(h.app.db);
  });
  afterAll(async () => h.stop());

  it('searches names, descriptions and types, in a country, those named by the words first', async () => {
    const found = await h.slash('framework search wage guarantee FR', UK);
    expect(collectBlockKitViolations(found.body?.blocks, 'message')).toEqual([]);
    expect(found.text).toContain('Frameworks matching “wage guarantee” in FR');
    const sections = (found.body?.blocks as any[]).filter((b) => b.type === 'section').map((b) => b.text.text as string);
    // The fund named "Wage guarantee fund" and the Labour Code's rules of type "wage guarantee in case of insolvency".
    expect(sections[0]).toMatch(/^\*#\d+ (Wage guarantee fund|Labour Code)\*/);
    expect(sections.slice(0, 2).join('\n')).toContain('Wage guarantee fund');
    expect(sections.slice(0, 2).join('\n')).toContain('FR · Legislation · Management · Wage guarantee in case of insolvency');
    expect(found.text).not.toMatch(/\b(SE|DE|BE|UK) · /);
    expect(found.text).toContain('/passerelle framework &lt;number&gt; shows an entry in full.'); // as Slack escapes it
  });

  it('says when nothing matches, in the language of the channel', async () => {
    const none = await h.slash('framework search licenciement FR');
    expect(none.text).toContain('Aucun cadre de FR ne correspond à « licenciement ». L\'inventaire est rédigé en anglais');
    expect((await h.slash('framework search licenciement', UK)).text).toContain('No framework matches “licenciement”.');
  });

  it('shows the first 10 of many, and how many more there are', async () => {
    const many = await h.slash('framework search employees', UK);
    const total = await h.app.db.frameworkEntry.count({
      where: { OR: [{ nameEnglish: { contains: 'employees' } }, { nameOriginal: { contains: 'employees' } }, { description: { contains: 'employees' } }, { category: { contains: 'employees' } }] },
    });
    expect(total).toBeGreaterThan(10);
    expect((many.body?.blocks as any[]).filter((b) => b.type === 'section' && b.text.text.startsWith('*#'))).toHaveLength(10);
    expect(many.text).toContain(`…and ${total - 10} more: add words or a country to narrow the search.`);
  });

  it('puts two countries side by side for one type: a row of two fields per pair of entries', async () => {
    const compared = await h.slash('framework compare FR SE wage guarantee', UK);
    expect(collectBlockKitViolations(compared.body?.blocks, 'message')).toEqual([]);
    expect(compared.text).toContain('Wage guarantee in case of insolvency — FR and SE');
    const [fields] = fieldTexts(compared.body);
    expect(fields).toHaveLength(2);
    expect(fields![0]).toMatch(/^\*FR\*\n\*#\d+ Labour Code\* — _Code du travail_\nLegislation · Management · Wage guarantee in case of insolvency\n/);
    expect(fields![1]).toMatch(/^\*SE\*\n\*#\d+ Wage Guarantee Act\* — _Lönegarantilag_\n/);

    // Instruments by category: each country's entries down its own column, a dash where one has fewer.
    const income = await h.slash('framework compare SE FR income support', UK);
    const rows = fieldTexts(income.body).flat();
    const se = await h.app.db.frameworkEntry.count({ where: { country: 'SE', category: { contains: 'income support for workers' } } });
    const fr = await h.app.db.frameworkEntry.count({ where: { country: 'FR', category: { contains: 'income support for workers' } } });
    expect(rows).toHaveLength(2 * Math.max(se, fr));
    expect(rows.filter((_, i) => i % 2 === 0).every((f) => f.startsWith('*SE*'))).toBe(true);
    expect(rows.filter((_, i) => i % 2 === 1).every((f) => f.startsWith('*FR*'))).toBe(true);
    expect(rows.join('\n')).toContain('Job security councils');
    expect(rows.join('\n')).toContain('Partial activity');
  });

  it('says when a country has no entry of the type', async () => {
    const compared = await h.slash('framework compare FR SE attracting investors', UK);
    const [fields] = fieldTexts(compared.body);
    expect(fields).toEqual(['*FR*\nNo entry of this type.', expect.stringMatching(/^\*SE\*\n\*#\d+ Business Region Gothenburg \(BRG\)\* — _Business Region Göteborg AB_\n/)]);
  });

  it('without a type, lists the types both countries have, with their counts', async () => {
    const overview = await h.slash('framework compare fr se', UK);
    expect(overview.text).toContain('Frameworks of FR and SE, per type');
    expect(overview.text).toContain('• Wage guarantee in case of insolvency — FR 1 · SE 1');
    expect(overview.text).toContain('• Training — FR 2 · SE 2');
    expect(overview.text).toContain('• Attracting investors — FR 0 · SE 1');
    expect(overview.text).toContain('/passerelle framework compare FR SE &lt;type&gt;');
  });

  it('refuses an unknown country, a type it cannot find or that names several, and explains the command', async () => {
    expect((await h.slash('framework compare FR XX severance', UK)).text).toContain('Unknown country XX; use a code such as FR, BE, DE, SE or UK.');
    expect((await h.slash('framework compare FR SE flexicurity', UK)).text).toContain('No type of framework matches “flexicurity”. /passerelle framework compare FR SE lists');
    const ambiguous = await h.slash('framework compare FR SE consultation', UK);
    expect(ambiguous.text).toContain('“consultation” matches several types: ');
    expect(ambiguous.text).toContain('Staff information and consultation on collective dismissals');
    for (const text of ['framework', 'framework lookup', 'framework search', 'framework compare FR']) {
      expect((await h.slash(text, UK)).text).toContain('Use /passerelle framework search &lt;words&gt; [COUNTRY]');
    }
  });

  it('shows one entry in full, with its source link', async () => {
    const entry = await h.app.db.frameworkEntry.findFirstOrThrow({ where: { nameEnglish: 'Job security councils' } });
    const shown = await h.slash(`framework ${entry.id}`, UK);
    expect(collectBlockKitViolations(shown.body?.blocks, 'message')).toEqual([]);
    expect(shown.text).toContain('Job security councils (SE)');
    expect(shown.text).toContain('Trygghetsråden');
    expect(shown.text).toContain('Support instrument');
    expect(shown.text).toContain('Advice, Training, Matching/networking, Start-up support, Income support for workers');
    expect(JSON.stringify(shown.body)).toContain(`<${entry.sourceUrl}|Source>`);
    expect((await h.slash('framework 99999', UK)).text).toContain('There is no framework entry #99999.');
  });
});

describe('framework views within the limits of Slack and Teams', () => {
  const t = translator('en');
  const huge = (id: number, country: string): FrameworkEntry => ({
    id,
    source: 'manual',
    sourceKey: `k${id}`,
    country,
    kind: 'legislation',
    nameOriginal: 'Ö'.repeat(3000),
    nameEnglish: 'Act '.repeat(800),
    description: 'The employer must consult the works council *early* & in <good> faith. '.repeat(400),
    phase: 'management',
    category: 'severance pay/redundancy compensation',
    actors: Array.from({ length: 40 }, (_, i) => ({ type: 'other', comment: `Body ${i} `.repeat(50) })),
    thresholds: 'company size by number of employees: 20 '.repeat(100),
    sourceUrl: 'https://example.org/law',
    importedAt: new Date(),
    updatedAt: new Date(),
  });
  const entries = (country: string) => Array.from({ length: 8 }, (_, i) => huge(i + 1, country));

  const views: Array<[string, MessageView]> = [
    ['search', frameworkSearchView(t, ['works', 'council'], undefined, { entries: entries('FR').slice(0, 10), total: 500 })],
    ['compare', frameworkCompareView(t, 'severance pay/redundancy compensation', [{ country: 'FR', entries: entries('FR') }, { country: 'SE', entries: entries('SE') }])],
    ['entry', frameworkEntryView(t, huge(1, 'FR'), huge(1, 'FR').actors as never)],
  ];

  it.each(views)('%s: every text within Block Kit limits before the renderer cuts anything, and one Teams card', (_name, view) => {
    for (const block of view.blocks) {
      if (block.type === 'heading') expect(block.text.length).toBeLessThanOrEqual(150);
      if (block.type === 'fields') for (const f of block.fields) expect(plain(f.value).length + f.label.length).toBeLessThan(1900);
      if (block.type === 'text' || block.type === 'context') expect(plain(block.text).length).toBeLessThanOrEqual(6000);
    }
    expect(collectBlockKitViolations(renderMessage(view).blocks, 'message')).toEqual([]);
    expect(fitsOneCard(view)).toBe(true);
    // Cut texts end with an ellipsis.
    expect(JSON.stringify(view)).toContain('…');
  });
});
