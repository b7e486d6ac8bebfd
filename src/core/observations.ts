import { z } from 'zod';
import type { Case, Member, Observation, PrismaClient } from '../db/client.js';
import type { MessageView } from '../../templates/view.js';
import { observationCard } from '../../templates/observation-card.js';
import { translator } from '../../templates/i18n.js';
import { CaseRef } from './ids.js';
import { enqueue, isKnown } from './outbox.js';
import type { ChatChannel, Platform } from './platforms.js';
import { Refusal } from './refusal.js';
import { CONFIDENTIALITY, DIMENSIONS, LANGUAGE_PATTERN, STAGES, type Dimension } from './vocabulary.js';

export const MAX_OBSERVATION_LENGTH = 4000;

export const ObservationInput = z.object({
  text: z.string().trim().min(1, 'errors.textEmpty').max(MAX_OBSERVATION_LENGTH, 'errors.textTooLong'),
  dimensions: z
    .array(z.enum(DIMENSIONS))
    .min(1, 'errors.noDimension')
    .transform((list) => DIMENSIONS.filter((d) => list.includes(d))),
  stage: z.enum(STAGES, { message: 'errors.stage' }).optional(),
  caseRef: CaseRef.optional(),
  innovative: z.boolean().default(false),
  confidentiality: z.enum(CONFIDENTIALITY, { message: 'errors.confidentiality' }).default('platform'),
  language: z.string().regex(LANGUAGE_PATTERN, 'errors.language').optional(),
});
export type ObservationInput = z.input<typeof ObservationInput>;
export type ValidObservation = z.output<typeof ObservationInput>;

/** Where an observation was posted from. */
export interface Origin {
  channel: ChatChannel;
  workspace: string;
  conversationId: string;
  /** The chat event it came from; the same event never files two observations. */
  sourceKey?: string;
  /** A link to the chat message it was captured from. */
  sourceLink?: string;
}

export type ObservationDetails = Observation & {
  author: Member;
  case: Case | null;
  dimensions: Array<{ dimension: string }>;
};
const details = { author: true, case: true, dimensions: true } as const;

