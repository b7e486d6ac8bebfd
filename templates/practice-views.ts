/** Innovative practices: the card with its transferability matrix, the list, and the two forms. */
import { matrixOf, VERDICTS, type Verdict } from '../src/core/practices/assessments.js';
import type { PracticeDetails } from '../src/core/practices/practices.js';
import type { Practice, PracticeAssessment } from '../src/db/client.js';
import { truncate } from '../src/util/text.js';
import { ACTOR_TYPES, COUNTRIES, NACE_SECTIONS } from '../src/core/vocabulary.js';
import { choices, label } from './choices.js';
import type { TFunction } from './i18n.js';
import { bold, italic, type Block, type FormView, type MessageView, type Rich } from './view.js';

/** What one card quotes, so that it stays within Slack's and Teams' message sizes whatever the texts. */
const DESCRIPTION_KEPT = 2500;
const NOTE_KEPT = 800;
const CONDITIONS_SHOWN = 12;
const CONDITION_KEPT = 280;

const VERDICT_ICON: Record<Verdict, string> = { 'as-is': '✅', 'with-adaptation': '🔧', 'not-transferable': '⛔' };

/**
 * A practice: what it is, where it comes from, and the matrix of countries × verdicts with the
 * conditions quoted. `assess`: show the button that opens the assessment form (the viewer is of
 * another country).
 */
export function practiceCard(t: TFunction, d: PracticeDetails, options: { assess?: boolean } = {}): MessageView {
  const p = d.practice;
  const title = t('practice.title', { ref: p.ref, title: p.title });
  const field = (key: string, value: string | null | undefined) => (value ? [{ label: t(key), value: [value] as Rich }] : []);
  const from: string[] = [
    ...d.sources.observationIds.map((id) => `#${id}`),
    ...d.sources.caseRefs.map((ref) => t('practice.caseSource', { ref })),
  ];
  const blocks: Block[] = [
    { type: 'heading', text: title },
    { type: 'quote', text: truncate(p.description, DESCRIPTION_KEPT) },
    {
      type: 'fields',
      fields: [
        ...field('practice.country', p.country),
        ...field('practice.sector', p.sector ? label(t, 'nace', p.sector) : null),
        ...field('practice.platform', p.platformId),
        ...field('practice.actors', d.actors.map((a) => t(`actorTypes.${a}`)).join(', ')),
        ...field('practice.from', from.join(', ')),
      ],
    },
    { type: 'text', text: [bold(t('practice.frame')), `\n${truncate(p.frame, NOTE_KEPT)}`] },
  ];
  if (p.results) blocks.push({ type: 'text', text: [bold(t('practice.results')), `\n${truncate(p.results, NOTE_KEPT)}`] });
  blocks.push({ type: 'divider' }, ...matrixBlocks(t, p, d.assessments));
  if (options.assess) blocks.push({ type: 'buttons', buttons: [{ action: 'practice.assess', label: t('practice.assessButton'), value: p.ref, style: 'primary' }] });
  return { summary: title, blocks };
}

/** Countries × verdicts: one line per country with its counts and carriers, then the conditions quoted. */
function matrixBlocks(t: TFunction, p: Practice, assessments: Array<PracticeAssessment & { assessor: { actorType: string | null } }>): Block[] {
  const columns = matrixOf(assessments);
  const heading: Rich = [bold(t('practice.transferability'))];
  if (columns.length === 0) return [{ type: 'text', text: heading }, { type: 'context', text: [t('practice.noAssessment', { ref: p.ref, country: p.country })] }];
  const legend = VERDICTS.map((v) => `${VERDICT_ICON[v]} ${t(`verdicts.${v}`)}`).join(' · ');
  const lines: Rich = [];
  for (const col of columns) {
    if (lines.length) lines.push('\n');
    const counts = VERDICTS.map((v) => `${VERDICT_ICON[v]} ${col.counts[v]}`).join('  ');
    lines.push(bold(col.country), `  ${counts}`);
    if (col.carriers.length) lines.push(` — ${t('practice.carriedBy')} ${col.carriers.map((c) => `${t(`actorTypes.${c.actorType}`)} (${c.count})`).join(', ')}`);
  }
  const blocks: Block[] = [{ type: 'text', text: heading }, { type: 'context', text: [legend] }, { type: 'text', text: lines }];

  const quoted = columns.flatMap((col) => col.conditions.map((c) => ({ ...c, country: col.country })));
  const shown = quoted.slice(0, CONDITIONS_SHOWN);
  if (shown.length) {
    const conditions: Rich = [bold(t('practice.conditions'))];
    for (const c of shown) {
      const who = label(t, 'actorTypes', c.actorType, t('card.actorUnknown'));
      conditions.push(
        `\n${c.kind === 'helping' ? '➕' : '➖'} ${c.country} · ${t(`practice.${c.kind}`)} — `,
        italic(`“${truncate(c.text, CONDITION_KEPT)}”`),
        ` (${who}, ${t(`verdicts.${c.verdict}`)})`,
      );
    }
    blocks.push({ type: 'text', text: conditions });
    if (quoted.length > shown.length) blocks.push({ type: 'context', text: [t('practice.moreConditions', { count: quoted.length - shown.length })] });
  }
  return blocks;
}

