/**
 * Links from a digest to an observation's card. Passerelle keeps where each card was posted
 * (ChatMessage `observation:<id>`: the channel and the message's id), not a link to it:
 *
 * - Slack: a message's permalink is `https://<workspace>.slack.com/archives/<channel>/p<ts without
 *   the dot>` (the form chat.getPermalink returns), which needs the workspace's address. With
 *   SLACK_WORKSPACE_URL set (e.g. https://mire.slack.com) the digest links each observation's number
 *   to its card; without it, the number is shown without a link.
 * - Teams: a channel message's deep link needs the team's group id, which the bot is not given
 *   with the conversation; the number is shown without a link.
 *
 * Either way, an observation captured from a chat message links to that message ("original
 * message"), the link Slack or Teams gave when it was captured.
 */
import type { CardLocation } from './types.js';

export function cardLinks(options: { slackWorkspaceUrl?: string }): (card: CardLocation) => string | undefined {
  const base = options.slackWorkspaceUrl?.replace(/\/+$/, '');
  return (card) => {
    if (card.channel !== 'slack' || !base || card.conversationId.startsWith('dm:')) return undefined;
    if (!/^\d+\.\d+$/.test(card.messageId)) return undefined;
    return `${base}/archives/${card.conversationId}/p${card.messageId.replace('.', '')}`;
  };
}
