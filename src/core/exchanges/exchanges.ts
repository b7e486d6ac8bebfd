/**
 * Cross-border exchanges (issue 5): proposed with candidate slots, answered per slot from every
 * taking-part channel, confirmed by their organiser, cancelled by them. Each change writes its cards
 * and messages to the outbox in its own transaction (cards.ts); reminders are in reminders.ts, the
 * minutes in minutes.ts.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Exchange, Member, PrismaClient } from '../../db/client.js';
import type { Db } from '../groups.js';
import { CaseRef } from '../ids.js';
import type { Platform, PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { LANGUAGE_PATTERN } from '../vocabulary.js';
import { ClauseRef } from '../clauses/numbering.js';
import { queueCards, queueCancellation, queueConfirmation, type Links } from './cards.js';
import { MAX_SLOTS, MIN_SLOTS } from './slots.js';

export const ANSWERS = ['yes', 'maybe', 'no'] as const;
export type Answer = (typeof ANSWERS)[number];
export const MAX_DURATION_MINUTES = 24 * 60;

export const ExchangeInput = z.object({
  topic: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  platformIds: z
    .array(z.string().trim().toUpperCase())
    .transform((ids) => [...new Set(ids)])
    .pipe(z.array(z.string()).min(2, 'errors.exchangePlatforms')),
  slots: z.array(z.date()).min(MIN_SLOTS, 'errors.required').max(MAX_SLOTS, 'errors.tooMany'),
  durationMinutes: z
    .number({ message: 'errors.exchangeDuration' })
    .int('errors.exchangeDuration')
    .positive('errors.exchangeDuration')
    .max(MAX_DURATION_MINUTES, 'errors.exchangeDuration'),
  place: z.string().trim().min(1, 'errors.required').max(500, 'errors.tooLong'),
  languages: z.array(z.string().regex(LANGUAGE_PATTERN, 'errors.language')).min(1, 'errors.required').max(10, 'errors.tooMany'),
  caseRefs: z.array(CaseRef).max(20, 'errors.tooMany').default([]),
  observationIds: z.array(z.number({ message: 'errors.observationIds' }).int('errors.observationIds').positive('errors.observationIds')).max(20, 'errors.tooMany').default([]),
  clauseRefs: z.array(ClauseRef).max(20, 'errors.tooMany').default([]),
});
export type ExchangeInput = z.input<typeof ExchangeInput>;
export type ValidExchange = z.output<typeof ExchangeInput>;

/** What a field of the exchange form got wrong, for the form to show beside the field. */
export class ExchangeFieldProblem extends Refusal {
  constructor(
    readonly field: string,
    key: string,
    params: Record<string, unknown> = {},
  ) {
    super(key, params);
  }
}

