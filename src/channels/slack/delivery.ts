/** Posts and updates outbox messages in Slack with the Web API. */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { MessageView } from '../../../templates/view.js';
import { parseDirect } from '../../core/direct.js';
import type { ChannelDelivery, DeliveryFailure } from '../../delivery/outbox-worker.js';
import { renderMessage } from './render.js';

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

  async post(conversationId: string, view: MessageView, _locale?: string, threadOf?: string): Promise<string> {
    const channel = await this.channelOf(conversationId);
    const thread = threadOf ? { thread_ts: threadOf } : {};
    const result = await this.client.chat.postMessage({ channel, unfurl_links: false, ...thread, ...renderMessage(view) } as never);
    return result.ts as string;
  }

  async update(conversationId: string, messageId: string, view: MessageView): Promise<void> {
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
