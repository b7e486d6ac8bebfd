/**
 * Direct messages: the outbox (outbox.ts) addresses a member's private conversation with the bot
 * by a conversation id of its own, so that a message to one member is queued, ordered (FIFO per
 * conversation) and retried like any other, per member.
 *
 * Format: `dm:<workspace>:<externalId>`, the member's Slack team id or Teams tenant id, then their
 * Slack user id (`U…`) or Teams AAD object id, e.g. `dm:T1:U42` or `dm:72f9…db47:6d9c…0001`. The chat
 * channel is not in the id: the outbox row carries it. Each channel's delivery opens (Slack
 * conversations.open) or creates (Teams, 1:1 conversation) the real conversation when it sends.
 */
import type { Member } from '../db/client.js';
import type { ChatChannel } from './platforms.js';

const PREFIX = 'dm:';

export type DirectRecipient = Pick<Member, 'channel' | 'workspace' | 'externalId'>;

/** The conversation id of `member`'s direct conversation with the bot. */
export function directConversation(member: DirectRecipient): string {
  if (!member.workspace || member.workspace.includes(':')) throw new Error(`cannot address a direct message in workspace "${member.workspace}"`);
  if (!member.externalId) throw new Error('cannot address a direct message to a member without an external id');
  return `${PREFIX}${member.workspace}:${member.externalId}`;
}

/** The channel and conversation id to `enqueue` a direct message to `member` with. */
export function directTo(member: DirectRecipient): { channel: ChatChannel; conversationId: string } {
  return { channel: member.channel as ChatChannel, conversationId: directConversation(member) };
}

/** The member a direct conversation id names, or undefined for any other conversation id. */
export function parseDirect(conversationId: string): { workspace: string; externalId: string } | undefined {
  if (!conversationId.startsWith(PREFIX)) return undefined;
  const rest = conversationId.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { workspace: rest.slice(0, colon), externalId: rest.slice(colon + 1) };
}
