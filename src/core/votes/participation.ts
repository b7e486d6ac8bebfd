/**
 * Who has voted, for those who run a vote: the participation view of the convenor and the
 * secretariat, and the reminders sent to members who have not voted 24 hours before closing.
 *
 * Anonymous votes: while the vote is open its secret turns each eligible member into their voter
 * key, so Passerelle can tell who has voted (to remind the others) without reading anyone's
 * choice. The participation view of an anonymous vote gives numbers only, never names.
 */
import type { Member, PrismaClient } from '../../db/client.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { translator } from '../../../templates/i18n.js';
import { closingTime, reminderView } from '../../../templates/vote-views.js';
import { clauseRef, type ClauseRef } from '../clauses/numbering.js';
import { convenorOf } from '../clauses/clauses.js';
import { directTo } from '../direct.js';
import type { Db } from '../groups.js';
import { enqueue } from '../outbox.js';
import type { PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { eligibleMembers, findClause, voterKey } from './votes.js';

export const REMINDER_BEFORE_CLOSING_MS = 24 * 3_600_000;

/** The eligible members of an open vote, split by whether they have voted. */
async function turnout(db: Db, voteId: number) {
  const vote = await db.vote.findUniqueOrThrow({ where: { id: voteId }, include: { clause: { include: { versions: { orderBy: { version: 'desc' }, take: 1 } } } } });
  const members = await eligibleMembers(db, vote, vote.clause);
  const keys = new Set((await db.ballot.findMany({ where: { voteId }, select: { voterKey: true } })).map((b) => b.voterKey));
  const voted: Member[] = [];
  const notYet: Member[] = [];
  for (const m of members) (keys.has(voterKey(vote, m.id)) ? voted : notYet).push(m);
  return { vote, voted, notYet };
}

export interface Participation {
  ref: string;
  voteId: number;
  anonymous: boolean;
  status: string;
  closesAt: Date;
  eligible: number;
  cast: number;
  /** Named votes only: who has not voted yet (open votes), to be reminded in person if need be. */
  notYet?: string[];
}

/** The participation in the latest vote on a clause, for its convenor or the secretariat. */
export async function participationOf(db: PrismaClient, args: { ref: ClauseRef; member: Member; secretariat: boolean }): Promise<Participation> {
  const clause = await findClause(db, args.ref);
  if (convenorOf(clause) !== args.member.id && !args.secretariat) throw new Refusal('errors.participationWho', { ref: args.ref.ref });
  const latest = await db.vote.findFirst({ where: { clauseId: clause.id }, orderBy: { id: 'desc' } });
  if (!latest) throw new Refusal('errors.noVote', { ref: args.ref.ref });
  const base = { ref: args.ref.ref, voteId: latest.id, anonymous: latest.anonymous, status: latest.status, closesAt: latest.closesAt };
  if (latest.status !== 'open') {
    const result = latest.result as { eligible: number; cast: number };
    return { ...base, eligible: result.eligible, cast: result.cast };
  }
  const { voted, notYet } = await turnout(db, latest.id);
  const names = latest.anonymous ? {} : { notYet: notYet.map((m) => m.displayName ?? m.externalId) };
  return { ...base, eligible: voted.length + notYet.length, cast: voted.length, ...names };
}

/**
 * Sends each eligible member who has not voted a direct message, once: the message is keyed by the
 * vote, so a run repeated after a crash updates the same message instead of sending a second one.
 * Nothing is sent once the vote is closed. Returns how many were reminded.
 */
export async function remindNonVoters(db: PrismaClient, platforms: PlatformDirectory, voteId: number, now = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const { vote, notYet } = await turnout(tx, voteId);
    if (vote.status !== 'open' || vote.closesAt <= now) return 0;
    const platform = platforms.get(vote.clause.code);
    if (!platform) return 0;
    for (const member of notYet) {
      const language = member.language ?? platform.languages[0]!;
      const to = directTo(member);
      const t = translator(language, to.channel);
      await enqueue(tx, {
        ...to,
        messageKey: `vote-reminder:${vote.id}`,
        view: reminderView(t, {
          ref: clauseRef(vote.clause),
          title: vote.clause.versions[0]!.title,
          platform: platform.name,
          closesAt: vote.closesAt,
          fallback: closingTime(vote.closesAt, platform.timezone),
        }),
        locale: language,
      });
    }
    return notYet.length;
  });
}

/** Registers the reminder of one vote, 24 hours before it closes (none if it opened later than that). */
export function scheduleReminder(deps: { db: PrismaClient; platforms: PlatformDirectory; scheduler: Scheduler }, vote: { id: number; closesAt: Date; createdAt: Date }): void {
  const at = new Date(vote.closesAt.getTime() - REMINDER_BEFORE_CLOSING_MS);
  if (at <= vote.createdAt) return;
  deps.scheduler.at(`vote-remind:${vote.id}`, at, async () => {
    await remindNonVoters(deps.db, deps.platforms, vote.id, deps.scheduler.now());
  });
}
