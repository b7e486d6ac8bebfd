/**
 * Monitoring and evaluation of a restructuring case (objective 4 of the seeds): dated records of
 * costs and results, and the efficiency figures derived from them.
 *
 * A record is a snapshot of the case at its date (`measuredOn`): a figure left empty is unknown at
 * that date, not zero. Records are never changed; a new record is a new row, and the case card
 * compares the latest record with the one before it (by date, then by order of recording).
 *
 * Consistency rules (each refused on its field, nothing stored; see `contradictions`):
 *  1. every figure is a whole number, not negative, at most MAX_FIGURE (euros are whole euros);
 *  2. the date is required, not after today in the platform's time zone, not before the case was announced;
 *  3. a record gives at least one figure;
 *  4. re-employed at 6 months ≤ workers affected; re-employed at 12 months ≤ workers affected;
 *     in training ≤ workers affected;
 *  5. re-employed (at 12 months, or at 6 months when the 12-month figure is not known) + in training
 *     ≤ workers affected: at the date, a worker is in one situation only;
 *  6. workers affected ≤ the case's headcount before the restructuring, when the factsheet has it;
 *  7. jobs saved ≤ the case's announced job reductions, when the factsheet has them (not for a
 *     business expansion, whose announced figure is creations);
 *  8. public funding ≤ support measures + severance, when both are given: public funding is the
 *     part of those costs paid from public money (state, region, EGF…);
 *  9. a re-employment figure at 6 (12) months can only be counted 6 (12) months after the
 *     employment effect began (the factsheet's start of effect, or else its announcement date).
 *
 * Efficiency (see `efficiencyOf`):
 *  - re-employment rate at 6 and at 12 months = re-employed ÷ workers affected;
 *  - in work or training = (re-employed, 12 months or else 6, + in training) ÷ workers affected;
 *  - cost per worker re-employed = (support measures + severance, those given) ÷ re-employed
 *    (12 months, or else 6);
 *  - public funding per worker re-employed = public funding ÷ re-employed (same).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Case, CaseIndicator, PrismaClient } from '../db/client.js';
import type { Member } from './members.js';
import type { Platform } from './platforms.js';
import { Refusal } from './refusal.js';

export type { CaseIndicator };

export const COST_FIELDS = ['supportCosts', 'severanceCosts', 'publicFunding'] as const;
export const RESULT_FIELDS = ['workersAffected', 'reemployed6m', 'reemployed12m', 'inTraining', 'jobsSaved', 'jobsCreated'] as const;
export const INDICATOR_FIELDS = [...COST_FIELDS, ...RESULT_FIELDS] as const;
export type IndicatorField = (typeof INDICATOR_FIELDS)[number];
export type Figures = { [K in IndicatorField]: number | null };

/**
 * The largest figure taken (euros or workers): SQLite's integers hold far more, but a figure past
 * 999,999,999,999 is a slip of the keyboard, not a restructuring.
 */
export const MAX_FIGURE = 999_999_999_999;

/** What a member typed for one figure: a whole number, empty (unknown), or something else. */
export type RawFigure = number | undefined;

export interface IndicatorInput {
  /** YYYY-MM-DD. */
  measuredOn: string | undefined;
  figures: Partial<Record<IndicatorField, RawFigure>>;
}

/** One problem, on the form field it is about, as a sentence key and its parameters. */
export interface FieldProblem {
  field: IndicatorField | 'measuredOn';
  key: string;
  params: Record<string, unknown>;
}

