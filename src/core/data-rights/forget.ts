/**
 * `me forget`: a member's right to erasure. Asked for with `me forget`, confirmed by the member
 * themselves with a button that carries a token bound to them (a PendingAction of kind `forget`,
 * an hour long); then, in one transaction:
 *
 * - the profile goes: display name, organisation, language and profile date are emptied, the chat
 *   user id is replaced by `forgotten:<random>` (the chat id no longer maps to the row: if they speak
 *   again they are a new member), `forgottenAt` is set; the actor type and country stay, so that what
 *   is kept reads "former member (union, FR)";
 * - their observations stay, attributed to that former member, unless they asked for them to be
 *   deleted: then each is withdrawn and its text, source link and chat event key are erased (the row
 *   stays as a tombstone, so that clause links and exchange agendas that cite its number do not point
 *   at nothing; a withdrawn observation is in no channel, digest or export). The takeaways of an
 *   exchange's minutes they recorded are the meeting's record, not their own testimony: they stay;
 * - ballots: in open votes they are deleted (named ones by member id, anonymous ones through the
 *   vote's secret, which still links them); in closed named votes they are re-keyed to a random key
 *   and their reason dropped, so only the counts remain (the stored result is not touched); closed
 *   anonymous ballots are already unlinkable;
 * - working-group memberships are removed. A group they convene keeps them as convenor (its clauses,
 *   versions and decisions keep their history, shown as "former member (…)"), and the group's
 *   platform is told in its channels (cross-border groups: the international platforms'); likewise an
 *   exchange they organised whose poll is still open, told to its platform;
 * - their answers to exchange polls still open are deleted; answers to confirmed or cancelled
 *   exchanges stay, as the former member's;
 * - clause versions, amendments, decisions, cases, practices, assessments and case indicators stay,
 *   as the former member's (they are the platform's shared record);
 * - parked steps, the messages of their direct conversation with the bot (outbox and posted-message
 *   rows, an export file among them) and, in Teams, the 1:1 conversation reference are deleted, and
 *   their user is taken out of the other conversation references of their tenant;
 * - the cards that named them (observation cards, clause cards, exchange cards) are updated through
 *   the outbox; open votes' cards too (participation changed);
 * - an AuditEntry `member-forgotten` records that an erasure happened: the chat tool, when, and
 *   counts — no name, no chat id, no member id.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Member, PrismaClient } from '../../db/client.js';
import { translator } from '../../../templates/i18n.js';
import { observationCard } from '../../../templates/observation-card.js';
import { formerConvenorNotice } from '../../../templates/data-rights-views.js';
import { shareClauseCard } from '../clauses/clause-card.js';
import { ClauseRef, clauseRef } from '../clauses/numbering.js';
import { directConversation } from '../direct.js';
import { queueCards, type Links } from '../exchanges/cards.js';
import type { Db } from '../groups.js';
import { unremember } from '../members.js';
import { enqueue, isKnown } from '../outbox.js';
import type { ChatChannel, PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { refreshVoteCard } from '../votes/votes.js';

export const FORGET_KIND = 'forget';
const CONFIRMATION_LIFETIME_MS = 60 * 60 * 1000;

/** The token of a `me forget` confirmation, bound to `memberId`. */
export async function askToForget(db: PrismaClient, memberId: number, now = new Date()): Promise<string> {
  const id = randomBytes(24).toString('base64url');
  await db.pendingAction.create({ data: { id, kind: FORGET_KIND, memberId, payload: {}, expiresAt: new Date(now.getTime() + CONFIRMATION_LIFETIME_MS) } });
  await db.pendingAction.deleteMany({ where: { expiresAt: { lt: now } } });
  return id;
}

/** Checks that the confirmation `token` is `memberId`'s own and still valid. */
export async function checkConfirmation(db: Db, token: string, memberId: number, now = new Date()): Promise<void> {
  const found = await db.pendingAction.findUnique({ where: { id: token } });
  if (!found || found.kind !== FORGET_KIND || found.expiresAt < now) throw new Refusal('errors.expired');
  if (found.memberId !== memberId) throw new Refusal('dataRights.notYours');
}

