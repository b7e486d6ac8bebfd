/**
 * The national frameworks inventory in chat: search results, two countries side by side for one
 * type (a `fields` block: Slack shows fields in two columns, Teams a FactSet), the types two
 * countries have, and one entry in full. Texts come from the inventory as imported (in English);
 * long descriptions are cut with an ellipsis so that every card stays within Block Kit's and
 * Teams' limits.
 */
import type { Actor, FrameworkEntry } from '../src/core/frameworks/frameworks.js';
import { categoriesOf } from '../src/core/frameworks/vocabulary.js';
import { truncate } from '../src/util/text.js';
import type { TFunction } from './i18n.js';
import { bold, italic, link, type Block, type MessageView, type Rich } from './view.js';

/** How much of a text each view shows. */
export const FRAMEWORK_CLIP = {
  /** A name in a list or a field. */
  name: 180,
  /** A description in search results. */
  searchDescription: 280,
  /** A description in a comparison field (Slack: 2,000 characters per field). */
  compareDescription: 600,
  /** The description of one entry (Slack cuts a text block into sections of 3,000). */
  entryDescription: 5000,
  /** Slack headers: 150 characters. */
  heading: 150,
} as const;

/** Entries shown per country in a comparison. */
export const COMPARED_PER_COUNTRY = 5;

/** The first letter in capitals: "severance pay/redundancy compensation" → "Severance pay/redundancy compensation". */
export const typeLabel = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);

/** A description on one paragraph, cut with an ellipsis. */
const excerpt = (text: string, max: number) => truncate(text.replace(/\s*\n+\s*/g, ' ').trim(), max);

