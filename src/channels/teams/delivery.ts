/**
 * Posts and updates outbox messages in Teams, proactively, with the stored conversation references.
 *
 * No `findPosted`: a bot cannot read a conversation's messages through the Bot Connector (only
 * Microsoft Graph can, with ChannelMessage.Read.All / Chat.Read.All and an admin's consent), so a
 * message posted just before the process died, or whose answer was lost, and not yet recorded as
 * sent, is posted again after its lease: at-least-once in that window (src/delivery/outbox-worker.ts).
 */
import { TurnContext, type ChannelAccount, type CloudAdapter, type ConversationParameters, type ConversationReference } from 'botbuilder';
import type { MessageView } from '../../../templates/view.js';
import { parseDirect } from '../../core/direct.js';
import type { ChannelDelivery, DeliveryFailure, PostOptions } from '../../delivery/outbox-worker.js';
import { cardMessage } from './message.js';
import type { ConversationBook } from './conversations.js';
import { renderCard } from './render.js';

/** Who the bot's tokens are for when it calls the Bot Connector (the public cloud's, as the adapter is configured). */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

export class TeamsDelivery implements ChannelDelivery {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly book: ConversationBook,
  ) {}

  private async reference(conversationId: string): Promise<Partial<ConversationReference>> {
    const reference = await this.book.find(conversationId);
    if (reference) return reference;
    const direct = parseDirect(conversationId);
    if (direct) return this.openDirect(conversationId, direct);
    throw new NoConversation(`no Teams conversation reference for ${conversationId}: add Passerelle to that channel in Teams`);
  }

  /**
   * Creates the member's 1:1 conversation with the bot (Teams gives back the same one if it exists)
   * and keeps its reference under the `dm:` id, so that later messages reuse it. The service URL is
   * the one of any conversation known in the member's tenant.
   *
   * In real Teams this works only if Passerelle is installed for the member (personal scope, or a
   * team they belong to where it is installed, or pushed by an admin policy / Microsoft Graph);
   * otherwise, or if the member blocked the bot, the connector answers 403/404: given up.
   */
  private async openDirect(conversationId: string, { workspace, externalId }: { workspace: string; externalId: string }): Promise<Partial<ConversationReference>> {
    const known = await this.book.latestInTenant(workspace);
    const bot = known?.bot?.id ? known.bot : this.appId ? { id: `28:${this.appId}`, name: 'Passerelle' } : undefined;
    if (!known?.serviceUrl || !bot) {
      throw new NoConversation(`no Teams conversation known in tenant ${workspace} to reach ${externalId}: add Passerelle to a team or chat of that tenant`);
    }
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: { id: bot.id, name: bot.name },
      members: [{ id: externalId } as ChannelAccount],
      tenantId: workspace,
      channelData: { tenant: { id: workspace } },
    };
    let created: Partial<ConversationReference> | undefined;
    // The connector call happens before the turn, so its errors reach here, not the adapter's onTurnError.
    await this.adapter
      .createConversationAsync(this.appId, 'msteams', known.serviceUrl, CONNECTOR_AUDIENCE, parameters, async (context) => {
        created = TurnContext.getConversationReference(context.activity);
      })
      .catch((error) => {
        throw unreachable(error, externalId);
      });
    if (!created?.conversation?.id) throw new Error(`Teams created no 1:1 conversation with ${externalId}`);
    const reference: Partial<ConversationReference> = {
      ...created,
      activityId: undefined,
      conversation: { ...created.conversation, conversationType: 'personal', isGroup: false, tenantId: workspace },
    };
    await this.book.rememberAs(conversationId, reference);
    return reference;
  }

  /**
   * Runs `logic` in a proactive turn. The adapter hands a turn's errors to its onTurnError, which
   * answers the member and swallows them; the outbox needs them, so they are carried out here.
   */
  private async inConversation<T>(conversationId: string, logic: (context: TurnContext) => Promise<T>, threadOf?: string): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, inThread(await this.reference(conversationId), threadOf), async (context) => {
      try {
        outcome = { ok: true, value: await logic(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error(`the proactive turn in ${conversationId} did not run`);
    if (!outcome.ok) throw unreachable(outcome.error, parseDirect(conversationId)?.externalId);
    return outcome.value;
  }

  async post(conversationId: string, view: MessageView, _locale?: string, { threadOf }: PostOptions = {}): Promise<string> {
    return this.inConversation(
      conversationId,
      async (context) => {
        const sent = await context.sendActivity(cardMessage(renderCard(view), view.summary));
        if (!sent?.id) throw new Error('Teams accepted the message without giving its id');
        return sent.id;
      },
      threadOf,
    );
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

/** Nowhere to post: no retry will mend it. */
class NoConversation extends Error {}

/** For a member's direct conversation, a 403/404 from the connector as a clear permanent failure; other errors as they are. */
function unreachable(error: unknown, externalId: string | undefined): unknown {
  const status = (error as { statusCode?: number } | undefined)?.statusCode;
  if (!externalId || (status !== 403 && status !== 404)) return error;
  return new NoConversation(`HTTP ${status}: Teams member ${externalId} cannot be reached in a 1:1 chat (Passerelle not installed for them, or they blocked it)`);
}

/**
 * A reply in a channel post's thread: Teams addresses it as the channel's conversation id with
 * `;messageid=<the post's activity id>`. Chats have no threads: the message follows in the chat.
 */
function inThread(reference: Partial<ConversationReference>, threadOf: string | undefined): Partial<ConversationReference> {
  if (!threadOf || reference.conversation?.conversationType !== 'channel') return reference;
  const base = reference.conversation.id.split(';')[0];
  return { ...reference, conversation: { ...reference.conversation, id: `${base};messageid=${threadOf}` } };
}