/** A record refused: every problem found, at most one per field. */
export class IndicatorProblems extends Refusal {
  constructor(readonly problems: FieldProblem[]) {
    super(problems[0]?.key ?? 'errors.required', problems[0]?.params ?? {});
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The case's facts the rules look at. */
export type CaseFacts = Pick<Case, 'ref' | 'type' | 'headcountBefore' | 'jobsAffected' | 'announcedOn' | 'effectStart'>;

/**
 * Every problem of a record, at most one per field (the first rule that fails), in form order.
 * `today`: the day it is in the platform's time zone (YYYY-MM-DD).
 */
export function contradictions(input: IndicatorInput, facts: CaseFacts, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const put = (field: FieldProblem['field'], key: string, params: Record<string, unknown> = {}) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, key, params });
  };

  // 1. Each figure on its own.
  const f: Partial<Record<IndicatorField, number>> = {};
  for (const field of INDICATOR_FIELDS) {
    const value = input.figures[field];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || !Number.isInteger(value)) put(field, 'errors.wholeNumber');
    else if (value < 0) put(field, 'errors.indicatorNegative', { value });
    else if (value > MAX_FIGURE) put(field, 'errors.indicatorTooLarge', { max: MAX_FIGURE });
    else f[field] = value;
  }

  // 2. The date.
  const measured = input.measuredOn;
  let day: string | undefined;
  if (!measured) put('measuredOn', 'errors.required');
  else if (!DAY.test(measured) || !DateTime.fromISO(measured, { zone: 'UTC' }).isValid) put('measuredOn', 'errors.date');
  else if (measured > today) put('measuredOn', 'errors.indicatorFuture', { date: measured, today });
  else if (facts.announcedOn && measured < isoDay(facts.announcedOn)) put('measuredOn', 'errors.indicatorBeforeAnnouncement', { date: measured, announced: isoDay(facts.announcedOn) });
  else day = measured;

  // 3. Something to record.
  if (INDICATOR_FIELDS.every((field) => input.figures[field] === undefined)) put('workersAffected', 'errors.indicatorEmpty');

  // 4, 5. Situations of the workers affected.
  const affected = f.workersAffected;
  if (affected !== undefined) {
    if (f.reemployed6m !== undefined && f.reemployed6m > affected) put('reemployed6m', 'errors.indicatorReemployedOverAffected', { reemployed: f.reemployed6m, affected });
    if (f.reemployed12m !== undefined && f.reemployed12m > affected) put('reemployed12m', 'errors.indicatorReemployedOverAffected', { reemployed: f.reemployed12m, affected });
    if (f.inTraining !== undefined && f.inTraining > affected) put('inTraining', 'errors.indicatorTrainingOverAffected', { training: f.inTraining, affected });
    const reemployed = f.reemployed12m ?? f.reemployed6m;
    if (f.inTraining !== undefined && reemployed !== undefined && reemployed + f.inTraining > affected) {
      put('inTraining', 'errors.indicatorSituationsOverAffected', { reemployed, training: f.inTraining, sum: reemployed + f.inTraining, affected });
    }
  }

  // 6. The factsheet's headcount.
  if (affected !== undefined && facts.headcountBefore !== null && affected > facts.headcountBefore) {
    put('workersAffected', 'errors.indicatorAffectedOverHeadcount', { affected, headcount: facts.headcountBefore, ref: facts.ref });
  }

  // 7. The factsheet's announced reductions.
  if (f.jobsSaved !== undefined && facts.jobsAffected !== null && facts.type !== 'business-expansion' && f.jobsSaved > facts.jobsAffected) {
    put('jobsSaved', 'errors.indicatorSavedOverAnnounced', { saved: f.jobsSaved, announced: facts.jobsAffected, ref: facts.ref });
  }

  // 8. Public funding within the costs.
  if (f.publicFunding !== undefined && f.supportCosts !== undefined && f.severanceCosts !== undefined && f.publicFunding > f.supportCosts + f.severanceCosts) {
    put('publicFunding', 'errors.indicatorFundingOverCosts', { funding: f.publicFunding, costs: f.supportCosts + f.severanceCosts });
  }

  // 9. Too early to count re-employment at 6 or 12 months.
  const start = facts.effectStart ?? facts.announcedOn;
  if (day && start) {
    for (const [field, months] of [['reemployed6m', 6], ['reemployed12m', 12]] as const) {
      if (f[field] === undefined) continue;
      const earliest = DateTime.fromJSDate(start, { zone: 'UTC' }).plus({ months }).toISODate()!;
      if (day < earliest) put(field, 'errors.indicatorTooEarly', { months, start: isoDay(start), earliest });
    }
  }

  const order: Array<FieldProblem['field']> = ['measuredOn', ...INDICATOR_FIELDS];
  return problems.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** Today in the platform's time zone, YYYY-MM-DD. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  return DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
}

/**
 * Records a case's indicators, after checking every rule against the case's factsheet. Only the
 * case's own platform records them. Throws IndicatorProblems (nothing stored) or a Refusal.
 */
export async function recordIndicators(
  db: PrismaClient,
  args: { caseRef: string; platform: Platform; member: Member; input: IndicatorInput; now?: Date },
): Promise<CaseIndicator> {
  const found = await checkCanRecord(db, args.caseRef, args.platform);
  const problems = contradictions(args.input, found, todayIn(args.platform.timezone, args.now));
  if (problems.length) throw new IndicatorProblems(problems);
  const figures = Object.fromEntries(INDICATOR_FIELDS.map((field) => [field, args.input.figures[field] ?? null])) as Figures;
  return db.caseIndicator.create({
    data: { caseId: found.id, measuredOn: new Date(`${args.input.measuredOn}T00:00:00Z`), ...figures, recordedById: args.member.id },
  });
}

