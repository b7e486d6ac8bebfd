/**
 * Innovative practices (objective 3 of the seeds): a practice described for others to judge
 * whether it would travel — what it is, where it comes from (country, NACE section), the legal
 * and social frame it relied on, the actors involved, its results, and the observations and cases
 * it was drawn from. Numbered `P-<n>` across all platforms (n is the row's id).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Member, Practice, PracticeAssessment, PrismaClient } from '../../db/client.js';
import { CaseRef } from '../ids.js';
import type { Platform } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { ACTOR_TYPES, COUNTRIES, NACE_SECTIONS, normaliseCountry, type ActorType } from '../vocabulary.js';

export type { Practice, PracticeAssessment };
type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Db = PrismaClient | Tx;

export const MAX_PRACTICE_TEXT = 4000;
export const MAX_PRACTICE_NOTE = 2000;

/** `P-12` as members type it (`p-12`, `P12` too); stored `P-12`. */
export const PracticeRef = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^P-?\d{1,9}$/, 'errors.practiceRefFormat')
  .transform((r) => `P-${Number(r.replace(/^P-?/, ''))}`);

export const PracticeInput = z.object({
  title: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  description: z.string().trim().min(1, 'errors.required').max(MAX_PRACTICE_TEXT, 'errors.tooLong'),
  country: z
    .string()
    .transform(normaliseCountry)
    .pipe(z.enum(COUNTRIES, { message: 'errors.country' })),
  sector: z.enum(NACE_SECTIONS, { message: 'errors.nace' }).optional(),
  frame: z.string().trim().min(1, 'errors.practiceFrame').max(MAX_PRACTICE_NOTE, 'errors.tooLong'),
  actors: z
    .array(z.enum(ACTOR_TYPES, { message: 'errors.actorType' }))
    .min(1, 'errors.practiceActors')
    .transform((list) => ACTOR_TYPES.filter((a) => list.includes(a))),
  results: z.string().trim().max(MAX_PRACTICE_NOTE, 'errors.tooLong').optional(),
  observationIds: z
    .array(z.number({ message: 'errors.observationIds' }).int('errors.observationIds').positive('errors.observationIds'))
    .max(20, 'errors.tooMany')
    .default([]),
  caseRefs: z.array(CaseRef).max(20, 'errors.tooMany').default([]),
});
export type PracticeInput = z.input<typeof PracticeInput>;
export type ValidPractice = z.output<typeof PracticeInput>;

/** What a field of a practice's form got wrong, for the form to show beside the field. */
export class PracticeFieldProblem extends Refusal {
  constructor(
    readonly field: string,
    key: string,
    params: Record<string, unknown> = {},
  ) {
    super(key, params);
  }
}

/**
 * Whether an observation may be named as a practice's source by `platformId`: not withdrawn, not
 * kept for the secretariat, and the platform's own or made public (a practice is read by every
 * platform; a source shows by its number only).
 */
export function usableSource(o: { platformId: string; confidentiality: string; withdrawnAt: Date | null }, platformId: string): 'ok' | 'unknown' | 'hidden' {
  if (o.withdrawnAt) return 'unknown';
  if (o.confidentiality === 'secretariat') return 'hidden';
  return o.platformId === platformId || o.confidentiality === 'public' ? 'ok' : 'hidden';
}

/** Creates the practice and its sources at once; `afterCreate` runs in the same transaction (the card in the outbox). */
export async function createPractice(
  db: PrismaClient,
  args: { platform: Platform; author: Member; input: ValidPractice; afterCreate?: (tx: Tx, practice: Practice) => Promise<void> },
): Promise<Practice> {
  const { platform, author, input } = args;
  return db.$transaction(async (tx) => {
    const observationIds = [...new Set(input.observationIds)];
    const found = await tx.observation.findMany({ where: { id: { in: observationIds } }, select: { id: true, platformId: true, confidentiality: true, withdrawnAt: true } });
    const verdicts = observationIds.map((id) => ({ id, use: (() => { const o = found.find((f) => f.id === id); return o ? usableSource(o, platform.id) : 'unknown'; })() }));
    const missing = verdicts.filter((v) => v.use === 'unknown').map((v) => `#${v.id}`);
    if (missing.length) throw new PracticeFieldProblem('observations', 'errors.unknownObservations', { ids: missing.join(', ') });
    const hidden = verdicts.filter((v) => v.use === 'hidden').map((v) => `#${v.id}`);
    if (hidden.length) throw new PracticeFieldProblem('observations', 'errors.practiceObservationHidden', { ids: hidden.join(', ') });
    const caseRefs = [...new Set(input.caseRefs)];
    const cases = await tx.case.findMany({ where: { ref: { in: caseRefs } }, select: { id: true, ref: true } });
    const unknown = caseRefs.filter((ref) => !cases.some((c) => c.ref === ref));
    if (unknown.length) throw new PracticeFieldProblem('cases', 'errors.unknownCases', { refs: unknown.join(', ') });

    // The number is the row's id: created under a provisional reference, then renamed.
    const row = await tx.practice.create({
      data: {
        ref: `new-${randomUUID()}`,
        platformId: platform.id,
        title: input.title,
        description: input.description,
        country: input.country,
        sector: input.sector ?? null,
        frame: input.frame,
        actors: input.actors,
        results: input.results ?? null,
        createdById: author.id,
      },
    });
    const practice = await tx.practice.update({ where: { id: row.id }, data: { ref: `P-${row.id}` } });
    for (const observationId of observationIds) await tx.practiceSource.create({ data: { practiceId: practice.id, observationId } });
    for (const c of cases) await tx.practiceSource.create({ data: { practiceId: practice.id, caseId: c.id } });
    await args.afterCreate?.(tx, practice);
    return practice;
  });
}