/** Cancels a confirmation (the member's own only). */
export async function cancelForget(db: PrismaClient, token: string, memberId: number, now = new Date()): Promise<void> {
  await checkConfirmation(db, token, memberId, now);
  await db.pendingAction.deleteMany({ where: { id: token, memberId } });
}

export interface Forgotten {
  observationsKept: number;
  observationsDeleted: number;
  ballotsDeleted: number;
  ballotsAnonymised: number;
  groupsLeft: number;
  groupsConvened: number;
  exchangeAnswersDeleted: number;
  /** The member row as it now is (no personal data). */
  former: Member;
}

/** Ids per query: SQLite caps the bound parameters of one statement. */
const IDS_PER_QUERY = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_QUERY) out.push(items.slice(i, i + IDS_PER_QUERY));
  return out;
}

/**
 * Forgets `memberId` (see the top of this file), if `token` is their confirmation. `platforms` and
 * `links` say where cards and notices go.
 */
export async function forgetMember(
  db: PrismaClient,
  args: { memberId: number; token: string; deleteObservations: boolean; platforms: PlatformDirectory; links?: Links; now?: Date },
): Promise<Forgotten> {
  const now = args.now ?? new Date();
  const { platforms } = args;
  const after = { votes: new Set<number>(), clauses: new Set<number>() };

  const outcome = await db.$transaction(async (tx): Promise<Forgotten & { before: Member }> => {
    await checkConfirmation(tx, args.token, args.memberId, now);
    const taken = await tx.pendingAction.deleteMany({ where: { id: args.token, memberId: args.memberId, kind: FORGET_KIND } });
    if (taken.count !== 1) throw new Refusal('errors.expired');
    const before = await tx.member.findUniqueOrThrow({ where: { id: args.memberId } });
    if (before.forgottenAt) throw new Refusal('errors.expired');
    const id = before.id;

    // --- the profile goes first: every card rendered below reads the former member.
    const former = await tx.member.update({
      where: { id },
      data: {
        displayName: null,
        organisation: null,
        language: null,
        profileSetAt: null,
        externalId: `forgotten:${randomBytes(16).toString('hex')}`,
        forgottenAt: now,
      },
    });

    // --- observations
    const own = await tx.observation.findMany({ where: { authorId: id }, include: { case: true, dimensions: true }, orderBy: { id: 'asc' } });
    const takeaways = new Set(
      (await tx.exchangeTakeaway.findMany({ where: { observationId: { in: own.map((o) => o.id) } }, select: { observationId: true } })).map((t) => t.observationId),
    );
    const erased = args.deleteObservations ? own.filter((o) => !takeaways.has(o.id)) : [];
    for (const ids of chunks(erased.filter((o) => !o.withdrawnAt).map((o) => o.id))) {
      await tx.observation.updateMany({ where: { id: { in: ids } }, data: { withdrawnAt: now } });
    }
    for (const ids of chunks(erased.map((o) => o.id))) {
      await tx.observation.updateMany({ where: { id: { in: ids } }, data: { text: '', sourceLink: null, sourceKey: null } });
    }
    const erasedIds = new Set(erased.map((o) => o.id));
    for (const o of own) {
      const platform = platforms.get(o.platformId);
      if (!platform) continue;
      const target = { channel: o.channel as ChatChannel, conversationId: o.conversationId, messageKey: `observation:${o.id}` };
      // Only cards already posted (or on their way): takeaways, for one, have none.
      if (!(await isKnown(tx, target))) continue;
      const shown = erasedIds.has(o.id) ? { ...o, text: '', sourceLink: null, withdrawnAt: o.withdrawnAt ?? now } : o;
      const language = platform.languages[0]!;
      await enqueue(tx, { ...target, view: observationCard({ ...shown, author: former }, platform, translator(language, target.channel)), locale: language });
    }

    // --- ballots
    let ballotsDeleted = 0;
    let ballotsAnonymised = 0;
    const named = await tx.ballot.findMany({ where: { voterKey: String(id), vote: { anonymous: false } }, include: { vote: { select: { status: true } } } });
    for (const b of named) {
      const key = { voteId_voterKey: { voteId: b.voteId, voterKey: b.voterKey } };
      if (b.vote.status === 'open') {
        await tx.ballot.delete({ where: key });
        ballotsDeleted += 1;
        after.votes.add(b.voteId);
      } else {
        await tx.ballot.update({ where: key, data: { voterKey: `forgotten:${randomBytes(16).toString('hex')}`, reason: null } });
        ballotsAnonymised += 1;
      }
    }
    const openAnonymous = await tx.vote.findMany({ where: { anonymous: true, status: 'open', secret: { not: null } }, select: { id: true, secret: true } });
    for (const v of openAnonymous) {
      const gone = await tx.ballot.deleteMany({ where: { voteId: v.id, voterKey: createHmac('sha256', v.secret!).update(String(id)).digest('hex') } });
      ballotsDeleted += gone.count;
      if (gone.count) after.votes.add(v.id);
    }

    // --- working groups
    const memberships = await tx.groupMembership.findMany({ where: { memberId: id }, select: { groupId: true } });
    await tx.groupMembership.deleteMany({ where: { memberId: id } });
    const leftGroups = memberships.map((m) => m.groupId);
    // Open votes of those groups: their electorate changed.
    for (const v of await tx.vote.findMany({ where: { status: 'open', clause: { groupId: { in: leftGroups } } }, select: { id: true } })) after.votes.add(v.id);
    const convened = await tx.workingGroup.findMany({ where: { convenorId: id }, orderBy: { id: 'asc' } });

    // --- exchanges
    const answers = await tx.exchangeAnswer.findMany({ where: { memberId: id }, include: { slot: { include: { exchange: { select: { id: true, status: true } } } } } });
    const polling = answers.filter((a) => a.slot.exchange.status === 'polling');
    for (const a of polling) await tx.exchangeAnswer.delete({ where: { slotId_memberId: { slotId: a.slotId, memberId: id } } });
    const organised = await tx.exchange.findMany({ where: { organiserId: id }, select: { id: true, topic: true, status: true, platformId: true } });
    const minuted = await tx.exchange.findMany({ where: { minutesById: id }, select: { id: true } });
    const exchanges = new Set([...answers.map((a) => a.slot.exchange.id), ...organised.map((x) => x.id), ...minuted.map((x) => x.id)]);
    for (const x of exchanges) await queueCards(tx, platforms, x, args.links ?? {});

    // --- clauses whose cards name them
    const naming = await Promise.all([
      tx.clauseVersion.findMany({ where: { authorId: id }, select: { clauseId: true } }),
      tx.amendment.findMany({ where: { OR: [{ authorId: id }, { decidedById: id }] }, select: { clauseId: true } }),
      tx.clause.findMany({ where: { OR: [{ createdById: id }, { group: { convenorId: id } }] }, select: { id: true } }),
    ]);
    for (const r of [...naming[0], ...naming[1]]) after.clauses.add(r.clauseId);
    for (const r of naming[2]) after.clauses.add(r.id);

    // --- the platforms of the groups they convene and the polls they organise are told
    const stillPolling = organised.filter((x) => x.status === 'polling');
    const told = new Map<string, { groups: string[]; exchanges: Array<{ id: number; topic: string }> }>();
    const tell = (platformId: string) => told.get(platformId) ?? told.set(platformId, { groups: [], exchanges: [] }).get(platformId)!;
    for (const g of convened) {
      const where = g.platformId ? [g.platformId] : platforms.all.filter((p) => p.international && !p.demo).map((p) => p.id);
      for (const p of where) tell(p).groups.push(g.name);
    }
    for (const x of stillPolling) tell(x.platformId).exchanges.push({ id: x.id, topic: x.topic });
    const noticeKey = `former-member:${randomBytes(8).toString('hex')}`;
    for (const [platformId, what] of told) {
      const platform = platforms.get(platformId);
      if (!platform) continue;
      const language = platform.languages[0]!;
      for (const channel of ['slack', 'teams'] as const) {
        for (const conversationId of platforms.conversationsOf(platform, channel)) {
          const view = formerConvenorNotice(translator(language, channel), { former, ...what });
          await enqueue(tx, { channel, conversationId, messageKey: `${noticeKey}:${platformId}`, view, locale: language });
        }
      }
    }

    // --- what is only about them: parked steps, their direct conversation
    await tx.pendingAction.deleteMany({ where: { memberId: id } });
    const dm = directConversation(before);
    await tx.outboxMessage.deleteMany({ where: { channel: before.channel, conversationId: dm } });
    await tx.chatMessage.deleteMany({ where: { channel: before.channel, conversationId: dm } });
    if (before.channel === 'teams') await forgetTeamsReferences(tx, before, dm);
    await forgetDeliveredViews(tx, before);

    const counts = {
      observationsKept: own.length - erased.length,
      observationsDeleted: erased.length,
      ballotsDeleted,
      ballotsAnonymised,
      groupsLeft: leftGroups.length,
      groupsConvened: convened.length,
      exchangeAnswersDeleted: polling.length,
    };
    await tx.auditEntry.create({ data: { at: now, action: 'member-forgotten', detail: { channel: before.channel, forgottenAt: now.toISOString(), ...counts } } });
    return { ...counts, former, before };
  });

  // Outside the transaction (each opens its own): the cards that count or name them.
  unremember(db, outcome.before);
  for (const voteId of after.votes) await refreshVoteCard(db, platforms, voteId);
  await refreshClauseCards(db, platforms, [...after.clauses]);
  const { before: _gone, ...forgotten } = outcome;
  return forgotten;
}

