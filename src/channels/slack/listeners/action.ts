/** Buttons on cards and messages. */
import { actionOf } from '../render.js';
import { BlockAction, parse } from '../payloads.js';
import { slackIdentity } from '../identity.js';
import { messagesOf, openForm } from './replies.js';
import type { ListenerDeps } from './types.js';
import { renderMessage } from '../render.js';

export function registerActions({ app, dispatcher }: ListenerDeps): void {
  app.action(/.+/, async ({ body, ack, client, respond }) => {
    await ack();
    const click = parse(BlockAction, 'block action', body);
    const conversationId = click.channel?.id ?? click.container?.channel_id ?? '';
    const [pressed] = click.actions;
    const who = slackIdentity(click.team?.id ?? click.user.team_id, click.user.id, click.user.username ?? click.user.name);
    const replies = await dispatcher.action({ who, conversationId }, actionOf(pressed.action_id), pressed.value ?? '');
    await openForm(client, replies, click.trigger_id);
    const views = messagesOf(replies);
    if (views.length) await respond({ response_type: 'ephemeral', replace_original: false, ...renderMessage(...views) } as never);
  });
}