/** "FR · Legislation · Anticipation · Severance pay/redundancy compensation". */
function facts(t: TFunction, e: FrameworkEntry, withCountry = true): string {
  return [
    withCountry ? e.country : '',
    t(`framework.kinds.${e.kind}`),
    e.phase ? t(`framework.phases.${e.phase}`) : '',
    categoriesOf(e.category).map(typeLabel).join(', '),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `#12 Labour Code — Code du travail` (the original name when it differs). */
function title(e: FrameworkEntry): Rich {
  const name: Rich = [bold(`#${e.id} ${truncate(e.nameEnglish, FRAMEWORK_CLIP.name)}`)];
  if (e.nameOriginal && e.nameOriginal !== e.nameEnglish) name.push(' — ', italic(truncate(e.nameOriginal, FRAMEWORK_CLIP.name)));
  return name;
}

export function frameworkSearchView(t: TFunction, words: readonly string[], country: string | undefined, found: { entries: FrameworkEntry[]; total: number }): MessageView {
  const quoted = words.join(' ');
  if (found.total === 0) {
    const text = country ? t('framework.noResultsCountry', { words: quoted, country }) : t('framework.noResults', { words: quoted });
    return { summary: text, blocks: [{ type: 'text', text: [text] }] };
  }
  const heading = truncate(country ? t('framework.searchTitleCountry', { words: quoted, country }) : t('framework.searchTitle', { words: quoted }), FRAMEWORK_CLIP.heading);
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  for (const e of found.entries) {
    blocks.push({ type: 'text', text: [...title(e), '\n', facts(t, e), ...(e.description ? ['\n', excerpt(e.description, FRAMEWORK_CLIP.searchDescription)] : [])] });
  }
  const notes: string[] = [];
  if (found.total > found.entries.length) notes.push(t('framework.more', { count: found.total - found.entries.length }));
  notes.push(t('framework.open'));
  blocks.push({ type: 'context', text: [notes.join(' ')] });
  return { summary: `${heading} (${found.total})`, blocks };
}

/** One side of a comparison row: an entry, or a dash. */
function compared(t: TFunction, e: FrameworkEntry | undefined, none: boolean): Rich {
  if (!e) return [none ? t('framework.compareNone') : '—'];
  const value: Rich = [...title(e), '\n', facts(t, e, false)];
  if (e.thresholds) value.push('\n', `${t('framework.thresholds')}: ${truncate(e.thresholds, 300)}`);
  if (e.description) value.push('\n', excerpt(e.description, FRAMEWORK_CLIP.compareDescription));
  return value;
}

/** Two countries' entries of one type, side by side: one row of two fields per pair of entries. */
export function frameworkCompareView(
  t: TFunction,
  type: string,
  sides: [{ country: string; entries: FrameworkEntry[] }, { country: string; entries: FrameworkEntry[] }],
): MessageView {
  const heading = truncate(t('framework.compareTitle', { type: typeLabel(type), a: sides[0].country, b: sides[1].country }), FRAMEWORK_CLIP.heading);
  const shown = sides.map((s) => s.entries.slice(0, COMPARED_PER_COUNTRY));
  const rows = Math.max(1, ...shown.map((s) => s.length));
  const fields: Array<{ label: string; value: Rich }> = [];
  for (let i = 0; i < rows; i++) {
    sides.forEach((side, k) => fields.push({ label: side.country, value: compared(t, shown[k]![i], i === 0) }));
  }
  const blocks: Block[] = [{ type: 'heading', text: heading }, { type: 'fields', fields }];
  const notes = sides
    .filter((s) => s.entries.length > COMPARED_PER_COUNTRY)
    .map((s) => t('framework.compareMore', { country: s.country, count: s.entries.length - COMPARED_PER_COUNTRY }));
  notes.push(t('framework.open'));
  blocks.push({ type: 'context', text: [notes.join(' ')] });
  return { summary: heading, blocks };
}

/** The types two countries have entries of, with how many each: where to start a comparison. */
export function frameworkOverviewView(t: TFunction, a: string, b: string, counts: Map<string, Map<string, number>>): MessageView {
  if (counts.size === 0) {
    const text = t('framework.overviewEmpty', { a, b });
    return { summary: text, blocks: [{ type: 'text', text: [text] }] };
  }
  const heading = t('framework.overviewTitle', { a, b });
  const lines = [...counts.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([type, perCountry]) => `• ${typeLabel(type)} — ${a} ${perCountry.get(a) ?? 0} · ${b} ${perCountry.get(b) ?? 0}`);
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  for (let i = 0; i < lines.length; i += 15) blocks.push({ type: 'text', text: [lines.slice(i, i + 15).join('\n')] });
  blocks.push({ type: 'context', text: [t('framework.overviewHint', { a, b })] });
  return { summary: heading, blocks };
}

const actorText = (actors: Actor[]) => actors.map((a) => (a.comment ? `${typeLabel(a.type)} (${truncate(a.comment.replace(/\s+/g, ' '), 200)})` : typeLabel(a.type))).join(' · ');

/** One entry in full (its description cut past FRAMEWORK_CLIP.entryDescription). */
export function frameworkEntryView(t: TFunction, e: FrameworkEntry, actors: Actor[]): MessageView {
  const heading = truncate(`${e.nameEnglish} (${e.country})`, FRAMEWORK_CLIP.heading);
  const field = (key: string, value: string | null | undefined) => (value ? [{ label: t(key), value: [truncate(value, 1500)] as Rich }] : []);
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  if (e.nameOriginal && e.nameOriginal !== e.nameEnglish) blocks.push({ type: 'text', text: [italic(truncate(e.nameOriginal, 1000))] });
  blocks.push({
    type: 'fields',
    fields: [
      ...field('framework.country', e.country),
      ...field('framework.kind', t(`framework.kinds.${e.kind}`)),
      ...field('framework.phase', e.phase ? t(`framework.phases.${e.phase}`) : null),
      ...field('framework.type', categoriesOf(e.category).map(typeLabel).join(', ')),
      ...field('framework.thresholds', e.thresholds),
      ...field('framework.actors', actorText(actors)),
    ],
  });
  if (e.description) blocks.push({ type: 'text', text: [truncate(e.description, FRAMEWORK_CLIP.entryDescription)] });
  const context: Rich = [`#${e.id}`];
  if (e.sourceUrl) context.push(' · ', link(t('framework.source'), e.sourceUrl));
  blocks.push({ type: 'context', text: context });
  return { summary: heading, blocks };
}
