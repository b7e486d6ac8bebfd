/** The scheduled work of a vote: its reminder 24 hours before closing, and its closing. */
import type { PrismaClient, Vote } from '../../db/client.js';
import type { Logger } from '../../log.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { ChatChannel, PlatformDirectory } from '../platforms.js';
import { shareClauseCard } from '../clauses/clause-card.js';
import { clauseRef, ClauseRef } from '../clauses/numbering.js';
import { scheduleReminder } from './participation.js';
import { closeVote, refreshVoteCard } from './votes.js';

type Deps = { db: PrismaClient; platforms: PlatformDirectory; scheduler: Scheduler };

/** Registers a vote's reminder and closing (the closing at its time, or at once if it passed). */
export function scheduleVote(deps: Deps, vote: Pick<Vote, 'id' | 'closesAt' | 'createdAt'>): void {
  scheduleReminder(deps, vote);
  deps.scheduler.at(`vote-close:${vote.id}`, vote.closesAt, async () => {
    await closeVote(deps.db, deps.platforms, vote.id);
    await shareClauseAfterVote(deps, vote.id);
  });
}

/** The clause's card in the vote's channel shows its new status (and, after a ranked vote, its new text). */
async function shareClauseAfterVote(deps: Deps, voteId: number): Promise<void> {
  const vote = await deps.db.vote.findUniqueOrThrow({ where: { id: voteId }, include: { clause: true } });
  const platform = deps.platforms.get(vote.clause.code);
  if (!platform) return;
  await shareClauseCard(deps.db, { ref: ClauseRef.parse(clauseRef(vote.clause)), platform, channel: vote.channel as ChatChannel, conversationId: vote.conversationId });
}

/** At start-up: every open vote's reminder and closing, including those whose time passed while the bot was down. */
export async function scheduleOpenVotes(deps: Deps & { log: Logger }): Promise<number> {
  const open = await deps.db.vote.findMany({ where: { status: 'open' }, select: { id: true, closesAt: true, createdAt: true } });
  const now = deps.scheduler.now();
  for (const vote of open) {
    // A ballot stored just before a crash may not have reached the card yet (a vote closing now gets its result card instead).
    if (vote.closesAt > now) await refreshVoteCard(deps.db, deps.platforms, vote.id);
    scheduleVote(deps, vote);
  }
  if (open.length) deps.log.info({ votes: open.map((v) => v.id) }, 'open votes scheduled to close');
  return open.length;
}
