/** Posts and updates outbox messages in Teams, proactively, with the stored conversation references. */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { MessageView } from '../../../templates/view.js';
import type { ChannelDelivery, DeliveryFailure } from '../../delivery/outbox-worker.js';
import { cardMessage } from './message.js';
import type { ConversationBook } from './conversations.js';
import { renderCard } from './render.js';

export class TeamsDelivery implements ChannelDelivery {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly book: ConversationBook,
  ) {}

  private async reference(conversationId: string): Promise<Partial<ConversationReference>> {
    const reference = await this.book.find(conversationId);
    if (!reference) throw new NoConversation(conversationId);
    return reference;
  }

  async post(conversationId: string, view: MessageView): Promise<string> {
    let id = '';
    await this.adapter.continueConversationAsync(this.appId, await this.reference(conversationId), async (context) => {
      const sent = await context.sendActivity(cardMessage(renderCard(view), view.summary));
      id = sent?.id ?? '';
    });
    return id;
  }

  async update(conversationId: string, messageId: string, view: MessageView): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, await this.reference(conversationId), async (context) => {
      await context.updateActivity({ ...cardMessage(renderCard(view), view.summary), id: messageId });
    });
  }

  classify(error: unknown): DeliveryFailure {
    if (error instanceof NoConversation) return { kind: 'permanent', reason: error.message };
    const e = error as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } }; message?: string };
    const status = e.statusCode;
    if (status === 429) {
      const seconds = Number(e.response?.headers?.get?.('retry-after'));
      return { kind: 'retry', afterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined, reason: 'rate limited (429)' };
    }
    if (status && status >= 400 && status < 500 && status !== 408) return { kind: 'permanent', reason: `HTTP ${status}` };
    return { kind: 'retry', reason: status ? `HTTP ${status}` : (e.message ?? String(error)) };
  }
}

class NoConversation extends Error {
  constructor(conversationId: string) {
    super(`no Teams conversation reference for ${conversationId}: add Passerelle to that channel in Teams`);
  }
}
