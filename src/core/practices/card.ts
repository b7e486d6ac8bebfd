/**
 * A practice's card in the channel it was described in: posted when the practice is created, and
 * updated in place (outbox key `practice:<id>`) whenever an assessment is made or changed, from
 * whichever platform, so the channel that shared the practice sees how it travels. The card is in
 * the language of the practice's platform; it carries no button (its readers are of the practice's
 * own country, who do not assess it).
 */
import { practiceCard } from '../../../templates/practice-views.js';
import { translator } from '../../../templates/i18n.js';
import type { PrismaClient } from '../../db/client.js';
import { enqueue } from '../outbox.js';
import type { ChatChannel, Platform, PlatformDirectory } from '../platforms.js';
import { practiceDetails, type Db } from './practices.js';

type Outbox = Pick<PrismaClient, 'outboxMessage' | 'chatMessage'>;

export const practiceCardKey = (id: number) => `practice:${id}`;

const languageOf = (platform: Platform | undefined) => platform?.languages[0] ?? 'en';

/** Queues the card of a new practice in the conversation it was described in. */
export async function postPracticeCard(db: Db, args: { ref: string; platform: Platform; channel: ChatChannel; conversationId: string }): Promise<void> {
  const details = await practiceDetails(db, args.ref);
  const language = languageOf(args.platform);
  await enqueue(db as Outbox, {
    channel: args.channel,
    conversationId: args.conversationId,
    messageKey: practiceCardKey(details.practice.id),
    view: practiceCard(translator(language, args.channel), details),
    locale: language,
  });
}

/** Brings the practice's card up to date wherever it was posted (there is no card to update if it never was). */
export async function refreshPracticeCard(db: Db, args: { ref: string; platforms: PlatformDirectory }): Promise<void> {
  const details = await practiceDetails(db, args.ref);
  const messageKey = practiceCardKey(details.practice.id);
  // The practice row does not say where its card is: the outbox does (its first message under the
  // key), or the record of the posted message.
  const outbox = db as Outbox;
  const first =
    (await outbox.outboxMessage.findFirst({ where: { messageKey }, orderBy: { id: 'asc' }, select: { channel: true, conversationId: true } })) ??
    (await outbox.chatMessage.findFirst({ where: { messageKey }, select: { channel: true, conversationId: true } }));
  if (!first) return;
  const channel = first.channel as ChatChannel;
  const language = languageOf(args.platforms.get(details.practice.platformId));
  await enqueue(db as Outbox, { channel, conversationId: first.conversationId, messageKey, view: practiceCard(translator(language, channel), details), locale: language });
}
