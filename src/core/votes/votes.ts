/**
 * Votes on clauses (issue 4): opening one on a draft clause, ballots cast from the vote card, and the
 * closing at the vote's time, run once by the scheduler. The rules and the tally are pure (rules.ts,
 * tally.ts); this file keeps the rows and the card in step, through the outbox.
 *
 * Eligible voters are computed when a ballot is cast and again at closing (never stored):
 * - 'group': the members of the clause's working group;
 * - 'platform': the members Passerelle knows on the platform from its data — anyone who has filed an
 *   observation on the platform, or belongs to one of the platform's working groups — plus whoever
 *   opened the vote. Members carry no platform of their own, so someone who has only typed commands
 *   in the channel is not counted until they file an observation or join a group.
 *
 * Anonymous votes: a ballot's voter key is HMAC-SHA256(per-vote secret, member id); the secret is
 * deleted in the closing transaction, after which no row links a member to a choice.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Ballot as BallotRow, Clause, Member, PrismaClient, Vote } from '../../db/client.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { Logger } from '../../log.js';
import { translator } from '../../../templates/i18n.js';
import { voteCard, type RankedText, type VoteCardData } from '../../../templates/vote-views.js';
import type { Db } from '../groups.js';
import { enqueue } from '../outbox.js';
import type { ChatChannel, Platform, PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { applyAmendment, convenorOf } from '../clauses/clauses.js';
import { clauseRef, type ClauseRef } from '../clauses/numbering.js';
import { BallotInput, Rule, type RuleInput } from './rules.js';
import { tally, type Result, type Voter } from './tally.js';

export interface VoteSettings {
  rule: RuleInput;
  eligibility: 'group' | 'platform';
  anonymous: boolean;
  resultsHidden: boolean;
  reasonRequired: boolean;
  closesAt: Date;
}

/** Ranked options: the clause's current text, and amendments as `A<id>`. */
export const CURRENT_TEXT = 'current';
export const amendmentOption = (id: number) => `A${id}`;
const amendmentIdOf = (option: string) => (/^A\d+$/.test(option) ? Number(option.slice(1)) : undefined);

const cardKey = (voteId: number) => `vote:${voteId}`;
export const voterKey = (vote: Pick<Vote, 'anonymous' | 'secret'>, memberId: number) =>
  vote.anonymous ? createHmac('sha256', vote.secret!).update(String(memberId)).digest('hex') : String(memberId);

export async function findClause(db: Db, ref: ClauseRef) {
  const clause = await db.clause.findUnique({ where: { code_stage_number: { code: ref.code, stage: ref.stage, number: ref.number } }, include: { group: true } });
  if (!clause) throw new Refusal('errors.unknownClause', { ref: ref.ref });
  return clause;
}

/** Checks that `member` (the clause's convenor, or the secretariat) may open a vote on the clause now. */
export async function checkCanOpenVote(db: Db, ref: ClauseRef, member: Member, secretariat = false) {
  const clause = await findClause(db, ref);
  if (convenorOf(clause) !== member.id && !secretariat) throw new Refusal('errors.notClauseConvenor', { ref: ref.ref });
  if (clause.status === 'in-vote') throw new Refusal('errors.voteAlreadyOpen', { ref: ref.ref });
  if (clause.status !== 'draft') throw new Refusal('errors.clauseClosed', { ref: ref.ref, status: clause.status });
  return clause;
}

/** Ids per query: SQLite caps the bound parameters of one statement (a group of 1,000 would exceed it). */
const IDS_PER_QUERY = 500;

/** The members who may vote, with their actor types (for the colleges). */
export async function eligibleMembers(db: Db, vote: Pick<Vote, 'eligibility' | 'openedById'>, clause: Pick<Clause, 'groupId' | 'code'>): Promise<Member[]> {
  const ids = new Set<number>();
  if (vote.eligibility === 'group' && clause.groupId !== null) {
    for (const r of await db.groupMembership.findMany({ where: { groupId: clause.groupId }, select: { memberId: true } })) ids.add(r.memberId);
  } else {
    ids.add(vote.openedById);
    for (const m of await db.member.findMany({ where: { observations: { some: { platformId: clause.code } } }, select: { id: true } })) ids.add(m.id);
    for (const r of await db.groupMembership.findMany({ where: { group: { platformId: clause.code } }, select: { memberId: true } })) ids.add(r.memberId);
  }
  const all = [...ids].sort((a, b) => a - b);
  const out: Member[] = [];
  for (let i = 0; i < all.length; i += IDS_PER_QUERY) {
    // A member who asked to be forgotten votes no more (their open ballots were deleted with them).
    out.push(...(await db.member.findMany({ where: { id: { in: all.slice(i, i + IDS_PER_QUERY) }, forgottenAt: null }, orderBy: { id: 'asc' } })));
  }
  return out;
}

