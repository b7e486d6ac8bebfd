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
import { voteCard, type VoteCardData } from '../../../templates/vote-views.js';
import type { Db } from '../groups.js';
import { enqueue } from '../outbox.js';
import type { ChatChannel, Platform, PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { convenorOf } from '../clauses/clauses.js';
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

const cardKey = (voteId: number) => `vote:${voteId}`;
const voterKey = (vote: Pick<Vote, 'anonymous' | 'secret'>, memberId: number) =>
  vote.anonymous ? createHmac('sha256', vote.secret!).update(String(memberId)).digest('hex') : String(memberId);

async function findClause(db: Db, ref: ClauseRef) {
  const clause = await db.clause.findUnique({ where: { code_stage_number: { code: ref.code, stage: ref.stage, number: ref.number } }, include: { group: true } });
  if (!clause) throw new Refusal('errors.unknownClause', { ref: ref.ref });
  return clause;
}

/** Checks that `member` may open a vote on the clause now (before the form is shown). */
export async function checkCanOpenVote(db: Db, ref: ClauseRef, member: Member) {
  const clause = await findClause(db, ref);
  if (convenorOf(clause) !== member.id) throw new Refusal('errors.notClauseConvenor', { ref: ref.ref });
  if (clause.status === 'in-vote') throw new Refusal('errors.voteAlreadyOpen', { ref: ref.ref });
  if (clause.status !== 'draft') throw new Refusal('errors.clauseClosed', { ref: ref.ref, status: clause.status });
  return clause;
}

/** Ids per query: SQLite caps the bound parameters of one statement (a group of 1,000 would exceed it). */
const IDS_PER_QUERY = 500;

/** The members who may vote, with their actor types (for the colleges). */
async function eligibleMembers(db: Db, vote: Pick<Vote, 'eligibility' | 'openedById'>, clause: Clause): Promise<Array<{ id: number; actorType: string | null }>> {
  const ids = new Set<number>();
  if (vote.eligibility === 'group' && clause.groupId !== null) {
    for (const r of await db.groupMembership.findMany({ where: { groupId: clause.groupId }, select: { memberId: true } })) ids.add(r.memberId);
  } else {
    ids.add(vote.openedById);
    for (const m of await db.member.findMany({ where: { observations: { some: { platformId: clause.code } } }, select: { id: true } })) ids.add(m.id);
    for (const r of await db.groupMembership.findMany({ where: { group: { platformId: clause.code } }, select: { memberId: true } })) ids.add(r.memberId);
  }
  const all = [...ids].sort((a, b) => a - b);
  const out: Array<{ id: number; actorType: string | null }> = [];
  for (let i = 0; i < all.length; i += IDS_PER_QUERY) {
    out.push(...(await db.member.findMany({ where: { id: { in: all.slice(i, i + IDS_PER_QUERY) } }, select: { id: true, actorType: true }, orderBy: { id: 'asc' } })));
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
async function electorateSize(db: Db, vote: Pick<Vote, 'eligibility' | 'openedById'>, clause: Clause): Promise<number> {
  if (vote.eligibility === 'group' && clause.groupId !== null) return db.groupMembership.count({ where: { groupId: clause.groupId } });
  return (await eligibleMembers(db, vote, clause)).length;
}

export async function openVote(
  db: PrismaClient,
  args: { ref: ClauseRef; by: Member; platform: Platform; channel: ChatChannel; conversationId: string; settings: VoteSettings },
): Promise<Vote> {
  const rule = Rule.parse(args.settings.rule);
  return db.$transaction(async (tx) => {
    const clause = await checkCanOpenVote(tx, args.ref, args.by);
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
  for (const b of ballots) counts[b.choice as string] = (counts[b.choice as string] ?? 0) + 1;
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
  };
  await enqueue(tx, {
    channel: vote.channel as ChatChannel,
    conversationId: vote.conversationId,
    messageKey: cardKey(voteId),
    view: voteCard(translator(language, vote.channel as ChatChannel), data),
    locale: language,
  });
}

/**
 * Checks that `member` may vote now (open, before its time, eligible); returns the vote, its clause
 * reference and whether the choice needs a reason first.
 */
export async function checkCanVote(db: Db, voteId: number, member: Member, choice: string, now = new Date()) {
  const vote = await loadVote(db, voteId);
  const ref = clauseRef(vote.clause);
  if (vote.status !== 'open' || vote.closesAt <= now) throw new Refusal('errors.voteClosed', { ref });
  if (!(await isEligible(db, vote, vote.clause, member.id))) throw new Refusal('errors.voteIneligible', { ref });
  return { vote, ref, needsReason: vote.reasonRequired || choice === 'block' };
}

/**
 * Records or changes the member's ballot (one per member, changeable until closing); the same
 * click twice leaves one ballot. Returns the vote, for the confirmation.
 */
export async function castBallot(
  db: PrismaClient,
  args: { voteId: number; member: Member; choice: string; reason?: string; platforms: PlatformDirectory; now?: Date },
): Promise<Vote> {
  return db.$transaction(async (tx) => {
    const { vote } = await checkCanVote(tx, args.voteId, args.member, args.choice, args.now);
    const rule = vote.rule as unknown as Rule;
    if (vote.reasonRequired && !args.reason?.trim()) throw new Refusal('errors.reasonRequired');
    const ballot = BallotInput(rule).parse({ voterId: String(args.member.id), choice: args.choice, reason: args.reason });
    const key = { voteId: vote.id, voterKey: voterKey(vote, args.member.id) };
    const data = { choice: ballot.choice as string, reason: ballot.reason ?? null };
    await tx.ballot.upsert({ where: { voteId_voterKey: key }, create: { ...key, ...data }, update: data });
    const platform = args.platforms.get(vote.clause.code);
    if (platform) await queueCard(tx, vote.id, platform);
    return vote;
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
    const result = tally(rule, eligible, rows.map((b) => ({ voterId: b.voterKey, choice: b.choice as string, reason: b.reason ?? undefined })));
    const closed = await tx.vote.updateMany({
      where: { id: voteId, status: 'open' },
      data: { status: 'closed', closedAt: now, result: result as object, secret: null },
    });
    if (closed.count !== 1) return undefined;
    const status = result.outcome === 'adopted' ? 'adopted' : result.outcome === 'rejected' ? 'rejected' : 'draft';
    await tx.clause.update({ where: { id: vote.clauseId }, data: { status } });
    const platform = platforms.get(vote.clause.code);
    if (platform) await queueCard(tx, voteId, platform);
    return result;
  });
}

/** Registers the closing of one vote with the scheduler (at its time, or at once if it passed). */
export function scheduleClosing(deps: { db: PrismaClient; platforms: PlatformDirectory; scheduler: Scheduler }, vote: Pick<Vote, 'id' | 'closesAt'>): void {
  deps.scheduler.at(`vote-close:${vote.id}`, vote.closesAt, async () => {
    await closeVote(deps.db, deps.platforms, vote.id);
  });
}

/** At start-up: every open vote's closing, including those whose time passed while the bot was down. */
export async function scheduleOpenVotes(deps: { db: PrismaClient; platforms: PlatformDirectory; scheduler: Scheduler; log: Logger }): Promise<number> {
  const open = await deps.db.vote.findMany({ where: { status: 'open' }, select: { id: true, closesAt: true } });
  for (const vote of open) scheduleClosing(deps, vote);
  if (open.length) deps.log.info({ votes: open.map((v) => v.id) }, 'open votes scheduled to close');
  return open.length;
}
