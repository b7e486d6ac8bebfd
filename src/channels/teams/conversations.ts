/**
 * Teams conversation references: what the bot needs to post in a conversation without being
 * spoken to (the outbox's cards now, digests later). Kept for every channel or chat the bot was
 * added to or spoken to in; written again only when they change.
 */
import { TurnContext, type ConversationReference } from 'botbuilder';
import type { PrismaClient } from '../../db/client.js';
import { conversationOf, type Activity } from './payloads.js';

export class ConversationBook {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: PrismaClient) {}

  /** Keeps the reference of the conversation `activity` came from, addressed to the channel itself. */
  async remember(activity: Activity): Promise<void> {
    const conversationId = conversationOf(activity);
    const reference = TurnContext.getConversationReference(activity as never) as ConversationReference;
    const addressed: Partial<ConversationReference> = {
      ...reference,
      activityId: undefined,
      conversation: { ...reference.conversation, id: conversationId },
    };
    const serialised = JSON.stringify(addressed);
    if (this.known.get(conversationId) === serialised) return;
    const data = {
      serviceUrl: activity.serviceUrl,
      tenantId: activity.channelData?.tenant?.id ?? activity.conversation.tenantId ?? null,
      teamId: activity.channelData?.team?.id ?? null,
      reference: JSON.parse(serialised) as object,
    };
    await this.db.teamsConversation.upsert({ where: { conversationId }, create: { conversationId, ...data }, update: data });
    this.known.set(conversationId, serialised);
  }

  /**
   * Keeps `reference` under an id of Passerelle's own (a member's `dm:…` conversation, see
   * src/core/direct.ts), the conversation it addresses keeping its Teams id.
   */
  async rememberAs(conversationId: string, reference: Partial<ConversationReference>): Promise<void> {
    const serialised = JSON.stringify({ ...reference, activityId: undefined });
    if (this.known.get(conversationId) === serialised) return;
    const data = {
      serviceUrl: reference.serviceUrl ?? '',
      tenantId: reference.conversation?.tenantId ?? null,
      teamId: null,
      reference: JSON.parse(serialised) as object,
    };
    await this.db.teamsConversation.upsert({ where: { conversationId }, create: { conversationId, ...data }, update: data });
    this.known.set(conversationId, serialised);
  }

  /** The reference of the conversation of tenant `tenantId` the bot heard from last, if any. */
  async latestInTenant(tenantId: string): Promise<Partial<ConversationReference> | undefined> {
    const row = await this.db.teamsConversation.findFirst({ where: { tenantId }, orderBy: { updatedAt: 'desc' } });
    return row ? { ...(row.reference as Partial<ConversationReference>), serviceUrl: row.serviceUrl } : undefined;
  }

  async find(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const row = await this.db.teamsConversation.findUnique({ where: { conversationId } });
    return row ? (row.reference as Partial<ConversationReference>) : undefined;
  }
}
