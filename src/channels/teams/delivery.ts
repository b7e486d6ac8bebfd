/** Posts and updates outbox messages in Teams, proactively, with the stored conversation references. */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
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

  /**
   * Runs `logic` in a proactive turn. The adapter hands a turn's errors to its onTurnError, which
   * answers the member and swallows them; the outbox needs them, so they are carried out here.
   */
  private async inConversation<T>(conversationId: string, logic: (context: TurnContext) => Promise<T>): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, await this.reference(conversationId), async (context) => {
      try {
        outcome = { ok: true, value: await logic(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error(`the proactive turn in ${conversationId} did not run`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async post(conversationId: string, view: MessageView): Promise<string> {
    return this.inConversation(conversationId, async (context) => {
      const sent = await context.sendActivity(cardMessage(renderCard(view), view.summary));
      if (!sent?.id) throw new Error('Teams accepted the message without giving its id');
      return sent.id;
    });
  }

  async update(conversationId: string, messageId: string, view: MessageView): Promise<void> {
    await this.inConversation(conversationId, (context) => context.updateActivity({ ...cardMessage(renderCard(view), view.summary), id: messageId }));
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
