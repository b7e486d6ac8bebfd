/**
 * Posts and updates outbox messages in Slack with the Web API. Every post carries message metadata
 * naming its outbox entry, so that a post whose answer never reached the database (the process
 * died, or the answer was lost) is found in the channel's history instead of being posted twice
 * (`findPosted`; src/delivery/outbox-worker.ts). Reading the history needs the bot scopes
 * channels:history, groups:history (private channels) and im:history (direct messages).
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { MessageView } from '../../../templates/view.js';
import { parseDirect } from '../../core/direct.js';
import type { ChannelDelivery, DeliveryFailure, OutboxStamp, PostOptions } from '../../delivery/outbox-worker.js';
import { shareFile } from './files.js';
import { renderMessage } from './render.js';

/** The metadata event type of Passerelle's outbox posts: `{ event_type, event_payload: { key, outbox } }`. */
export const OUTBOX_METADATA_TYPE = 'passerelle_outbox';

/**
 * How many of the conversation's latest messages are searched for an earlier post. The message
 * looked for is the oldest pending one of its conversation (the outbox is FIFO per conversation),
 * so only other people's messages can have come after it.
 */
export const HISTORY_LOOKBACK = 50;

/** Errors no retry will mend. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'message_not_found',
  'cant_update_message',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'missing_scope',
  // conversations.open, for a member's direct messages
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'cannot_dm_bot',
]);

export class SlackDelivery implements ChannelDelivery {
  constructor(private readonly client: WebClient) {}

  async post(conversationId: string, view: MessageView, _locale?: string, options: PostOptions = {}): Promise<string> {
    const channel = await this.channelOf(conversationId);
    // A file (an exchange's .ics invitation) is shared, not posted; its id stands for the message.
    if (view.file) return shareFile(this.client, channel, view.file, view.summary, options.threadOf);
    const thread = options.threadOf ? { thread_ts: options.threadOf } : {};
    const metadata = options.outbox ? { metadata: { event_type: OUTBOX_METADATA_TYPE, event_payload: { key: options.outbox.key, outbox: options.outbox.id } } } : {};
    const result = await this.client.chat.postMessage({ channel, unfurl_links: false, ...thread, ...metadata, ...renderMessage(view) } as never);
    return result.ts as string;
  }

  /**
   * The ts of the message posted for outbox entry `outbox`, among the conversation's latest
   * HISTORY_LOOKBACK messages (conversations.history), or the thread's (conversations.replies)
   * for a reply; metadata is returned only with include_all_metadata.
   */
  async findPosted(conversationId: string, outbox: OutboxStamp, threadOf?: string): Promise<string | undefined> {
    const channel = await this.channelOf(conversationId);
    const page = threadOf
      ? await this.client.conversations.replies({ channel, ts: threadOf, limit: HISTORY_LOOKBACK, include_all_metadata: true })
      : await this.client.conversations.history({ channel, limit: HISTORY_LOOKBACK, include_all_metadata: true });
    const messages = (page.messages ?? []) as Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }>;
    const mine = messages.find(
      (m) =>
        m.metadata?.event_type === OUTBOX_METADATA_TYPE &&
        Number(m.metadata.event_payload?.outbox) === outbox.id &&
        m.metadata.event_payload?.key === outbox.key,
    );
    return mine?.ts;
  }

  async update(conversationId: string, messageId: string, view: MessageView): Promise<void> {
    if (view.file) return; // a shared file is not changed in place
    const channel = await this.channelOf(conversationId);
    await this.client.chat.update({ channel, ts: messageId, ...renderMessage(view) } as never);
  }

  /**
   * The Slack channel to post in: the conversation itself, or for a member's direct conversation
   * (`dm:<team>:<user>`) the bot's DM channel (`D…`) with them. conversations.open is asked every
   * time: it returns the same channel for the same member, and chat.update needs that real channel
   * id (chat.postMessage alone would take the user id). The bot token is the workspace's, so the
   * team of the id is not used.
   */
  private async channelOf(conversationId: string): Promise<string> {
    const direct = parseDirect(conversationId);
    if (!direct) return conversationId;
    const opened = await this.client.conversations.open({ users: direct.externalId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error(`conversations.open gave no channel for ${direct.externalId}`);
    return channel;
  }

  classify(error: unknown): DeliveryFailure {
    const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
    if (e.code === ErrorCode.RateLimitedError) return { kind: 'retry', afterMs: (e.retryAfter ?? 1) * 1000, reason: 'rate limited' };
    if (e.code === ErrorCode.PlatformError) {
      const reason = e.data?.error ?? 'unknown_error';
      return PERMANENT.has(reason) ? { kind: 'permanent', reason } : { kind: 'retry', reason };
    }
    if (e.code === ErrorCode.HTTPError) return { kind: 'retry', reason: `HTTP ${e.statusCode}` };
    return { kind: 'retry', reason: e.message ?? String(error) };
  }
}
