/**
 * Clauses of the codes of conduct, their versions and amendments. Every change is a new row: a
 * new version, an amendment, a recorded decision; nothing is overwritten. Only the convenor of
 * the clause's working group (the clause's author when it has no group) decides on amendments.
 */
import { z } from 'zod';
import type { Amendment, Clause, ClauseVersion, Member, PrismaClient, WorkingGroup } from '../../db/client.js';
import type { Db } from '../groups.js';
import { CaseRef } from '../ids.js';
import { Refusal } from '../refusal.js';
import { nameOrFormer } from '../data-rights/former.js';
import { STAGES, type Stage } from '../vocabulary.js';
import { clauseRef, nextClauseNumber, type ClauseRef } from './numbering.js';

export const MAX_CLAUSE_TEXT = 4000;

const ClauseText = z.string().trim().min(1, 'errors.required').max(MAX_CLAUSE_TEXT, 'errors.clauseTextTooLong');

export const ClauseInput = z.object({
  stage: z.enum(STAGES, { message: 'errors.stage' }),
  title: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  text: ClauseText,
  rationale: z.string().trim().max(2000, 'errors.tooLong').optional(),
  groupId: z.number().int().positive().optional(),
  observationIds: z.array(z.number({ message: 'errors.observationIds' }).int('errors.observationIds').positive('errors.observationIds')).max(20, 'errors.tooMany').default([]),
  caseRefs: z.array(CaseRef).max(20, 'errors.tooMany').default([]),
});
export type ClauseInput = z.input<typeof ClauseInput>;
export type ValidClause = z.output<typeof ClauseInput>;

export const AmendmentInput = z.object({
  text: ClauseText,
  reason: z.string().trim().min(1, 'errors.reasonRequired').max(2000, 'errors.tooLong'),
});
export type AmendmentInput = z.infer<typeof AmendmentInput>;

export const DecisionReason = z.string().trim().min(1, 'errors.reasonRequired').max(2000, 'errors.tooLong');

/** What a field of the clause form got wrong, for the form to show beside the field. */
export class ClauseFieldProblem extends Refusal {
  constructor(
    readonly field: string,
    key: string,
    params: Record<string, unknown> = {},
  ) {
    super(key, params);
  }
}

/** Creates the clause (draft), its version 1 and its links, numbered within its stage, all at once. */
export async function createClause(db: PrismaClient, args: { platformId: string; author: Member; input: ValidClause }): Promise<Clause> {
  const { platformId, author, input } = args;
  return db.$transaction(async (tx) => {
    if (input.groupId !== undefined) {
      const group = await tx.workingGroup.findUnique({ where: { id: input.groupId } });
      if (!group || (group.platformId !== null && group.platformId !== platformId)) throw new ClauseFieldProblem('group', 'errors.unknownGroupId');
    }
    const observationIds = [...new Set(input.observationIds)];
    const found = await tx.observation.findMany({ where: { id: { in: observationIds }, withdrawnAt: null }, select: { id: true } });
    const missing = observationIds.filter((id) => !found.some((o) => o.id === id));
    if (missing.length) throw new ClauseFieldProblem('observations', 'errors.unknownObservations', { ids: missing.map((id) => `#${id}`).join(', ') });
    const caseRefs = [...new Set(input.caseRefs)];
    const cases = await tx.case.findMany({ where: { ref: { in: caseRefs } }, select: { id: true, ref: true } });
    const unknown = caseRefs.filter((ref) => !cases.some((c) => c.ref === ref));
    if (unknown.length) throw new ClauseFieldProblem('cases', 'errors.unknownCases', { refs: unknown.join(', ') });

    const number = await nextClauseNumber(tx, platformId, input.stage);
    const clause = await tx.clause.create({
      data: { code: platformId, stage: input.stage, number, groupId: input.groupId, createdById: author.id },
    });
    await tx.clauseVersion.create({
      data: { clauseId: clause.id, version: 1, title: input.title, text: input.text, rationale: input.rationale, authorId: author.id },
    });
    for (const observationId of observationIds) await tx.clauseLink.create({ data: { clauseId: clause.id, observationId } });
    for (const c of cases) await tx.clauseLink.create({ data: { clauseId: clause.id, caseId: c.id } });
    return clause;
  });
}