export function dimensionsOf(observation: ObservationDetails): Dimension[] {
  return DIMENSIONS.filter((d) => observation.dimensions.some((row) => row.dimension === d));
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function resolveCase(db: Tx | PrismaClient, ref: string | undefined): Promise<Case | null> {
  if (!ref) return null;
  const found = await db.case.findUnique({ where: { ref } });
  if (!found) throw new Refusal('errors.unknownCase', { ref });
  return found;
}

const cardKey = (observation: Observation) => `observation:${observation.id}`;

/** Posts, updates or retires the observation's card in the channel it came from. */
async function queueCard(tx: Tx, observation: ObservationDetails, platform: Platform): Promise<void> {
  const language = platform.languages[0];
  const target = { channel: observation.channel as ChatChannel, conversationId: observation.conversationId, messageKey: cardKey(observation) };
  const shown = observation.confidentiality !== 'secretariat' && !observation.withdrawnAt;
  if (!shown && !(await isKnown(tx, target))) return;
  const view: MessageView = observationCard(observation, platform, translator(language));
  await enqueue(tx, { ...target, view, locale: language });
}

export interface Filed {
  observation: ObservationDetails;
  /** True when the same chat event had already filed it (a retried event). */
  duplicate: boolean;
}

export async function fileObservation(
  db: PrismaClient,
  args: { platform: Platform; author: Member; origin: Origin; input: ValidObservation },
): Promise<Filed> {
  const { platform, author, origin, input } = args;
  if (origin.sourceKey) {
    const earlier = await db.observation.findUnique({ where: { sourceKey: origin.sourceKey }, include: details });
    if (earlier) return { observation: earlier, duplicate: true };
  }
  try {
    const observation = await db.$transaction(async (tx) => {
      const linked = await resolveCase(tx, input.caseRef);
      const row = await tx.observation.create({
        data: {
          platformId: platform.id,
          authorId: author.id,
          text: input.text,
          stage: input.stage,
          caseId: linked?.id,
          innovative: input.innovative,
          confidentiality: input.confidentiality,
          language: input.language ?? author.language ?? platform.languages[0],
          channel: origin.channel,
          conversationId: origin.conversationId,
          sourceKey: origin.sourceKey,
          sourceLink: origin.sourceLink,
        },
      });
      // One statement per dimension (at most three): Prisma keeps the plan of a single-row insert.
      for (const dimension of input.dimensions) {
        await tx.observationDimension.create({ data: { observationId: row.id, dimension }, select: { observationId: true } });
      }
      // Everything the card shows is at hand: no need to read the new rows back.
      const created: ObservationDetails = { ...row, author, case: linked, dimensions: input.dimensions.map((dimension) => ({ dimension })) };
      await queueCard(tx, created, platform);
      return created;
    });
    return { observation, duplicate: false };
  } catch (error) {
    // Two deliveries of the same event racing: the loser finds the winner's observation.
    if ((error as { code?: string }).code === 'P2002' && origin.sourceKey) {
      const earlier = await db.observation.findUnique({ where: { sourceKey: origin.sourceKey }, include: details });
      if (earlier) return { observation: earlier, duplicate: true };
    }
    throw error;
  }
}

export async function getObservation(db: PrismaClient, id: number): Promise<ObservationDetails | null> {
  return db.observation.findUnique({ where: { id }, include: details });
}

/** The observation, if `memberId` may still change it. */
async function ownLiveObservation(db: Tx | PrismaClient, id: number, memberId: number): Promise<ObservationDetails> {
  const observation = await db.observation.findUnique({ where: { id }, include: details });
  if (!observation) throw new Refusal('errors.unknownObservation', { id });
  if (observation.authorId !== memberId) throw new Refusal('errors.notAuthor', { id });
  if (observation.withdrawnAt) throw new Refusal('errors.withdrawn', { id });
  return observation;
}

export async function checkCanChange(db: PrismaClient, id: number, memberId: number): Promise<ObservationDetails> {
  return ownLiveObservation(db, id, memberId);
}

export async function reviseObservation(
  db: PrismaClient,
  args: { id: number; memberId: number; platform: Platform; input: ValidObservation },
): Promise<ObservationDetails> {
  const { id, memberId, platform, input } = args;
  return db.$transaction(async (tx) => {
    await ownLiveObservation(tx, id, memberId);
    const linked = await resolveCase(tx, input.caseRef);
    await tx.observationDimension.deleteMany({ where: { observationId: id } });
    const revised = await tx.observation.update({
      where: { id },
      data: {
        text: input.text,
        stage: input.stage ?? null,
        caseId: linked?.id ?? null,
        innovative: input.innovative,
        confidentiality: input.confidentiality,
        ...(input.language ? { language: input.language } : {}),
        editedAt: new Date(),
        dimensions: { create: input.dimensions.map((dimension) => ({ dimension })) },
      },
      include: details,
    });
    await queueCard(tx, revised, platform);
    return revised;
  });
}

export async function withdrawObservation(
  db: PrismaClient,
  args: { id: number; memberId: number; platform: Platform },
): Promise<ObservationDetails> {
  return db.$transaction(async (tx) => {
    await ownLiveObservation(tx, args.id, args.memberId);
    const withdrawn = await tx.observation.update({
      where: { id: args.id },
      data: { withdrawnAt: new Date() },
      include: details,
    });
    await queueCard(tx, withdrawn, args.platform);
    return withdrawn;
  });
}

export interface ExportFilter {
  platformId?: string;
  since?: Date;
  includeConfidential?: boolean;
}

/**
 * Observations for the secretariat's exports, oldest first, read `pageSize` at a time so that an
 * export of any size holds one page in memory; withdrawn ones are left out.
 */
export async function* observationsForExport(db: PrismaClient, filter: ExportFilter, pageSize = 500): AsyncGenerator<ObservationDetails> {
  const where = {
    withdrawnAt: null,
    ...(filter.platformId ? { platformId: filter.platformId } : {}),
    ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
    ...(filter.includeConfidential ? {} : { confidentiality: { not: 'secretariat' } }),
  };
  let after = 0;
  for (;;) {
    const page = await db.observation.findMany({ where: { ...where, id: { gt: after } }, include: details, orderBy: { id: 'asc' }, take: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}
