/** A case's indicators: the form that records them, and their part of the case card. */
import { COST_FIELDS, EFFICIENCY_KEYS, RESULT_FIELDS, type EfficiencyKey, type Figures, type IndicatorField, type IndicatorTrend } from '../src/core/indicators.js';
import type { TFunction } from './i18n.js';
import { bold, type Block, type FormField, type FormView, type Rich } from './view.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Number formats of the reader's language (`indicators.locale`, e.g. en-GB, fr-FR). */
function formats(t: TFunction) {
  const locale = t('indicators.locale');
  const safe = (make: (l: string) => Intl.NumberFormat) => {
    try {
      return make(locale);
    } catch {
      return make('en-GB');
    }
  };
  return {
    count: safe((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })),
    euros: safe((l) => new Intl.NumberFormat(l, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 })),
    percent: safe((l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 1 })),
    points: safe((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 1, signDisplay: 'always' })),
    signedCount: safe((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0, signDisplay: 'always' })),
    signedEuros: safe((l) => new Intl.NumberFormat(l, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0, signDisplay: 'always' })),
  };
}

type Kind = 'euros' | 'count' | 'share';
const KIND: Record<IndicatorField | EfficiencyKey, Kind> = {
  supportCosts: 'euros',
  severanceCosts: 'euros',
  publicFunding: 'euros',
  workersAffected: 'count',
  reemployed6m: 'count',
  reemployed12m: 'count',
  inTraining: 'count',
  jobsSaved: 'count',
  jobsCreated: 'count',
  reemploymentRate6m: 'share',
  reemploymentRate12m: 'share',
  inWorkOrTraining: 'share',
  costPerReemployed: 'euros',
  publicFundingPerReemployed: 'euros',
};

/** A value and, when the previous record has it too, how it moved: `▲ +50`, `▼ −2.5 pts`, `=`. */
function withTrend(t: TFunction, kind: Kind, current: number, previous: number | null | undefined): Rich {
  const f = formats(t);
  const shown = kind === 'euros' ? f.euros.format(current) : kind === 'share' ? f.percent.format(current) : f.count.format(current);
  if (previous === null || previous === undefined) return [shown];
  const delta = current - previous;
  // Shares move in percentage points; tiny differences of rounding count as none.
  const moved = kind === 'share' ? Math.round(delta * 1000) / 10 : Math.round(delta);
  if (moved === 0) return [shown, `  = ${t('indicators.unchanged')}`];
  const arrow = moved > 0 ? '▲' : '▼';
  const amount =
    kind === 'share' ? t('indicators.points', { value: f.points.format(moved) }) : kind === 'euros' ? f.signedEuros.format(moved) : f.signedCount.format(moved);
  return [shown, `  ${arrow} ${amount}`];
}

/** The case card's part on indicators: latest figures, their trend against the record before, efficiency. */
export function indicatorBlocks(t: TFunction, ref: string, trend: IndicatorTrend | undefined): Block[] {
  if (!trend) return [{ type: 'context', text: [t('indicators.none', { ref })] }, recordButton(t, ref)];
  const { latest, previous } = trend;
  const intro: Rich = [bold(t('indicators.title')), ` ${t('indicators.asOf', { date: day(latest.measuredOn), count: trend.count })}`];
  if (previous) intro.push(` ${t('indicators.comparedWith', { date: day(previous.measuredOn) })}`);

  const figure = (k: IndicatorField) => {
    const value = latest.figures[k];
    return value === null ? [] : [{ label: t(`indicators.fields.${k}`), value: withTrend(t, KIND[k], value, previous?.figures[k]) }];
  };
  const eff = (k: EfficiencyKey) => {
    const value = latest.efficiency[k];
    if (value === null) return [];
    let label = t(`indicators.efficiency.${k}`);
    let before = previous?.efficiency[k];
    if (k === 'costPerReemployed' || k === 'publicFundingPerReemployed') {
      // A cost per worker moves only against the same basis: the same cost lines, divided by re-employment at the same time.
      const same = previous && previous.efficiency.reemployedAt === latest.efficiency.reemployedAt && previous.efficiency.costLines.join() === latest.efficiency.costLines.join();
      if (!same) before = undefined;
      const lines = k === 'costPerReemployed' ? latest.efficiency.costLines.map((l) => t(`indicators.fields.${l}`)).join(' + ') : t('indicators.fields.publicFunding');
      label = `${label} (${t('indicators.costBasis', { lines, at: t(`indicators.at.${latest.efficiency.reemployedAt}`) })})`;
    }
    return [{ label, value: withTrend(t, KIND[k], value, before) }];
  };

  const costs = COST_FIELDS.flatMap(figure);
  const results = RESULT_FIELDS.flatMap(figure);
  const efficiency = EFFICIENCY_KEYS.flatMap(eff);
  const blocks: Block[] = [{ type: 'text', text: intro }];
  if (costs.length) blocks.push({ type: 'text', text: [bold(t('indicators.costs'))] }, { type: 'fields', fields: costs });
  if (results.length) blocks.push({ type: 'text', text: [bold(t('indicators.results'))] }, { type: 'fields', fields: results });
  if (efficiency.length) blocks.push({ type: 'text', text: [bold(t('indicators.efficiencyTitle'))] }, { type: 'fields', fields: efficiency });
  blocks.push({ type: 'context', text: [t('indicators.recordMore', { ref })] }, recordButton(t, ref));
  return blocks;
}

/** The button under a case's indicators that opens the form to record new figures. */
export function recordButton(t: TFunction, ref: string): Block {
  return { type: 'buttons', buttons: [{ action: 'indicators.open', label: t('indicators.record'), value: ref }] };
}

/** The form that records a case's indicators, prefilled with the latest record's figures and today's date. */
export function indicatorForm(t: TFunction, data: { state: string; ref: string; company: string; today: string; latest?: Figures; latestOn?: Date }): FormView {
  const number = (id: IndicatorField): FormField => ({
    type: 'number',
    id,
    label: t(`indicators.form.${id}`),
    optional: true,
    min: 0,
    ...(data.latest?.[id] !== null && data.latest?.[id] !== undefined ? { value: data.latest[id]! } : {}),
  });
  return {
    form: 'indicators.form',
    title: t('indicators.form.title'),
    submit: t('indicators.form.submit'),
    close: t('indicators.form.close'),
    state: data.state,
    intro: [
      t('indicators.form.intro', { ref: data.ref, company: data.company }),
      ...(data.latestOn ? [` ${t('indicators.form.prefilled', { date: day(data.latestOn) })}`] : []),
    ],
    fields: [
      { type: 'date', id: 'measuredOn', label: t('indicators.form.measuredOn'), value: data.today, hint: t('indicators.form.measuredOnHint') },
      ...COST_FIELDS.map(number),
      ...RESULT_FIELDS.map(number),
    ],
  };
}
