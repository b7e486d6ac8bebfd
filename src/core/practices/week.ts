/**
 * What a weekly digest says about practices: the practices described in a span, and the
 * assessments made or changed in it, for a digest section "new practices and assessments".
 *
 * `platformId` (or `platformIds`, for a digest that covers several platforms) keeps the practices of
 * those platforms and the assessments of their practices; `country` adds the assessments made for
 * that country (the platform's members judging other countries' practices). Neither: everything.
 * Lists are cut to `top` items (newest first), `more` says how many were left out; counts are whole.
 */
import type { PrismaClient } from '../../db/client.js';
import { actorsOf } from './practices.js';
import { VERDICTS, type Verdict } from './assessments.js';
import type { ActorType } from '../vocabulary.js';

export interface WeekPractice {
  ref: string;
  title: string;
  platformId: string;
  /** Of origin, as Eurostat writes it. */
  country: string;
  sector: string | null;
  actors: ActorType[];
  /** The actor type of the member who described it. */
  authorActorType: string | null;
  sources: { observations: number; cases: number };
  createdAt: Date;
}

export interface WeekAssessment {
  practiceRef: string;
  practiceTitle: string;
  practicePlatformId: string;
  practiceCountry: string;
  /** The country it was assessed for. */
  country: string;
  verdict: Verdict;
  /** The assessor's actor type (never their name). */
  assessorActorType: string | null;
  /** Made before the span and changed in it. */
  changed: boolean;
  at: Date;
}

export interface PracticesOfWeek {
  practices: WeekPractice[];
  assessments: WeekAssessment[];
  counts: { practices: number; assessments: number; byVerdict: Record<Verdict, number> };
  more: { practices: number; assessments: number };
}

export async function practicesOfWeek(
  db: PrismaClient,
  options: { platformId?: string; platformIds?: string[]; country?: string; from: Date; to: Date; top?: number },
): Promise<PracticesOfWeek> {
  const top = options.top ?? 8;
  const platforms = [...(options.platformId ? [options.platformId] : []), ...(options.platformIds ?? [])];
  const span = { gte: options.from, lt: options.to };
  const practiceWhere = { createdAt: span, ...(platforms.length ? { platformId: { in: platforms } } : {}) };
  const assessmentWhere = {
    updatedAt: span,
    ...(platforms.length
      ? { OR: [{ practice: { platformId: { in: platforms } } }, ...(options.country ? [{ country: options.country }] : [])] }
      : options.country
        ? { country: options.country }
        : {}),
  };

  const [practiceRows, practiceCount, assessmentRows, verdictCounts] = await Promise.all([
    db.practice.findMany({
      where: practiceWhere,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: top,
      include: { sources: { select: { observationId: true, caseId: true } } },
    }),
    db.practice.count({ where: practiceWhere }),
    db.practiceAssessment.findMany({
      where: assessmentWhere,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: top,
      include: { practice: { select: { ref: true, title: true, platformId: true, country: true } } },
    }),
    db.practiceAssessment.groupBy({ by: ['verdict'], where: assessmentWhere, _count: { _all: true } }),
  ]);

  const memberIds = [...new Set([...practiceRows.map((p) => p.createdById), ...assessmentRows.map((a) => a.assessorId)])];
  const members = memberIds.length ? await db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, actorType: true } }) : [];
  const actorType = (id: number) => members.find((m) => m.id === id)?.actorType ?? null;

  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const row of verdictCounts) if ((VERDICTS as readonly string[]).includes(row.verdict)) byVerdict[row.verdict as Verdict] = row._count._all;
  const assessmentCount = Object.values(byVerdict).reduce((a, b) => a + b, 0);

  return {
    practices: practiceRows.map((p) => ({
      ref: p.ref,
      title: p.title,
      platformId: p.platformId,
      country: p.country,
      sector: p.sector,
      actors: actorsOf(p.actors),
      authorActorType: actorType(p.createdById),
      sources: { observations: p.sources.filter((s) => s.observationId !== null).length, cases: p.sources.filter((s) => s.caseId !== null).length },
      createdAt: p.createdAt,
    })),
    assessments: assessmentRows.map((a) => ({
      practiceRef: a.practice.ref,
      practiceTitle: a.practice.title,
      practicePlatformId: a.practice.platformId,
      practiceCountry: a.practice.country,
      country: a.country,
      verdict: a.verdict as Verdict,
      assessorActorType: actorType(a.assessorId),
      changed: a.createdAt < options.from,
      at: a.updatedAt,
    })),
    counts: { practices: practiceCount, assessments: assessmentCount, byVerdict },
    more: { practices: Math.max(0, practiceCount - practiceRows.length), assessments: Math.max(0, assessmentCount - assessmentRows.length) },
  };
}
