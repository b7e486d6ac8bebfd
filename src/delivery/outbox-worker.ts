/**
 * Delivers the outbox (src/core/outbox.ts) to the chat channels: oldest first within each
 * conversation, at most one message per `pacingMs` per conversation (Slack allows about one a
 * second), retried with exponential back-off or after the `Retry-After` the channel asked for,
 * and given up only after `giveUpAfterMs`, with a log line and the entry left as `failed`.
 */
import type { Logger } from 'pino';
import type { MessageView } from '../../templates/view.js';
import type { PrismaClient } from '../db/client.js';
import { claim, dueHeads, markFailed, markRetry, markSent, postedMessageId, type OutboxMessage } from '../core/outbox.js';
import type { ChatChannel } from '../core/platforms.js';

export type DeliveryFailure = { kind: 'retry'; afterMs?: number; reason: string } | { kind: 'permanent'; reason: string };

/** How one chat channel posts and updates a message. */
export interface ChannelDelivery {
  /** Posts a new message; in the thread of `threadOf` (a message id this channel gave) when set. */
  post(conversationId: string, view: MessageView, locale: string, threadOf?: string): Promise<string>;
  update(conversationId: string, messageId: string, view: MessageView, locale: string): Promise<void>;
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
      if (existing) await delivery.update(message.conversationId, existing, view, claimed.locale);
      else {
        // FIFO per conversation: a thread's first message was sent before its replies.
        const parent = message.threadKey ? await postedMessageId(db, { ...message, messageKey: message.threadKey }) : undefined;
        messageId = await delivery.post(message.conversationId, view, claimed.locale, parent);
      }
      this.lastSent.set(`${message.channel}:${message.conversationId}`, this.now().getTime());
      await markSent(db, message, messageId!, this.now());
      log.debug({ outbox: message.id, key: message.messageKey }, existing ? 'message updated' : 'message posted');
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
}
