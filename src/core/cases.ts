import { z } from 'zod';
import type { Case, PrismaClient } from '../db/client.js';
import { CaseRef } from './ids.js';
import {
  COUNTRIES,
  DIMENSIONS,
  NACE_SECTIONS,
  NUTS_PATTERN,
  RESTRUCTURING_TYPES,
  normaliseCountry,
  type Dimension,
} from './vocabulary.js';

export type { Case };

const isoDate = z.iso.date({ message: 'errors.date' }).transform((d) => new Date(`${d}T00:00:00Z`));

/** A case factsheet, with the fields of Eurofound's European Restructuring Monitor. */
export const CaseInput = z
  .object({
    ref: CaseRef,
    company: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
    anonymised: z.boolean().default(false),
    groupName: z.string().trim().max(200, 'errors.tooLong').optional(),
    country: z
      .string()
      .transform(normaliseCountry)
      .pipe(z.enum(COUNTRIES, { message: 'errors.country' })),
    nutsRegion: z.string().trim().toUpperCase().regex(NUTS_PATTERN, 'errors.nuts').optional(),
    naceSection: z.enum(NACE_SECTIONS, { message: 'errors.nace' }).optional(),
    type: z.enum(RESTRUCTURING_TYPES, { message: 'errors.restructuringType' }),
    affectedUnit: z.string().trim().max(200, 'errors.tooLong').optional(),
    headcountBefore: z.number().int('errors.wholeNumber').min(0, 'errors.notNegative').optional(),
    jobsAffected: z.number().int('errors.wholeNumber').min(0, 'errors.notNegative').optional(),
    announcedOn: isoDate.optional(),
    effectStart: isoDate.optional(),
    effectEnd: isoDate.optional(),
    sources: z.array(z.url({ message: 'errors.url', protocol: /^https?$/ })).max(10, 'errors.tooMany').default([]),
  })
  // These two run even when other fields have problems, so a member sees every mistake at once.
  .refine((c) => !c.nutsRegion || c.nutsRegion.startsWith(c.country), {
    message: 'errors.nutsCountry',
    path: ['nutsRegion'],
    when: ({ value }) => typeof (value as CaseLike).nutsRegion === 'string' && typeof (value as CaseLike).country === 'string',
  })
  .refine((c) => !c.effectStart || !c.effectEnd || c.effectEnd >= c.effectStart, {
    message: 'errors.endBeforeStart',
    path: ['effectEnd'],
    when: ({ value }) => (value as CaseLike).effectStart instanceof Date && (value as CaseLike).effectEnd instanceof Date,
  });
type CaseLike = { nutsRegion?: unknown; country?: unknown; effectStart?: unknown; effectEnd?: unknown };
export type CaseInput = z.infer<typeof CaseInput>;

export type DimensionCounts = Record<Dimension, number>;
export interface CaseSummary {
  case: Case;
  observations: number;
  byDimension: DimensionCounts;
}

export class CaseRefTaken extends Error {
  constructor(readonly ref: string) {
    super(`case ${ref} already exists`);
  }
}

export async function createCase(db: PrismaClient, platformId: string, createdById: number, input: CaseInput): Promise<Case> {
  const { sources, ...fields } = input;
  try {
    return await db.case.create({ data: { ...fields, sources, platformId, createdById } });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new CaseRefTaken(input.ref);
    throw error;
  }
}

export function findCase(db: PrismaClient, ref: string): Promise<Case | null> {
  return db.case.findUnique({ where: { ref: ref.trim().toUpperCase() } });
}

/** Live observations per dimension for the cases given (withdrawn ones do not count). */
async function countsFor(db: PrismaClient, caseIds: number[]): Promise<Map<number, { total: number; byDimension: DimensionCounts }>> {
  const empty = () => ({ total: 0, byDimension: Object.fromEntries(DIMENSIONS.map((d) => [d, 0])) as DimensionCounts });
  const result = new Map(caseIds.map((id) => [id, empty()]));
  if (caseIds.length === 0) return result;
  const live = { caseId: { in: caseIds }, withdrawnAt: null };
  const [totals, dims] = await Promise.all([
    db.observation.groupBy({ by: ['caseId'], where: live, _count: { _all: true } }),
    db.observationDimension.findMany({ where: { observation: live }, select: { dimension: true, observation: { select: { caseId: true } } } }),
  ]);
  for (const row of totals) if (row.caseId !== null) result.get(row.caseId)!.total = row._count._all;
  for (const row of dims) {
    const counts = result.get(row.observation.caseId!)!;
    counts.byDimension[row.dimension as Dimension] += 1;
  }
  return result;
}

export async function caseSummary(db: PrismaClient, ref: string): Promise<CaseSummary | null> {
  const found = await findCase(db, ref);
  if (!found) return null;
  const counts = (await countsFor(db, [found.id])).get(found.id)!;
  return { case: found, observations: counts.total, byDimension: counts.byDimension };
}

/** The platform's most recent cases with their counts, and how many cases it has in all. */
export async function listCases(db: PrismaClient, platformId: string, limit: number): Promise<{ cases: CaseSummary[]; total: number }> {
  const [cases, total] = await Promise.all([
    db.case.findMany({ where: { platformId }, orderBy: { id: 'desc' }, take: limit }),
    db.case.count({ where: { platformId } }),
  ]);
  const counts = await countsFor(db, cases.map((c) => c.id));
  return { cases: cases.map((c) => ({ case: c, observations: counts.get(c.id)!.total, byDimension: counts.get(c.id)!.byDimension })), total };
}

/** The platform's cases for a picker: reference and company, most recent first. */
export function recentCases(db: PrismaClient, platformId: string, limit: number): Promise<Array<{ ref: string; company: string }>> {
  return db.case.findMany({ where: { platformId }, orderBy: { id: 'desc' }, take: limit, select: { ref: true, company: true } });
}
