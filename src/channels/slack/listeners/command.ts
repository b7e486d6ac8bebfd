/** `/passerelle …`: answered in the HTTP acknowledgement, within Slack's three seconds. */
import { plainFromSlack } from '../mrkdwn.js';
import { parse, SlashCommand } from '../payloads.js';
import { renderMessage } from '../render.js';
import { slackIdentity } from '../identity.js';
import { messagesOf, openForm } from './replies.js';
import type { ListenerDeps } from './types.js';

export function registerCommand({ app, dispatcher }: ListenerDeps, name: string): void {
  app.command(name, async ({ body, ack, client }) => {
    const command = parse(SlashCommand, 'slash command', body);
    const replies = await dispatcher.command(
      { who: slackIdentity(command.team_id, command.user_id, command.user_name), conversationId: command.channel_id },
      plainFromSlack(command.text, { userIds: true }),
    );
    const views = messagesOf(replies);
    await ack(views.length ? { response_type: 'ephemeral', ...renderMessage(...views) } as never : undefined);
    await openForm(client, replies, command.trigger_id);
  });
}
