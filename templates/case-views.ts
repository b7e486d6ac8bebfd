import type { CaseSummary } from '../src/core/cases.js';
import type { IndicatorTrend } from '../src/core/indicators.js';
import type { Platform } from '../src/core/platforms.js';
import { label } from './choices.js';
import type { TFunction } from './i18n.js';
import { indicatorBlocks } from './indicator-views.js';
import { bold, link, type Block, type MessageView, type Rich } from './view.js';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

function counts(t: TFunction, s: CaseSummary): string {
  return t('case.counts', { total: s.observations, ...s.byDimension });
}

/**
 * A case's factsheet with its observation counts per dimension; with `indicators` (an object, or
 * null when none are recorded yet), its latest indicators and their trend.
 */
export function caseCard(t: TFunction, s: CaseSummary, indicators?: IndicatorTrend | null): MessageView {
  const c = s.case;
  const company = c.anonymised ? `${c.company} (${t('case.anonymised')})` : c.company;
  const field = (key: string, value: string | number | null | undefined) =>
    value === null || value === undefined || value === '' ? [] : [{ label: t(key), value: [String(value)] as Rich }];
  const effect = [day(c.effectStart), day(c.effectEnd)].filter(Boolean).join(' → ');
  const sources = (Array.isArray(c.sources) ? (c.sources as string[]) : []).flatMap((url, i): Rich => (i ? [' · ', link(url, url)] : [link(url, url)]));
  const blocks: Block[] = [
    { type: 'heading', text: t('case.title', { ref: c.ref, company }) },
    {
      type: 'fields',
      fields: [
        ...field('case.country', c.country),
        ...field('case.type', label(t, 'restructuringTypes', c.type)),
        ...field('case.sector', c.naceSection ? label(t, 'nace', c.naceSection) : null),
        ...field('case.region', c.nutsRegion),
        ...field('case.group', c.groupName),
        ...field('case.unit', c.affectedUnit),
        ...field('case.headcount', c.headcountBefore),
        ...field('case.jobs', c.jobsAffected),
        ...field('case.announced', day(c.announcedOn)),
        ...field('case.effect', effect || null),
      ],
    },
    { type: 'text', text: [bold(t('case.observations')), ` ${counts(t, s)}`] },
  ];
  if (sources.length) blocks.push({ type: 'context', text: [`${t('case.sources')}: `, ...sources] });
  if (indicators !== undefined) blocks.push({ type: 'divider' }, ...indicatorBlocks(t, c.ref, indicators ?? undefined));
  return { summary: t('case.title', { ref: c.ref, company }), blocks };
}

/** The platform's cases, each with its observation counts per dimension; says how many are not shown. */
export function caseList(t: TFunction, platform: Platform, cases: CaseSummary[], total = cases.length): MessageView {
  if (cases.length === 0) {
    const text = t('case.listEmpty', { platform: platform.name });
    return { summary: text, blocks: [{ type: 'text', text: [text] }] };
  }
  const blocks: Block[] = [{ type: 'heading', text: t('case.listTitle', { platform: platform.name }) }];
  const shown = cases.slice(0, 40);
  for (const s of shown) {
    const c = s.case;
    blocks.push({
      type: 'text',
      text: [
        bold(c.ref),
        ` — ${t('case.listLine', { company: c.company, country: c.country, type: label(t, 'restructuringTypes', c.type) })}\n`,
        counts(t, s),
      ],
    });
  }
  if (total > shown.length) blocks.push({ type: 'context', text: [t('case.listMore', { count: total - shown.length })] });
  return { summary: t('case.listTitle', { platform: platform.name }), blocks };
}