/** The practices of every platform, newest first, with their number of assessments. */
export function practiceList(t: TFunction, practices: Array<Practice & { assessments: number }>, total: number): MessageView {
  if (practices.length === 0) {
    const text = t('practice.listEmpty');
    return { summary: text, blocks: [{ type: 'text', text: [text] }] };
  }
  const blocks: Block[] = [{ type: 'heading', text: t('practice.listTitle') }];
  for (const p of practices) {
    blocks.push({
      type: 'text',
      text: [bold(p.ref), ` — ${p.title}\n`, t('practice.listLine', { country: p.country, platform: p.platformId, count: p.assessments })],
    });
  }
  if (total > practices.length) blocks.push({ type: 'context', text: [t('practice.listMore', { count: total - practices.length })] });
  return { summary: t('practice.listTitle'), blocks };
}

export interface PracticeFormData {
  state: string;
  title?: string;
  description?: string;
  country?: string;
  sector?: string;
  frame?: string;
  actors?: string[];
  results?: string;
  observationIds?: number[];
  caseRefs?: string[];
  /** Opened from an observation's card. */
  fromObservation?: number;
}

export function practiceForm(t: TFunction, d: PracticeFormData): FormView {
  return {
    form: 'practice.form',
    title: t('practiceForm.title'),
    submit: t('practiceForm.submit'),
    close: t('practiceForm.close'),
    state: d.state,
    intro: [d.fromObservation ? t('practiceForm.fromObservation', { id: d.fromObservation }) : t('practiceForm.intro')],
    fields: [
      { type: 'text', id: 'title', label: t('practiceForm.titleField'), value: d.title, maxLength: 200 },
      { type: 'text', id: 'description', label: t('practiceForm.description'), value: d.description?.slice(0, 4000), multiline: true, maxLength: 4000 },
      { type: 'select', id: 'country', label: t('practiceForm.country'), choices: COUNTRIES.map((c) => ({ value: c, label: c })), value: d.country },
      { type: 'select', id: 'sector', label: t('practiceForm.sector'), choices: choices(t, 'nace', NACE_SECTIONS), value: d.sector, optional: true },
      { type: 'text', id: 'frame', label: t('practiceForm.frame'), value: d.frame, multiline: true, maxLength: 2000, hint: t('practiceForm.frameHint') },
      { type: 'checkboxes', id: 'actors', label: t('practiceForm.actors'), choices: choices(t, 'actorTypes', ACTOR_TYPES), value: d.actors },
      { type: 'text', id: 'results', label: t('practiceForm.results'), value: d.results, multiline: true, maxLength: 2000, optional: true },
      {
        type: 'text',
        id: 'observations',
        label: t('practiceForm.observations'),
        value: d.observationIds?.length ? d.observationIds.join(' ') : undefined,
        optional: true,
        maxLength: 200,
        hint: t('practiceForm.observationsHint'),
      },
      { type: 'text', id: 'cases', label: t('practiceForm.cases'), value: d.caseRefs?.length ? d.caseRefs.join(' ') : undefined, optional: true, maxLength: 400 },
    ],
  };
}

export function assessmentForm(
  t: TFunction,
  d: { state: string; ref: string; title: string; practiceCountry: string; country: string; current?: { verdict: string; helping: string | null; hindering: string | null; carriers: string[] } },
): FormView {
  return {
    form: 'practice.assessment',
    title: t('assessForm.title', { ref: d.ref }),
    submit: t('assessForm.submit'),
    close: t('assessForm.close'),
    state: d.state,
    intro: [
      t('assessForm.intro', { ref: d.ref, title: d.title, from: d.practiceCountry, country: d.country }),
      ...(d.current ? [` ${t('assessForm.changing')}`] : []),
    ],
    fields: [
      { type: 'radio', id: 'verdict', label: t('assessForm.verdict', { country: d.country }), choices: choices(t, 'verdicts', VERDICTS), value: d.current?.verdict },
      { type: 'text', id: 'helping', label: t('assessForm.helping'), value: d.current?.helping ?? undefined, multiline: true, maxLength: 2000, optional: true },
      { type: 'text', id: 'hindering', label: t('assessForm.hindering'), value: d.current?.hindering ?? undefined, multiline: true, maxLength: 2000, optional: true, hint: t('assessForm.hinderingHint') },
      { type: 'checkboxes', id: 'carriers', label: t('assessForm.carriers', { country: d.country }), choices: choices(t, 'actorTypes', ACTOR_TYPES), value: d.current?.carriers, optional: true },
    ],
  };
}