/** Whether one member may vote: the same rules as eligibleMembers, asked for that member alone. */
async function isEligible(db: Db, vote: Pick<Vote, 'eligibility' | 'openedById'>, clause: Clause, memberId: number): Promise<boolean> {
  if (vote.eligibility === 'group' && clause.groupId !== null) {
    return (await db.groupMembership.count({ where: { groupId: clause.groupId, memberId } })) > 0;
  }
  if (memberId === vote.openedById) return true;
  const [filed, grouped] = await Promise.all([
    db.observation.count({ where: { authorId: memberId, platformId: clause.code } }),
    db.groupMembership.count({ where: { memberId, group: { platformId: clause.code } } }),
  ]);
  return filed + grouped > 0;
}

/** How many may vote; a count, not the list, when the electorate is a working group. */
export async function electorateSize(db: Db, vote: Pick<Vote, 'eligibility' | 'openedById'>, clause: Pick<Clause, 'groupId' | 'code'>): Promise<number> {
  if (vote.eligibility === 'group' && clause.groupId !== null) return db.groupMembership.count({ where: { groupId: clause.groupId } });
  return (await eligibleMembers(db, vote, clause)).length;
}

export async function openVote(
  db: PrismaClient,
  args: { ref: ClauseRef; by: Member; secretariat?: boolean; platform: Platform; channel: ChatChannel; conversationId: string; settings: VoteSettings },
): Promise<Vote> {
  return db.$transaction(async (tx) => {
    const clause = await checkCanOpenVote(tx, args.ref, args.by, args.secretariat);
    const rule = Rule.parse(args.settings.rule.kind === 'ranked' ? { ...args.settings.rule, options: await rankedOptions(tx, clause.id, args.ref) } : args.settings.rule);
    const moved = await tx.clause.updateMany({ where: { id: clause.id, status: 'draft' }, data: { status: 'in-vote' } });
    if (moved.count !== 1) throw new Refusal('errors.voteAlreadyOpen', { ref: args.ref.ref });
    const s = args.settings;
    const vote = await tx.vote.create({
      data: {
        clauseId: clause.id,
        rule: rule as object,
        eligibility: s.eligibility === 'group' && clause.groupId !== null ? 'group' : 'platform',
        anonymous: s.anonymous,
        resultsHidden: s.resultsHidden,
        reasonRequired: s.reasonRequired,
        secret: s.anonymous ? randomBytes(32).toString('hex') : null,
        closesAt: s.closesAt,
        openedById: args.by.id,
        channel: args.channel,
        conversationId: args.conversationId,
      },
    });
    await queueCard(tx, vote.id, args.platform);
    return vote;
  });
}

/** A ranked vote's options: the current text, then the open amendments in filing order (`A12`). */
async function rankedOptions(tx: Db, clauseId: number, ref: ClauseRef): Promise<string[]> {
  const open = await tx.amendment.findMany({ where: { clauseId, status: 'open' }, orderBy: { id: 'asc' }, select: { id: true } });
  if (open.length === 0) throw new Refusal('errors.rankedNeedsAmendment', { ref: ref.ref });
  return [CURRENT_TEXT, ...open.map((a) => amendmentOption(a.id))];
}

async function loadVote(db: Db, voteId: number) {
  const vote = await db.vote.findUnique({ where: { id: voteId }, include: { clause: { include: { versions: { orderBy: { version: 'desc' }, take: 1 } } } } });
  if (!vote) throw new Refusal('errors.expired');
  return vote;
}

