/**
 * Delivers the outbox (src/core/outbox.ts) to the chat channels: oldest first within each
 * conversation, at most one message per `pacingMs` per conversation (Slack allows about one a
 * second), retried with exponential back-off or after the `Retry-After` the channel asked for,
 * and given up only after `giveUpAfterMs`, with a log line and the entry left as `failed`
 * (`npx passerelle outbox` lists them).
 *
 * Exactly once across a crash: a message is claimed (attempts + 1) before it is posted, and
 * recorded as sent (with its ChatMessage row) after the chat tool answered. A process that dies
 * between the two leaves a claimed message without a ChatMessage row; so does an answer lost on
 * the way (a timeout). When such a message comes round again (attempts > 1 after the claim, no
 * ChatMessage row), a channel that can read its own history (`findPosted`, Slack) looks there for
 * the message, which carries its outbox id, and records it instead of posting it twice. A channel
 * that cannot (Teams) posts it again: at-least-once in that window.
 */
import type { Logger } from 'pino';
import type { MessageView } from '../../templates/view.js';
import type { PrismaClient } from '../db/client.js';
import { claim, dueHeads, markFailed, markRetry, markSent, postedMessageId, type OutboxMessage } from '../core/outbox.js';
import type { ChatChannel } from '../core/platforms.js';

export type DeliveryFailure = { kind: 'retry'; afterMs?: number; reason: string } | { kind: 'permanent'; reason: string };

/** Which outbox entry a chat message delivers: a channel that can carry it stamps the message with it. */
export interface OutboxStamp {
  id: number;
  key: string;
}

export interface PostOptions {
  /** Post in the thread of this message (a message id this channel gave). */
  threadOf?: string;
  /** The outbox entry posted, for `findPosted` to recognise the message later. */
  outbox?: OutboxStamp;
}

/** How one chat channel posts and updates a message. */
export interface ChannelDelivery {
  /** Posts a new message and returns its id. */
  post(conversationId: string, view: MessageView, locale: string, options?: PostOptions): Promise<string>;
  update(conversationId: string, messageId: string, view: MessageView, locale: string): Promise<void>;
  /**
   * The id of a message already posted for outbox entry `outbox` (in the thread of `threadOf`),
   * looking in the conversation's recent history; undefined if none is there. Channels that
   * cannot read their history leave it out.
   */
  findPosted?(conversationId: string, outbox: OutboxStamp, threadOf?: string): Promise<string | undefined>;
  classify(error: unknown): DeliveryFailure;
}

export interface OutboxWorkerOptions {
  db: PrismaClient;
  deliveries: Partial<Record<ChatChannel, ChannelDelivery>>;
  log: Logger;
  now?: () => Date;
  pacingMs?: number;
  leaseMs?: number;
  giveUpAfterMs?: number;
  batch?: number;
}

export class OutboxWorker {
  private readonly lastSent = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly now: () => Date;
  private readonly pacingMs: number;
  private readonly leaseMs: number;
  private readonly giveUpAfterMs: number;
  private readonly batch: number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.pacingMs = options.pacingMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 24 * 60 * 60 * 1000;
    this.batch = options.batch ?? 50;
  }

  /** Delivers what is due now; returns how many messages went out. Never runs twice at once. */
  runOnce(): Promise<number> {
    this.running ??= this.deliverDue().finally(() => (this.running = undefined));
    return this.running;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.runOnce()
        .catch((err) => this.options.log.error({ err }, 'outbox run failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async deliverDue(): Promise<number> {
    const { db } = this.options;
    const now = this.now();
    const heads = (await dueHeads(db, now, this.batch)).filter((m) => {
      const last = this.lastSent.get(`${m.channel}:${m.conversationId}`);
      return this.options.deliveries[m.channel as ChatChannel] && (last === undefined || now.getTime() - last >= this.pacingMs);
    });
    const results = await Promise.all(heads.map((m) => this.deliver(m)));
    return results.filter(Boolean).length;
  }

  private async deliver(message: OutboxMessage): Promise<boolean> {
    const { db, log } = this.options;
    const delivery = this.options.deliveries[message.channel as ChatChannel]!;
    if (!(await claim(db, message, this.now(), this.leaseMs))) return false;
    // Read the view again now that the message is ours: until the claim, enqueue may still have
    // replaced it with a newer one (outbox.ts), and the newer one is what must be sent.
    const claimed = await db.outboxMessage.findUniqueOrThrow({ where: { id: message.id }, select: { view: true, locale: true } });
    const view = claimed.view as unknown as MessageView;
    try {
      const existing = await postedMessageId(db, message);
      let messageId = existing;
      let found: string | undefined;
      if (existing) await delivery.update(message.conversationId, existing, view, claimed.locale);
      else {
        // FIFO per conversation: a thread's first message was sent before its replies.
        const parent = message.threadKey ? await postedMessageId(db, { ...message, messageKey: message.threadKey }) : undefined;
        const stamp = { id: message.id, key: message.messageKey };
        // Claimed before (`attempts` is as read before our claim) and not recorded as posted: an
        // earlier attempt may have posted it and died, or lost the answer, before recording it.
        if (message.attempts > 0) found = await this.findPosted(delivery, message, stamp, parent);
        messageId = found ?? (await delivery.post(message.conversationId, view, claimed.locale, { threadOf: parent, outbox: stamp }));
      }
      if (!found) this.lastSent.set(`${message.channel}:${message.conversationId}`, this.now().getTime());
      await markSent(db, message, messageId!, this.now());
      if (found) log.info({ outbox: message.id, key: message.messageKey, messageId: found }, 'outbox message found already posted; recorded, not posted again');
      else log.debug({ outbox: message.id, key: message.messageKey }, existing ? 'message updated' : 'message posted');
      return true;
    } catch (error) {
      const failure = delivery.classify(error);
      const attempts = message.attempts + 1;
      const age = this.now().getTime() - message.createdAt.getTime();
      if (failure.kind === 'permanent' || age >= this.giveUpAfterMs) {
        await markFailed(db, message, failure.reason);
        log.warn({ outbox: message.id, key: message.messageKey, conversation: message.conversationId, reason: failure.reason, attempts }, 'outbox message given up');
        return false;
      }
      const backoff = Math.min(1000 * 2 ** (attempts - 1), 5 * 60_000) * (0.8 + Math.random() * 0.4);
      const at = new Date(this.now().getTime() + (failure.afterMs ?? backoff));
      await markRetry(db, message, at, failure.reason);
      log.info({ outbox: message.id, key: message.messageKey, reason: failure.reason, retryAt: at.toISOString() }, 'outbox message will be retried');
      return false;
    }
  }

  /**
   * Looks for an earlier post of `message` in its conversation. A failure the channel would retry
   * (rate limited, network) is thrown, to retry the whole delivery later; a permanent one
   * (missing_scope: the app was installed before it asked for the history scopes) is logged, and
   * the message is posted again: at-least-once rather than never.
   */
  private async findPosted(delivery: ChannelDelivery, message: OutboxMessage, stamp: OutboxStamp, parent: string | undefined): Promise<string | undefined> {
    if (!delivery.findPosted) return undefined;
    try {
      return await delivery.findPosted(message.conversationId, stamp, parent);
    } catch (error) {
      const failure = delivery.classify(error);
      if (failure.kind === 'retry') throw error;
      this.options.log.warn(
        { outbox: message.id, key: message.messageKey, conversation: message.conversationId, reason: failure.reason },
        'could not look for an earlier post of an outbox message; posting it again, which may show it twice',
      );
      return undefined;
    }
  }
}