export interface ClauseDetails {
  clause: Clause & { group: WorkingGroup | null };
  ref: string;
  /** Oldest first; the last is the current text. */
  versions: ClauseVersion[];
  current: ClauseVersion;
  openAmendments: Amendment[];
  decidedAmendments: Amendment[];
  links: { observationIds: number[]; caseRefs: string[] };
  /** Display names of everyone the card names, by member id. */
  names: Map<number, string>;
  convenorId: number;
}

export const convenorOf = (clause: Clause & { group: WorkingGroup | null }): number => clause.group?.convenorId ?? clause.createdById;

async function findClause(db: Db, ref: ClauseRef) {
  const clause = await db.clause.findUnique({
    where: { code_stage_number: { code: ref.code, stage: ref.stage, number: ref.number } },
    include: { group: true },
  });
  if (!clause) throw new Refusal('errors.unknownClause', { ref: ref.ref });
  return clause;
}

export async function clauseDetails(db: PrismaClient, ref: ClauseRef): Promise<ClauseDetails> {
  const clause = await findClause(db, ref);
  const [versions, amendments, links] = await Promise.all([
    db.clauseVersion.findMany({ where: { clauseId: clause.id }, orderBy: { version: 'asc' } }),
    db.amendment.findMany({ where: { clauseId: clause.id }, orderBy: { id: 'asc' } }),
    db.clauseLink.findMany({ where: { clauseId: clause.id }, orderBy: { id: 'asc' } }),
  ]);
  const caseIds = links.flatMap((l) => (l.caseId ? [l.caseId] : []));
  const cases = caseIds.length ? await db.case.findMany({ where: { id: { in: caseIds } }, select: { ref: true } }) : [];
  const memberIds = [...new Set([...versions.map((v) => v.authorId), ...amendments.flatMap((a) => [a.authorId, ...(a.decidedById ? [a.decidedById] : [])]), convenorOf(clause)])];
  const members = await db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, displayName: true, externalId: true, forgottenAt: true, actorType: true, country: true } });
  return {
    clause,
    ref: clauseRef(clause),
    versions,
    current: versions.at(-1)!,
    openAmendments: amendments.filter((a) => a.status === 'open'),
    decidedAmendments: amendments.filter((a) => a.status !== 'open'),
    links: { observationIds: links.flatMap((l) => (l.observationId ? [l.observationId] : [])), caseRefs: cases.map((c) => c.ref) },
    names: new Map(members.map((m) => [m.id, nameOrFormer(m, m.externalId)])),
    convenorId: convenorOf(clause),
  };
}

function mustBeDraft(clause: Clause, ref: string): void {
  if (clause.status !== 'draft') throw new Refusal('errors.clauseClosed', { ref, status: clause.status });
}

function mustBeConvenor(clause: Clause & { group: WorkingGroup | null }, memberId: number, ref: string): void {
  if (convenorOf(clause) !== memberId) throw new Refusal('errors.notClauseConvenor', { ref });
}

/** Checks that the clause can still be amended, before a form is opened. */
export async function checkAmendable(db: PrismaClient, ref: ClauseRef): Promise<ClauseDetails> {
  const details = await clauseDetails(db, ref);
  mustBeDraft(details.clause, details.ref);
  return details;
}

export async function proposeAmendment(db: PrismaClient, args: { ref: ClauseRef; author: Member; input: AmendmentInput }): Promise<Amendment> {
  return db.$transaction(async (tx) => {
    const clause = await findClause(tx, args.ref);
    mustBeDraft(clause, args.ref.ref);
    const current = await tx.clauseVersion.findFirstOrThrow({ where: { clauseId: clause.id }, orderBy: { version: 'desc' } });
    if (current.text === args.input.text) throw new ClauseFieldProblem('text', 'errors.amendmentUnchanged');
    return tx.amendment.create({
      data: { clauseId: clause.id, baseVersion: current.version, text: args.input.text, reason: args.input.reason, authorId: args.author.id },
    });
  });
}

async function openAmendment(tx: Db, amendmentId: number) {
  const amendment = await tx.amendment.findUnique({ where: { id: amendmentId }, include: { clause: { include: { group: true } } } });
  if (!amendment) throw new Refusal('errors.unknownAmendment', { id: amendmentId });
  const ref = clauseRef(amendment.clause);
  if (amendment.status !== 'open') throw new Refusal('errors.amendmentDecided', { id: amendmentId, ref, status: amendment.status });
  return { amendment, clause: amendment.clause, ref };
}

