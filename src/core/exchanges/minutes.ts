/**
 * The minutes of an exchange, recorded once after it has ended by a member of a taking-part
 * platform. Each key takeaway becomes an observation on every taking-part platform (one per
 * platform, so that each platform's exports and digests hold it), linked to the exchange through
 * ExchangeTakeaway. The minutes are posted in every taking-part channel with the observation numbers
 * of that channel's platform; the takeaways get no observation card of their own.
 */
import { z } from 'zod';
import type { Member, PrismaClient } from '../../db/client.js';
import { ObservationInput, type ValidObservation } from '../observations.js';
import type { Db } from '../groups.js';
import type { Platform, PlatformDirectory } from '../platforms.js';
import { Refusal } from '../refusal.js';
import { queueCards, queueMinutes, type Links } from './cards.js';
import { findExchange } from './exchanges.js';
import { wallTime } from './slots.js';

export const MAX_TAKEAWAYS = 20;
export const MinutesText = z.string().trim().min(1, 'errors.required').max(4000, 'errors.tooLong');

/** Checks that minutes may be recorded for the exchange now; returns it. */
export async function checkCanRecordMinutes(db: Db, args: { exchangeId: number; platform: Platform | undefined; now: Date }) {
  const x = await findExchange(db, args.exchangeId);
  if (x.status === 'polling') throw new Refusal('errors.exchangeNotConfirmed', { id: x.id });
  if (x.status !== 'confirmed' || !x.startsAt) throw new Refusal('errors.exchangeClosed', { id: x.id, status: x.status });
  const part = args.platform && (await db.exchangePlatform.count({ where: { exchangeId: x.id, platformId: args.platform.id } }));
  if (!args.platform || !part) throw new Refusal('errors.exchangeNotTakingPart', { id: x.id, platform: args.platform?.name ?? '—' });
  const end = new Date(x.startsAt.getTime() + x.durationMinutes * 60_000);
  if (args.now < end) throw new Refusal('errors.exchangeNotHeld', { id: x.id, end: `${wallTime(end, args.platform.timezone, args.platform.languages[0]!)} (${args.platform.timezone})` });
  if (x.minutesAt) {
    const by = x.minutesById ? await db.member.findUnique({ where: { id: x.minutesById } }) : null;
    throw new Refusal('errors.exchangeMinutesTaken', { id: x.id, name: by?.displayName ?? '—' });
  }
  return { exchange: x, end };
}

/**
 * Records the minutes and files each takeaway on every taking-part platform, in one transaction
 * (the minutes are taken by a conditional update: two members submitting at once record them once).
 */
export async function recordMinutes(
  db: PrismaClient,
  args: { exchangeId: number; member: Member; platform: Platform | undefined; platforms: PlatformDirectory; minutes: string; takeaways: ValidObservation[]; links: Links; now: Date },
): Promise<{ observations: number; platformIds: string[] }> {
  return db.$transaction(async (tx) => {
    const { exchange } = await checkCanRecordMinutes(tx, args);
    const taken = await tx.exchange.updateMany({ where: { id: exchange.id, minutesAt: null }, data: { minutes: args.minutes, minutesById: args.member.id, minutesAt: args.now } });
    if (taken.count !== 1) throw new Refusal('errors.exchangeMinutesTaken', { id: exchange.id, name: '—' });
    const platformIds = (await tx.exchangePlatform.findMany({ where: { exchangeId: exchange.id } })).map((p) => p.platformId);
    let observations = 0;
    for (const [i, takeaway] of args.takeaways.entries()) {
      const input = ObservationInput.parse(takeaway);
      const linked = input.caseRef ? await tx.case.findUnique({ where: { ref: input.caseRef } }) : null;
      if (input.caseRef && !linked) throw new Refusal('errors.takeawayCase', { line: i + 1, ref: input.caseRef });
      for (const platformId of platformIds) {
        const platform = args.platforms.get(platformId);
        if (!platform) continue;
        const where = platform.slack.channels[0] ? { channel: 'slack', conversationId: platform.slack.channels[0] } : { channel: 'teams', conversationId: platform.teams.channels[0] ?? '' };
        const row = await tx.observation.create({
          data: {
            platformId,
            authorId: args.member.id,
            text: input.text,
            stage: input.stage,
            caseId: linked?.id,
            innovative: input.innovative,
            confidentiality: input.confidentiality,
            language: input.language ?? (exchange.languages as string[])[0] ?? platform.languages[0]!,
            ...where,
            sourceKey: `exchange:${exchange.id}:takeaway:${i + 1}:${platformId}`,
            dimensions: { create: input.dimensions.map((dimension) => ({ dimension })) },
          },
        });
        await tx.exchangeTakeaway.create({ data: { observationId: row.id, exchangeId: exchange.id, number: i + 1, platformId } });
        observations += 1;
      }
    }
    await queueCards(tx, args.platforms, exchange.id, args.links);
    await queueMinutes(tx, args.platforms, exchange.id);
    return { observations, platformIds };
  });
}
