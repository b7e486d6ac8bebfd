/** Posts and updates outbox messages in Slack with the Web API. */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { MessageView } from '../../../templates/view.js';
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
]);

export class SlackDelivery implements ChannelDelivery {
  constructor(private readonly client: WebClient) {}

  async post(conversationId: string, view: MessageView): Promise<string> {
    const result = await this.client.chat.postMessage({ channel: conversationId, unfurl_links: false, ...renderMessage(view) } as never);
    return result.ts as string;
  }

  async update(conversationId: string, messageId: string, view: MessageView): Promise<void> {
    await this.client.chat.update({ channel: conversationId, ts: messageId, ...renderMessage(view) } as never);
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