export type AssessmentWithAssessor = PracticeAssessment & { assessor: Pick<Member, 'id' | 'displayName' | 'actorType' | 'country' | 'forgottenAt'> };

export interface PracticeDetails {
  practice: Practice;
  actors: ActorType[];
  sources: { observationIds: number[]; caseRefs: string[] };
  /** Oldest first. */
  assessments: AssessmentWithAssessor[];
}

export const actorsOf = (value: unknown): ActorType[] =>
  Array.isArray(value) ? ACTOR_TYPES.filter((a) => (value as unknown[]).includes(a)) : [];

export async function findPractice(db: Db, ref: string): Promise<Practice> {
  const parsed = PracticeRef.safeParse(ref);
  if (!parsed.success) throw new Refusal('errors.practiceRefFormat');
  const practice = await db.practice.findUnique({ where: { ref: parsed.data } });
  if (!practice) throw new Refusal('errors.unknownPractice', { ref: parsed.data });
  return practice;
}

export async function practiceDetails(db: Db, ref: string): Promise<PracticeDetails> {
  const practice = await findPractice(db, ref);
  const [sources, assessments] = await Promise.all([
    db.practiceSource.findMany({ where: { practiceId: practice.id }, orderBy: { id: 'asc' } }),
    db.practiceAssessment.findMany({ where: { practiceId: practice.id }, orderBy: { id: 'asc' } }),
  ]);
  const caseIds = sources.flatMap((s) => (s.caseId ? [s.caseId] : []));
  const [cases, assessors] = await Promise.all([
    caseIds.length ? db.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, ref: true } }) : Promise.resolve([]),
    assessments.length
      ? db.member.findMany({
          where: { id: { in: [...new Set(assessments.map((a) => a.assessorId))] } },
          select: { id: true, displayName: true, actorType: true, country: true, forgottenAt: true },
        })
      : Promise.resolve([]),
  ]);
  const byId = new Map(assessors.map((m) => [m.id, m]));
  return {
    practice,
    actors: actorsOf(practice.actors),
    sources: {
      observationIds: sources.flatMap((s) => (s.observationId ? [s.observationId] : [])),
      caseRefs: caseIds.map((id) => cases.find((c) => c.id === id)?.ref).filter((r): r is string => !!r),
    },
    assessments: assessments.map((a) => ({
      ...a,
      assessor: byId.get(a.assessorId) ?? { id: a.assessorId, displayName: null, actorType: null, country: null, forgottenAt: null },
    })),
  };
}

/** The most recent practices, of every platform, with how many assessments each has. */
export async function listPractices(db: PrismaClient, limit: number): Promise<{ practices: Array<Practice & { assessments: number }>; total: number }> {
  const [rows, total] = await Promise.all([
    db.practice.findMany({ orderBy: { id: 'desc' }, take: limit, include: { _count: { select: { assessments: true } } } }),
    db.practice.count(),
  ]);
  return { practices: rows.map(({ _count, ...p }) => ({ ...p, assessments: _count.assessments })), total };
}

/** What the practice form is prefilled with when a member describes an observation as a practice. */
export async function draftFromObservation(
  db: PrismaClient,
  args: { observationId: number; platform: Platform },
): Promise<{ description: string; observationIds: number[]; caseRefs: string[]; sector?: string; actors: ActorType[] }> {
  const o = await db.observation.findUnique({ where: { id: args.observationId }, include: { case: true, author: true } });
  const use = o ? usableSource(o, args.platform.id) : 'unknown';
  if (!o || use === 'unknown') throw new Refusal('errors.unknownObservation', { id: args.observationId });
  if (use === 'hidden') throw new Refusal('errors.practiceObservationHidden', { ids: `#${o.id}` });
  return {
    description: o.text,
    observationIds: [o.id],
    caseRefs: o.case ? [o.case.ref] : [],
    sector: o.case?.naceSection ?? undefined,
    actors: actorsOf(o.author.actorType ? [o.author.actorType] : []),
  };
}
