/**
 * Transferability of a practice: members of another country say whether it would travel there —
 * as is, with adaptation, or not — which legal or social conditions help or stand in the way, and
 * which actors would have to carry it. One assessment per member, practice and country; assessing
 * again changes it. Nobody assesses a practice for its own country.
 */
import { z } from 'zod';
import type { Member, PracticeAssessment, PrismaClient } from '../../db/client.js';
import type { Platform } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { ACTOR_TYPES, COUNTRIES, normaliseCountry, type ActorType } from '../vocabulary.js';
import { actorsOf, findPractice, MAX_PRACTICE_NOTE, PracticeFieldProblem, type Db } from './practices.js';

export const VERDICTS = ['as-is', 'with-adaptation', 'not-transferable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * An assessment. A practice that does not travel, or travels only with adaptation, must say what
 * stands in the way; one that travels as is, what helps or what stands in the way. Who would carry
 * it is asked unless it does not travel.
 */
export const AssessmentInput = z
  .object({
    verdict: z.enum(VERDICTS, { message: 'errors.verdict' }),
    helping: z.string().trim().max(MAX_PRACTICE_NOTE, 'errors.tooLong').optional(),
    hindering: z.string().trim().max(MAX_PRACTICE_NOTE, 'errors.tooLong').optional(),
    carriers: z
      .array(z.enum(ACTOR_TYPES, { message: 'errors.actorType' }))
      .default([])
      .transform((list) => ACTOR_TYPES.filter((a) => list.includes(a))),
  })
  .superRefine((a, ctx) => {
    if (a.verdict !== 'as-is' && !a.hindering) {
      ctx.addIssue({ code: 'custom', path: ['hindering'], message: a.verdict === 'not-transferable' ? 'errors.assessWhyNot' : 'errors.assessWhatToAdapt' });
    }
    if (a.verdict === 'as-is' && !a.helping && !a.hindering) ctx.addIssue({ code: 'custom', path: ['helping'], message: 'errors.assessConditions' });
    if (a.verdict !== 'not-transferable' && a.carriers.length === 0) ctx.addIssue({ code: 'custom', path: ['carriers'], message: 'errors.assessCarriers' });
  });
export type AssessmentInput = z.input<typeof AssessmentInput>;
export type ValidAssessment = z.output<typeof AssessmentInput>;

/**
 * The countries a member may assess for: their platform's country and their own (profile)
 * country. On the international platform, their own only.
 */
export function countriesOf(member: Pick<Member, 'country'>, platform: Platform): string[] {
  return [...new Set([platform.country, member.country].filter((c): c is string => !!c))];
}

/**
 * The country an assessment is for: the one named (as Eurostat writes it), or the member's first
 * country; refused for the practice's own country and for a country that is not the member's.
 */
export async function checkCanAssess(
  db: Db,
  args: { ref: string; country?: string; member: Pick<Member, 'country'>; platform: Platform },
): Promise<{ practiceId: number; ref: string; title: string; practiceCountry: string; country: string }> {
  const practice = await findPractice(db, args.ref);
  const mine = countriesOf(args.member, args.platform);
  const country = args.country ? normaliseCountry(args.country) : mine[0];
  if (!country) throw new Refusal('errors.assessNeedsCountry');
  if (!(COUNTRIES as readonly string[]).includes(country)) throw new Refusal('errors.country');
  if (country === practice.country) throw new Refusal('errors.assessOwnCountry', { ref: practice.ref, country });
  if (!mine.includes(country)) throw new Refusal('errors.assessNotYourCountry', { country, countries: mine.join(', ') || '—' });
  return { practiceId: practice.id, ref: practice.ref, title: practice.title, practiceCountry: practice.country, country };
}

/** The member's own assessment of the practice for the country, if they made one. */
export function ownAssessment(db: PrismaClient, args: { practiceId: number; country: string; memberId: number }): Promise<PracticeAssessment | null> {
  return db.practiceAssessment.findUnique({
    where: { practiceId_country_assessorId: { practiceId: args.practiceId, country: args.country, assessorId: args.memberId } },
  });
}

/** Records the member's assessment, or changes the one they made. `changed`: there was one already. */
export async function assessPractice(
  db: PrismaClient,
  args: {
    ref: string;
    country: string;
    member: Member;
    platform: Platform;
    input: ValidAssessment;
    afterSave?: (tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], practiceRef: string) => Promise<void>;
  },
): Promise<{ assessment: PracticeAssessment; changed: boolean; ref: string; country: string }> {
  return db.$transaction(async (tx) => {
    const target = await checkCanAssess(tx, { ref: args.ref, country: args.country, member: args.member, platform: args.platform });
    const key = { practiceId: target.practiceId, country: target.country, assessorId: args.member.id };
    const data = { verdict: args.input.verdict, helping: args.input.helping ?? null, hindering: args.input.hindering ?? null, carriers: args.input.carriers };
    const before = await tx.practiceAssessment.findUnique({ where: { practiceId_country_assessorId: key }, select: { id: true } });
    const assessment = before
      ? await tx.practiceAssessment.update({ where: { id: before.id }, data })
      : await tx.practiceAssessment.create({ data: { ...key, ...data } });
    await args.afterSave?.(tx, target.ref);
    return { assessment, changed: !!before, ref: target.ref, country: target.country };
  });
}

export interface CountryColumn {
  country: string;
  counts: Record<Verdict, number>;
  total: number;
  /** Actor types that would carry it, with how many assessments name each, most named first. */
  carriers: Array<{ actorType: ActorType; count: number }>;
  /** Conditions quoted, newest first. */
  conditions: Array<{ verdict: Verdict; kind: 'helping' | 'hindering'; text: string; actorType: string | null }>;
}

/** The matrix of countries × verdicts: counts per verdict per country, carriers and conditions quoted. */
export function matrixOf(assessments: Array<PracticeAssessment & { assessor: { actorType: string | null } }>): CountryColumn[] {
  const columns = new Map<string, CountryColumn>();
  for (const a of assessments) {
    let col = columns.get(a.country);
    if (!col) {
      col = { country: a.country, counts: { 'as-is': 0, 'with-adaptation': 0, 'not-transferable': 0 }, total: 0, carriers: [], conditions: [] };
      columns.set(a.country, col);
    }
    const verdict = (VERDICTS as readonly string[]).includes(a.verdict) ? (a.verdict as Verdict) : 'not-transferable';
    col.counts[verdict] += 1;
    col.total += 1;
    for (const actorType of actorsOf(a.carriers)) {
      const seen = col.carriers.find((c) => c.actorType === actorType);
      if (seen) seen.count += 1;
      else col.carriers.push({ actorType, count: 1 });
    }
    const quoted = (['helping', 'hindering'] as const).flatMap((kind) => (a[kind] ? [{ verdict, kind, text: a[kind]!, actorType: a.assessor.actorType }] : []));
    col.conditions.unshift(...quoted);
  }
  for (const col of columns.values()) col.carriers.sort((x, y) => y.count - x.count || ACTOR_TYPES.indexOf(x.actorType) - ACTOR_TYPES.indexOf(y.actorType));
  return [...columns.values()].sort((a, b) => a.country.localeCompare(b.country));
}
