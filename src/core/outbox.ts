/**
 * The durable outbox: every message that must reach a chat channel is written here, in the
 * same transaction as the change it reports, and delivered later by the outbox worker
 * (src/delivery/outbox-worker.ts). Messages of one conversation leave in the order they were
 * written, so a card is always posted before it is updated.
 */
import type { OutboxMessage, PrismaClient } from '../db/client.js';
import type { MessageView } from '../../templates/view.js';
import type { ChatChannel } from './platforms.js';

export type { OutboxMessage };
type Db = Pick<PrismaClient, 'outboxMessage' | 'chatMessage'>;

export interface OutgoingMessage {
  channel: ChatChannel;
  /** A channel or chat id, or a member's direct conversation with the bot (`dm:…`, see direct.ts). */
  conversationId: string;
  /** Names the chat message: a later message with the same key updates it in place. */
  messageKey: string;
  /** Post it in the thread of the message with this key (posted earlier in the same conversation). */
  threadKey?: string;
  view: MessageView;
  locale: string;
}

/**
 * Queues `message`. If a message with the same key is still waiting in that conversation and no
 * worker has taken it yet, it is replaced by this newer view instead: a card changed ten times in a
 * second (a vote's participation) is sent once, as it stands.
 */
export async function enqueue(db: Db, message: OutgoingMessage): Promise<void> {
  const { channel, conversationId, messageKey } = message;
  const replaced = await db.outboxMessage.updateMany({
    where: { channel, conversationId, messageKey, status: 'pending', attempts: 0 },
    data: { view: message.view as object, locale: message.locale, threadKey: message.threadKey ?? null },
  });
  if (replaced.count === 0) await db.outboxMessage.create({ data: { ...message, view: message.view as object }, select: { id: true } });
}

/** Whether a message with this key was posted, or is on its way, in that conversation. */
export async function isKnown(db: Db, key: Pick<OutgoingMessage, 'channel' | 'conversationId' | 'messageKey'>): Promise<boolean> {
  const [posted, queued] = await Promise.all([
    db.chatMessage.count({ where: key }),
    db.outboxMessage.count({ where: { ...key, status: { not: 'failed' } } }),
  ]);
  return posted + queued > 0;
}

/** The oldest pending message of each conversation, if it is due. */
export async function dueHeads(db: PrismaClient, now: Date, limit: number): Promise<OutboxMessage[]> {
  const heads = await db.outboxMessage.groupBy({
    by: ['channel', 'conversationId'],
    where: { status: 'pending' },
    _min: { id: true },
  });
  const ids = heads.map((h) => h._min.id!).filter((id) => id !== null);
  if (ids.length === 0) return [];
  return db.outboxMessage.findMany({
    where: { id: { in: ids }, nextAttemptAt: { lte: now } },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

/**
 * Takes a message for delivery for `leaseMs`: another worker (or process) will not take it
 * meanwhile. Returns false when someone else has it.
 */
export async function claim(db: PrismaClient, message: OutboxMessage, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id: message.id, status: 'pending', nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
  });
  return count === 1;
}

export async function postedMessageId(db: Db, message: OutboxMessage): Promise<string | undefined> {
  const found = await db.chatMessage.findUnique({
    where: {
      messageKey_channel_conversationId: {
        messageKey: message.messageKey,
        channel: message.channel,
        conversationId: message.conversationId,
      },
    },
  });
  return found?.messageId;
}

export async function markSent(db: PrismaClient, message: OutboxMessage, messageId: string, now: Date): Promise<void> {
  const key = { messageKey: message.messageKey, channel: message.channel, conversationId: message.conversationId };
  await db.$transaction([
    db.chatMessage.upsert({
      where: { messageKey_channel_conversationId: key },
      create: { ...key, messageId },
      update: { messageId },
    }),
    db.outboxMessage.update({ where: { id: message.id }, data: { status: 'sent', sentAt: now, lastError: null } }),
  ]);
}

export async function markRetry(db: PrismaClient, message: OutboxMessage, at: Date, error: string): Promise<void> {
  await db.outboxMessage.update({ where: { id: message.id }, data: { nextAttemptAt: at, lastError: error } });
}

export async function markFailed(db: PrismaClient, message: OutboxMessage, error: string): Promise<void> {
  await db.outboxMessage.update({ where: { id: message.id }, data: { status: 'failed', lastError: error } });
}