/**
 * Teams conversation references of the member's tenant: their 1:1 chat's (under the `dm:` id, and
 * the personal conversation the bot was spoken to in) is deleted; elsewhere (a channel they spoke in
 * last) the reference's `user`, who they are, is taken out: posting there does not need it.
 */
async function forgetTeamsReferences(tx: Db, member: Member, dm: string): Promise<void> {
  await tx.teamsConversation.deleteMany({ where: { conversationId: dm } });
  const rows = await tx.teamsConversation.findMany({ where: { tenantId: member.workspace } });
  for (const row of rows) {
    const ref = row.reference as { user?: { id?: string; aadObjectId?: string }; conversation?: { conversationType?: string } };
    if (ref.user?.aadObjectId !== member.externalId && ref.user?.id !== member.externalId) continue;
    if (ref.conversation?.conversationType === 'personal') await tx.teamsConversation.delete({ where: { conversationId: row.conversationId } });
    else {
      const { user: _user, ...rest } = ref;
      await tx.teamsConversation.update({ where: { conversationId: row.conversationId }, data: { reference: rest as object } });
    }
  }
}

/**
 * The outbox keeps what it delivered (or gave up on): views that named the member (their mention's
 * chat id, or their display name) are deleted — the posted message's id stays in ChatMessage, so
 * the card can still be updated. Messages still waiting were queued again above where they name them.
 */
