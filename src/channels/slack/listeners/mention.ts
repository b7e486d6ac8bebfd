/**
 * `@Passerelle observe …` in a channel. Slack retries an event it thinks was not acknowledged;
 * the message's own timestamp is the observation's source key, so a retry files nothing twice.
 */
import { plainFromSlack } from '../mrkdwn.js';
import { AppMention, parse } from '../payloads.js';
import { slackIdentity } from '../identity.js';
import { postEphemeral } from './replies.js';
import type { ListenerDeps } from './types.js';

export function registerMentions({ app, dispatcher }: ListenerDeps): void {
  app.event('app_mention', async ({ body, client }) => {
    const { team_id, event } = parse(AppMention, 'app_mention event', body);
    const line = plainFromSlack(event.text.replace(/^\s*(<@[UW][A-Z0-9]+(\|[^>]*)?>\s*)+/, ''), { userIds: true });
    const replies = await dispatcher.command(
      {
        who: slackIdentity(team_id, event.user),
        conversationId: event.channel,
        sourceKey: `slack:${team_id}:${event.channel}:${event.ts}`,
        canOpenForms: false,
      },
      line,
    );
    await postEphemeral(client, event.channel, event.user, replies);
  });
}