/** `12`, `#12` → 12. */
export const ExchangeId = z
  .string()
  .trim()
  .regex(/^#?\d{1,9}$/, 'errors.exchangeIdFormat')
  .transform((s) => Number(s.replace('#', '')));

export async function findExchange(db: Db, id: number): Promise<Exchange> {
  const found = await db.exchange.findUnique({ where: { id } });
  if (!found) throw new Refusal('errors.unknownExchange', { id });
  return found;
}

/** The agenda's items, resolved and checked: they must exist, and an observation must be one the taking-part channels may read. */
async function agendaRows(tx: Db, input: ValidExchange): Promise<Array<{ caseId?: number; observationId?: number; clauseId?: number }>> {
  const caseRefs = [...new Set(input.caseRefs)];
  const cases = await tx.case.findMany({ where: { ref: { in: caseRefs } }, select: { id: true, ref: true } });
  const unknownCases = caseRefs.filter((ref) => !cases.some((c) => c.ref === ref));
  if (unknownCases.length) throw new ExchangeFieldProblem('cases', 'errors.unknownCases', { refs: unknownCases.join(', ') });

  const observationIds = [...new Set(input.observationIds)];
  const observations = await tx.observation.findMany({ where: { id: { in: observationIds }, withdrawnAt: null } });
  const missing = observationIds.filter((id) => !observations.some((o) => o.id === id));
  if (missing.length) throw new ExchangeFieldProblem('observations', 'errors.unknownObservations', { ids: missing.map((id) => `#${id}`).join(', ') });
  // Secretariat-only observations never go on an agenda; a platform's own ones only among its partners.
  const hidden = observations.filter((o) => o.confidentiality === 'secretariat' || (o.confidentiality === 'platform' && !input.platformIds.includes(o.platformId)));
  if (hidden.length) throw new ExchangeFieldProblem('observations', 'errors.exchangeObservationHidden', { ids: hidden.map((o) => `#${o.id}`).join(', ') });

  const clauseRows: Array<{ id: number }> = [];
  for (const ref of input.clauseRefs) {
    const clause = await tx.clause.findUnique({ where: { code_stage_number: { code: ref.code, stage: ref.stage, number: ref.number } }, select: { id: true } });
    if (!clause) throw new ExchangeFieldProblem('clauses', 'errors.unknownClause', { ref: ref.ref });
    if (!clauseRows.some((c) => c.id === clause.id)) clauseRows.push(clause);
  }
  return [
    ...caseRefs.map((ref) => ({ caseId: cases.find((c) => c.ref === ref)!.id })),
    ...observationIds.map((observationId) => ({ observationId })),
    ...clauseRows.map((c) => ({ clauseId: c.id })),
  ];
}

/**
 * Proposes an exchange from `platform`'s channel: the exchange, its platforms, slots and agenda, and
 * the poll card in every channel of every taking-part platform, in one transaction.
 */
export async function proposeExchange(
  db: PrismaClient,
  args: { organiser: Member; platform: Platform; platforms: PlatformDirectory; input: ValidExchange; links: Links },
): Promise<Exchange> {
  const { input } = args;
  const unknown = input.platformIds.filter((id) => !args.platforms.get(id));
  if (unknown.length) throw new ExchangeFieldProblem('platforms', 'errors.exchangeUnknownPlatform', { platforms: unknown.join(', ') });
  return db.$transaction(async (tx) => {
    const items = await agendaRows(tx, input);
    const exchange = await tx.exchange.create({
      data: {
        topic: input.topic,
        organiserId: args.organiser.id,
        platformId: args.platform.id,
        durationMinutes: input.durationMinutes,
        place: input.place,
        languages: input.languages,
        icsToken: randomBytes(32).toString('base64url'),
      },
    });
    for (const platformId of input.platformIds) await tx.exchangePlatform.create({ data: { exchangeId: exchange.id, platformId } });
    const slots = [...input.slots].sort((a, b) => a.getTime() - b.getTime());
    for (const [i, startsAt] of slots.entries()) await tx.exchangeSlot.create({ data: { exchangeId: exchange.id, number: i + 1, startsAt } });
    for (const item of items) await tx.exchangeItem.create({ data: { exchangeId: exchange.id, ...item } });
    await queueCards(tx, args.platforms, exchange.id, args.links);
    return exchange;
  });
}

/** The taking-part platform a member answers or writes minutes for: the one of the channel they speak in. */
async function takingPart(db: Db, exchange: Exchange, platform: Platform | undefined): Promise<Platform> {
  const part = platform && (await db.exchangePlatform.count({ where: { exchangeId: exchange.id, platformId: platform.id } }));
  if (!platform || !part) throw new Refusal('errors.exchangeNotTakingPart', { id: exchange.id, platform: platform?.name ?? '—' });
  return platform;
}

function checkPolling(exchange: Exchange): void {
  if (exchange.status !== 'polling') throw new Refusal('errors.exchangeClosed', { id: exchange.id, status: exchange.status });
}

/**
 * Records (or changes) `member`'s answer for slot `slotNumber`, for the platform of the channel they
 * answer from; every poll card is brought up to date in the same transaction.
 */
export async function answerSlot(
  db: PrismaClient,
  args: { exchangeId: number; slotNumber: number; answer: Answer; member: Member; platform: Platform | undefined; platforms: PlatformDirectory; links: Links },
): Promise<{ exchange: Exchange; slotStartsAt: Date }> {
  return db.$transaction(async (tx) => {
    const exchange = await findExchange(tx, args.exchangeId);
    checkPolling(exchange);
    const platform = await takingPart(tx, exchange, args.platform);
    const slot = await tx.exchangeSlot.findUnique({ where: { exchangeId_number: { exchangeId: exchange.id, number: args.slotNumber } } });
    if (!slot) throw new Refusal('errors.expired');
    const key = { slotId: slot.id, memberId: args.member.id };
    const data = { platformId: platform.id, answer: args.answer };
    await tx.exchangeAnswer.upsert({ where: { slotId_memberId: key }, create: { ...key, ...data }, update: data });
    await queueCards(tx, args.platforms, exchange.id, args.links);
    return { exchange, slotStartsAt: slot.startsAt };
  });
}

function checkOrganiser(exchange: Exchange, member: Member): void {
  if (exchange.organiserId !== member.id) throw new Refusal('errors.exchangeNotOrganiser', { id: exchange.id });
}

/** Checks that `member` may confirm the exchange now; returns it with its slots and their answers. */
export async function checkCanConfirm(db: Db, exchangeId: number, member: Member) {
  const exchange = await findExchange(db, exchangeId);
  checkOrganiser(exchange, member);
  checkPolling(exchange);
  const slots = await db.exchangeSlot.findMany({ where: { exchangeId }, orderBy: { number: 'asc' }, include: { answers: true } });
  return { exchange, slots };
}

/**
 * The organiser confirms slot `slotNumber`: the poll closes, and every taking-part channel gets the
 * confirmation (with the .ics link, and the file in Slack). A slot that has begun cannot be chosen.
 */
export async function confirmExchange(
  db: PrismaClient,
  args: { exchangeId: number; slotNumber: number; member: Member; platforms: PlatformDirectory; links: Links; now: Date },
): Promise<Exchange> {
  return db.$transaction(async (tx) => {
    const { exchange, slots } = await checkCanConfirm(tx, args.exchangeId, args.member);
    const slot = slots.find((s) => s.number === args.slotNumber);
    if (!slot) throw new Refusal('errors.exchangeUnknownSlot', { id: exchange.id, slot: args.slotNumber, count: slots.length });
    if (slot.startsAt <= args.now) throw new Refusal('errors.exchangeSlotPast', { slot: slot.number });
    const moved = await tx.exchange.updateMany({
      where: { id: exchange.id, status: 'polling' },
      data: { status: 'confirmed', confirmedSlotId: slot.id, startsAt: slot.startsAt, confirmedAt: args.now },
    });
    if (moved.count !== 1) throw new Refusal('errors.exchangeClosed', { id: exchange.id, status: 'confirmed' });
    await queueCards(tx, args.platforms, exchange.id, args.links);
    await queueConfirmation(tx, args.platforms, exchange.id, args.links);
    return tx.exchange.findUniqueOrThrow({ where: { id: exchange.id } });
  });
}

/** The organiser cancels an exchange not yet held; a confirmed one's channels are told. */
export async function cancelExchange(db: PrismaClient, args: { exchangeId: number; member: Member; platforms: PlatformDirectory; links: Links; now: Date }): Promise<Exchange> {
  return db.$transaction(async (tx) => {
    const exchange = await findExchange(tx, args.exchangeId);
    checkOrganiser(exchange, args.member);
    if (exchange.status === 'cancelled') throw new Refusal('errors.exchangeClosed', { id: exchange.id, status: exchange.status });
    if (exchange.startsAt && exchange.startsAt <= args.now) throw new Refusal('errors.exchangeHeld', { id: exchange.id });
    await tx.exchange.update({ where: { id: exchange.id }, data: { status: 'cancelled', cancelledAt: args.now } });
    await queueCards(tx, args.platforms, exchange.id, args.links);
    if (exchange.status === 'confirmed') await queueCancellation(tx, args.platforms, exchange.id);
    return tx.exchange.findUniqueOrThrow({ where: { id: exchange.id } });
  });
}

/** The exchanges a platform takes part in, latest first. */
export async function exchangesOf(db: Db, platformId: string, take = 20) {
  return db.exchange.findMany({
    where: { platforms: { some: { platformId } } },
    orderBy: { id: 'desc' },
    take,
    include: { platforms: true, slots: { select: { answers: { select: { memberId: true } } } } },
  });
}