async function forgetDeliveredViews(tx: Db, member: Member): Promise<void> {
  const needles = [JSON.stringify(member.externalId)];
  if (member.displayName && member.displayName.trim().length >= 3) needles.push(JSON.stringify(member.displayName).slice(1, -1));
  for (const needle of needles) {
    await tx.$executeRaw`DELETE FROM "OutboxMessage" WHERE "status" <> 'pending' AND instr("view", ${needle}) > 0`;
  }
}

/** Updates the cards of the clauses that named the member, wherever they were posted. */
async function refreshClauseCards(db: PrismaClient, platforms: PlatformDirectory, clauseIds: number[]): Promise<void> {
  if (!clauseIds.length) return;
  const clauses = await db.clause.findMany({ where: { id: { in: clauseIds } } });
  for (const clause of clauses) {
    const platform = platforms.get(clause.code);
    if (!platform) continue;
    const posted = await db.chatMessage.findMany({ where: { messageKey: `clause:${clause.id}` } });
    const queued = await db.outboxMessage.findMany({ where: { messageKey: `clause:${clause.id}`, status: { not: 'failed' } }, select: { channel: true, conversationId: true } });
    const places = new Map([...posted, ...queued].map((p) => [`${p.channel} ${p.conversationId}`, p]));
    for (const p of places.values()) {
      await shareClauseCard(db, { ref: ClauseRef.parse(clauseRef(clause)), platform, channel: p.channel as ChatChannel, conversationId: p.conversationId });
    }
  }
}