/** Posts or updates the vote card in its conversation. */
async function queueCard(tx: Db, voteId: number, platform: Platform): Promise<void> {
  const vote = await loadVote(tx, voteId);
  const language = platform.languages[0]!;
  const eligible = vote.status === 'open' ? await electorateSize(tx, vote, vote.clause) : (vote.result as unknown as Result).eligible;
  const ballots = await tx.ballot.findMany({ where: { voteId }, select: { choice: true } });
  const counts: Record<string, number> = {};
  for (const b of ballots) {
    // Ranked ballots count for their first preference while the vote is open.
    const choice = Array.isArray(b.choice) ? String(b.choice[0]) : String(b.choice);
    counts[choice] = (counts[choice] ?? 0) + 1;
  }
  const data: VoteCardData = {
    voteId,
    ref: clauseRef(vote.clause),
    title: vote.clause.versions[0]!.title,
    text: vote.clause.versions[0]!.text,
    rule: vote.rule as unknown as Rule,
    closesAt: vote.closesAt,
    timezone: platform.timezone,
    anonymous: vote.anonymous,
    resultsHidden: vote.resultsHidden,
    eligible,
    cast: ballots.length,
    counts: vote.resultsHidden ? undefined : counts,
    result: vote.status === 'closed' ? (vote.result as unknown as Result) : undefined,
    clauseStatus: vote.clause.status,
    texts: await rankedTexts(tx, vote.rule as unknown as Rule, vote.clause.versions[0]!.text),
  };
  await enqueue(tx, {
    channel: vote.channel as ChatChannel,
    conversationId: vote.conversationId,
    messageKey: cardKey(voteId),
    view: voteCard(translator(language, vote.channel as ChatChannel), data),
    locale: language,
  });
}

/** The texts of a ranked vote, in option order; undefined for the other rules. */
export async function rankedTexts(db: Db, rule: Rule, currentText: string): Promise<RankedText[] | undefined> {
  if (rule.kind !== 'ranked') return undefined;
  const ids = rule.options.map(amendmentIdOf).filter((id): id is number => id !== undefined);
  const amendments = new Map((await db.amendment.findMany({ where: { id: { in: ids } }, select: { id: true, text: true } })).map((a) => [a.id, a.text]));
  return rule.options.map((option) => {
    const id = amendmentIdOf(option);
    return { option, text: id === undefined ? currentText : (amendments.get(id) ?? '') };
  });
}

/** A ranked vote's texts for the ranking form (never prefilled with a ballot: a form may be seen by others). */
export async function rankingFor(db: Db, voteId: number, member: Member) {
  const { vote, ref } = await checkCanVote(db, voteId, member, '');
  const rule = vote.rule as unknown as Rule;
  if (rule.kind !== 'ranked') throw new Refusal('errors.expired');
  const current = await db.clauseVersion.findFirstOrThrow({ where: { clauseId: vote.clauseId }, orderBy: { version: 'desc' } });
  return { ref, texts: (await rankedTexts(db, rule, current.text))! };
}

/**
 * Checks that `member` may vote now (open, before its time, eligible); returns the vote, its clause
 * reference and whether the choice needs a reason first.
 */
export async function checkCanVote(db: Db, voteId: number, member: Member, choice: string, now = new Date()) {
  const vote = await db.vote.findUnique({ where: { id: voteId }, include: { clause: true } });
  if (!vote) throw new Refusal('errors.expired');
  const ref = clauseRef(vote.clause);
  if (vote.status !== 'open' || vote.closesAt <= now) throw new Refusal('errors.voteClosed', { ref });
  if (!(await isEligible(db, vote, vote.clause, member.id))) throw new Refusal('errors.voteIneligible', { ref });
  return { vote, ref, needsReason: vote.reasonRequired || choice === 'block' };
}

/** Something that refreshes a vote card soon (card-refresh.ts); without one, the card is queued at once. */
export interface CardRequests {
  request(voteId: number): void;
}

export type BallotOutcome = { recorded: true; closesAt: Date; ref: string } | { recorded: false; needsReason: true; ref: string };

/**
 * What a ballot needs to know of its vote that cannot change while the vote is open, kept per
 * process so that the common ballot is one SQL statement (see fastBallot). Only `status` changes
 * (at closing), and the statement checks it.
 */