/** Checks before the form opens: the case exists and belongs to the platform. */
export async function checkCanRecord(db: PrismaClient, caseRef: string, platform: Platform): Promise<Case> {
  const found = await db.case.findUnique({ where: { ref: caseRef.trim().toUpperCase() } });
  if (!found) throw new Refusal('errors.noSuchCase', { ref: caseRef });
  if (found.platformId !== platform.id) throw new Refusal('errors.indicatorOtherPlatform', { ref: found.ref, platform: found.platformId });
  return found;
}

/** A case's records, oldest first (by date, then by order of recording). */
export function indicatorsOf(db: PrismaClient, caseId: number): Promise<CaseIndicator[]> {
  return db.caseIndicator.findMany({ where: { caseId }, orderBy: [{ measuredOn: 'asc' }, { id: 'asc' }] });
}

export interface Efficiency {
  /** Shares between 0 and 1; null when a figure they need is unknown (or nobody is affected). */
  reemploymentRate6m: number | null;
  reemploymentRate12m: number | null;
  inWorkOrTraining: number | null;
  /** Euros per worker re-employed; null without costs or without anyone re-employed. */
  costPerReemployed: number | null;
  /** Which cost lines `costPerReemployed` adds up. */
  costLines: Array<'supportCosts' | 'severanceCosts'>;
  publicFundingPerReemployed: number | null;
  /** Which re-employment figure the per-worker costs divide by. */
  reemployedAt: '6m' | '12m' | null;
}

export type EfficiencyKey = 'reemploymentRate6m' | 'reemploymentRate12m' | 'inWorkOrTraining' | 'costPerReemployed' | 'publicFundingPerReemployed';
export const EFFICIENCY_KEYS: readonly EfficiencyKey[] = ['reemploymentRate6m', 'reemploymentRate12m', 'inWorkOrTraining', 'costPerReemployed', 'publicFundingPerReemployed'];

export function efficiencyOf(r: Figures): Efficiency {
  const affected = r.workersAffected;
  const rate = (n: number | null) => (n === null || affected === null || affected === 0 ? null : n / affected);
  const reemployed = r.reemployed12m ?? r.reemployed6m;
  const reemployedAt = r.reemployed12m !== null ? '12m' : r.reemployed6m !== null ? '6m' : null;
  const costLines = (['supportCosts', 'severanceCosts'] as const).filter((k) => r[k] !== null);
  const costs = costLines.reduce((sum, k) => sum + r[k]!, 0);
  const perWorker = (amount: number | null) => (amount === null || reemployed === null || reemployed === 0 ? null : amount / reemployed);
  return {
    reemploymentRate6m: rate(r.reemployed6m),
    reemploymentRate12m: rate(r.reemployed12m),
    inWorkOrTraining: reemployed !== null && r.inTraining !== null ? rate(reemployed + r.inTraining) : null,
    costPerReemployed: costLines.length ? perWorker(costs) : null,
    costLines: [...costLines],
    publicFundingPerReemployed: perWorker(r.publicFunding),
    reemployedAt,
  };
}

export const figuresOf = (r: CaseIndicator): Figures => Object.fromEntries(INDICATOR_FIELDS.map((k) => [k, r[k]])) as Figures;

/** What the case card shows: the latest record, its efficiency, and the record before it to compare with. */
export interface IndicatorTrend {
  count: number;
  latest: { measuredOn: Date; figures: Figures; efficiency: Efficiency };
  previous?: { measuredOn: Date; figures: Figures; efficiency: Efficiency };
}

export async function indicatorTrend(db: PrismaClient, caseId: number): Promise<IndicatorTrend | undefined> {
  const records = await db.caseIndicator.findMany({ where: { caseId }, orderBy: [{ measuredOn: 'desc' }, { id: 'desc' }], take: 2 });
  if (records.length === 0) return undefined;
  const count = await db.caseIndicator.count({ where: { caseId } });
  const snapshot = (r: CaseIndicator) => ({ measuredOn: r.measuredOn, figures: figuresOf(r), efficiency: efficiencyOf(figuresOf(r)) });
  return { count, latest: snapshot(records[0]!), ...(records[1] ? { previous: snapshot(records[1]) } : {}) };
}
