import type { ChatIdentity } from '../../core/members.js';

export function slackIdentity(workspace: string | undefined | null, userId: string, displayName?: string): ChatIdentity {
  return { channel: 'slack', workspace: workspace ?? 'unknown', externalId: userId, displayName };
}

/** A permanent link to a message, as Slack builds them. */
export function messageLink(teamDomain: string | undefined, channelId: string, ts: string): string | undefined {
  if (!teamDomain) return undefined;
  return `https://${teamDomain}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
}