interface OpenVoteFacts {
  ref: string;
  closesAt: Date;
  rule: Rule;
  anonymous: boolean;
  secret: string | null;
  reasonRequired: boolean;
  /** The working group whose members may vote; null when the whole platform may (no fast path). */
  groupId: number | null;
}
/** Per database (tests run several side by side), then per vote. */
const openVoteFacts = new WeakMap<object, Map<number, OpenVoteFacts>>();

async function factsOf(db: PrismaClient, voteId: number): Promise<OpenVoteFacts | undefined> {
  let facts = openVoteFacts.get(db);
  if (!facts) openVoteFacts.set(db, (facts = new Map()));
  const known = facts.get(voteId);
  if (known) return known;
  const vote = await db.vote.findUnique({ where: { id: voteId }, include: { clause: true } });
  if (!vote || vote.status !== 'open') return undefined;
  const found: OpenVoteFacts = {
    ref: clauseRef(vote.clause),
    closesAt: vote.closesAt,
    rule: vote.rule as unknown as Rule,
    anonymous: vote.anonymous,
    secret: vote.secret,
    reasonRequired: vote.reasonRequired,
    groupId: vote.eligibility === 'group' ? vote.clause.groupId : null,
  };
  if (facts.size >= 256) facts.delete(facts.keys().next().value!);
  facts.set(voteId, found);
  return found;
}

/**
 * The common ballot — a working group's vote, open, before its time, no reason needed — as one
 * statement: the ballot is written only if the vote is still open and the member still in the group,
 * checked in the same statement, so a closing or a removal in between (in any process) wins.
 * Anything else (or nothing written) goes the full way, which also finds the right refusal.
 */
async function fastBallot(db: PrismaClient, args: { voteId: number; member: Member; choice: string | string[]; reason?: string; now: Date }): Promise<BallotOutcome | undefined> {
  const facts = await factsOf(db, args.voteId);
  if (!facts || facts.groupId === null || facts.closesAt <= args.now) return undefined;
  const needsReason = facts.reasonRequired || args.choice === 'block';
  if (needsReason && !args.reason?.trim()) return { recorded: false, needsReason: true, ref: facts.ref };
  const ballot = BallotInput(facts.rule).safeParse({ voterId: String(args.member.id), choice: args.choice, reason: args.reason });
  if (!ballot.success) return undefined;
  const key = voterKey(facts, args.member.id);
  const written = await db.$executeRaw`
    INSERT INTO "Ballot" ("voteId", "voterKey", "choice", "reason", "castAt", "updatedAt")
    SELECT ${args.voteId}, ${key}, ${JSON.stringify(ballot.data.choice)}, ${ballot.data.reason ?? null}, ${args.now}, ${args.now}
    WHERE EXISTS (SELECT 1 FROM "Vote" WHERE "id" = ${args.voteId} AND "status" = 'open')
      AND EXISTS (SELECT 1 FROM "GroupMembership" WHERE "groupId" = ${facts.groupId} AND "memberId" = ${args.member.id})
    ON CONFLICT ("voteId", "voterKey") DO UPDATE SET "choice" = excluded."choice", "reason" = excluded."reason", "updatedAt" = excluded."updatedAt"`;
  return written === 1 ? { recorded: true, closesAt: facts.closesAt, ref: facts.ref } : undefined;
}

/**
 * Records or changes the member's ballot (one per member, changeable until closing); the same
 * click twice leaves one ballot. A choice that needs a reason, given none, records nothing and says
 * so (the caller asks for the reason). The card is refreshed after the ballot is stored, outside
 * its transaction: the ballot is acknowledged without waiting for a render.
 */