/** Checks that `memberId` may decide on the amendment now (before a rejection form is opened). */
export async function checkCanDecide(db: PrismaClient, amendmentId: number, memberId: number): Promise<{ ref: string }> {
  const { clause, ref } = await openAmendment(db, amendmentId);
  mustBeConvenor(clause, memberId, ref);
  mustBeDraft(clause, ref);
  return { ref };
}

/** The convenor accepts the amendment: its text becomes the clause's next version. */
export async function acceptAmendment(db: PrismaClient, args: { amendmentId: number; by: Member }): Promise<{ ref: string; version: ClauseVersion }> {
  return db.$transaction(async (tx) => {
    const { amendment, clause, ref } = await openAmendment(tx, args.amendmentId);
    mustBeConvenor(clause, args.by.id, ref);
    mustBeDraft(clause, ref);
    const version = await applyAmendment(tx, amendment, args.by.id, ref);
    return { ref, version };
  });
}

/**
 * Makes an open amendment the clause's next version and marks it accepted by `byId` (the convenor,
 * or whoever opened the ranked vote that chose it). Inside the caller's transaction.
 */
export async function applyAmendment(tx: Db, amendment: Amendment, byId: number, ref: string): Promise<ClauseVersion> {
  const current = await tx.clauseVersion.findFirstOrThrow({ where: { clauseId: amendment.clauseId }, orderBy: { version: 'desc' } });
  const version = await tx.clauseVersion.create({
    data: {
      clauseId: amendment.clauseId,
      version: current.version + 1,
      title: current.title,
      text: amendment.text,
      rationale: current.rationale,
      authorId: amendment.authorId,
      fromAmendmentId: amendment.id,
    },
  });
  const decided = await tx.amendment.updateMany({
    where: { id: amendment.id, status: 'open' },
    data: { status: 'accepted', decidedById: byId, decidedAt: new Date() },
  });
  if (decided.count !== 1) throw new Refusal('errors.amendmentDecided', { id: amendment.id, ref, status: 'accepted' });
  await tx.clause.update({ where: { id: amendment.clauseId }, data: { updatedAt: new Date() } });
  return version;
}

export async function rejectAmendment(db: PrismaClient, args: { amendmentId: number; by: Member; reason: string }): Promise<{ ref: string }> {
  return db.$transaction(async (tx) => {
    const { amendment, clause, ref } = await openAmendment(tx, args.amendmentId);
    mustBeConvenor(clause, args.by.id, ref);
    mustBeDraft(clause, ref);
    await tx.amendment.update({
      where: { id: amendment.id },
      data: { status: 'rejected', decidedById: args.by.id, decisionReason: args.reason, decidedAt: new Date() },
    });
    return { ref };
  });
}

/** The convenor withdraws a draft clause: it stays, with its versions, and takes no more amendments. */
export async function withdrawClause(db: PrismaClient, args: { ref: ClauseRef; by: Member }): Promise<{ ref: string }> {
  return db.$transaction(async (tx) => {
    const clause = await findClause(tx, args.ref);
    mustBeConvenor(clause, args.by.id, args.ref.ref);
    mustBeDraft(clause, args.ref.ref);
    await tx.clause.update({ where: { id: clause.id }, data: { status: 'withdrawn' } });
    return { ref: args.ref.ref };
  });
}

export interface CodeStage {
  stage: Stage;
  adopted: Array<{ ref: string; title: string; text: string }>;
  drafts: number;
}

/** A code's adopted clauses by stage (current text), with how many drafts each stage has in progress. */
export async function codeByStage(db: PrismaClient, code: string): Promise<CodeStage[]> {
  const clauses = await db.clause.findMany({
    where: { code, status: { in: ['adopted', 'draft'] } },
    orderBy: { number: 'asc' },
    include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
  });
  return STAGES.map((stage) => {
    const here = clauses.filter((c) => c.stage === stage);
    return {
      stage,
      adopted: here.filter((c) => c.status === 'adopted').map((c) => ({ ref: clauseRef(c), title: c.versions[0]!.title, text: c.versions[0]!.text })),
      drafts: here.filter((c) => c.status === 'draft').length,
    };
  });
}