export async function castBallot(
  db: PrismaClient,
  args: { voteId: number; member: Member; choice: string | string[]; reason?: string; platforms: PlatformDirectory; cards?: CardRequests; now?: Date },
): Promise<BallotOutcome> {
  const now = args.now ?? new Date();
  const outcome =
    (await fastBallot(db, { ...args, now })) ??
    (await db.$transaction(async (tx): Promise<BallotOutcome> => {
      const single = typeof args.choice === 'string' ? args.choice : '';
      const { vote, ref, needsReason } = await checkCanVote(tx, args.voteId, args.member, single, now);
      if (needsReason && !args.reason?.trim()) return { recorded: false, needsReason: true, ref };
      const rule = vote.rule as unknown as Rule;
      const ballot = BallotInput(rule).parse({ voterId: String(args.member.id), choice: args.choice, reason: args.reason });
      const key = { voteId: vote.id, voterKey: voterKey(vote, args.member.id) };
      const data = { choice: ballot.choice as string | string[], reason: ballot.reason ?? null };
      await tx.ballot.upsert({ where: { voteId_voterKey: key }, create: { ...key, ...data }, update: data });
      return { recorded: true, closesAt: vote.closesAt, ref };
    }));
  if (outcome.recorded) {
    if (args.cards) args.cards.request(args.voteId);
    else await refreshVoteCard(db, args.platforms, args.voteId);
  }
  return outcome;
}

/** Queues the vote card as it stands (participation, live tallies, or the result). */
export async function refreshVoteCard(db: PrismaClient, platforms: PlatformDirectory, voteId: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const vote = await tx.vote.findUnique({ where: { id: voteId }, include: { clause: { select: { code: true } } } });
    const platform = vote && platforms.get(vote.clause.code);
    if (platform) await queueCard(tx, voteId, platform);
  });
}

/**
 * Closes the vote: tallies, stores the result once (a conditional update on the status), sets the
 * clause's status (no quorum: back to draft), deletes an anonymous vote's secret, and updates the
 * card with the result. Closing a closed vote does nothing.
 */
export async function closeVote(db: PrismaClient, platforms: PlatformDirectory, voteId: number, now = new Date()): Promise<Result | undefined> {
  return db.$transaction(async (tx) => {
    const vote = await loadVote(tx, voteId);
    if (vote.status !== 'open') return undefined;
    const rule = vote.rule as unknown as Rule;
    const members = await eligibleMembers(tx, vote, vote.clause);
    const eligible: Voter[] = members.map((m) => ({ voterId: voterKey(vote, m.id), actorType: m.actorType }));
    const rows: BallotRow[] = await tx.ballot.findMany({ where: { voteId }, orderBy: { updatedAt: 'asc' } });
    const result = tally(rule, eligible, rows.map((b) => ({ voterId: b.voterKey, choice: b.choice as string | string[], reason: b.reason ?? undefined })));
    const closed = await tx.vote.updateMany({
      where: { id: voteId, status: 'open' },
      data: { status: 'closed', closedAt: now, result: result as object, secret: null },
    });
    if (closed.count !== 1) return undefined;
    if (rule.kind === 'ranked') await applyRankedChoice(tx, vote, rule.options, result);
    else {
      const status = result.outcome === 'adopted' ? 'adopted' : result.outcome === 'rejected' ? 'rejected' : 'draft';
      await tx.clause.update({ where: { id: vote.clauseId }, data: { status } });
    }
    const platform = platforms.get(vote.clause.code);
    if (platform) await queueCard(tx, voteId, platform);
    return result;
  });
}

/**
 * A ranked vote chooses the text, not the adoption: the clause goes back to draft with the winning
 * text (an amendment that wins becomes the next version; the other amendments put to the vote are
 * rejected, with the vote as their reason). A tie or a missed quorum leaves the texts as they were.
 * Adopting the chosen text is then a consent, majority or multi-college vote.
 */
async function applyRankedChoice(tx: Db, vote: Vote & { clause: Clause }, options: readonly string[], result: Result): Promise<void> {
  await tx.clause.update({ where: { id: vote.clauseId }, data: { status: 'draft' } });
  if (result.outcome !== 'adopted' || !result.winner) return;
  const ref = clauseRef(vote.clause);
  const winner = amendmentIdOf(result.winner);
  if (winner !== undefined) {
    const amendment = await tx.amendment.findUnique({ where: { id: winner } });
    if (amendment?.status === 'open') await applyAmendment(tx, amendment, vote.openedById, ref);
  }
  const losers = options.map(amendmentIdOf).filter((id): id is number => id !== undefined && id !== winner);
  await tx.amendment.updateMany({
    where: { id: { in: losers }, status: 'open' },
    data: { status: 'rejected', decidedById: vote.openedById, decidedAt: new Date(), decisionReason: `ranked vote #${vote.id}: ${result.winner} chosen` },
  });
}
