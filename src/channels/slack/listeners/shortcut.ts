/** Message shortcuts ("Capture as observation"): open a form prefilled with the message. */
import { messageLink, slackIdentity } from '../identity.js';
import { plainFromSlack } from '../mrkdwn.js';
import { MessageShortcut, parse } from '../payloads.js';
import { renderMessage } from '../render.js';
import { messagesOf, openForm } from './replies.js';
import type { ListenerDeps } from './types.js';

export function registerShortcuts({ app, dispatcher }: ListenerDeps): void {
  app.shortcut(/.+/, async ({ body, ack, client, respond }) => {
    await ack();
    const shortcut = parse(MessageShortcut, 'message shortcut', body);
    const who = slackIdentity(shortcut.team?.id, shortcut.user.id, shortcut.user.username ?? shortcut.user.name);
    const link = messageLink(shortcut.team?.domain, shortcut.channel.id, shortcut.message.ts);
    const replies = await dispatcher.shortcut({ who, conversationId: shortcut.channel.id }, shortcut.callback_id, {
      text: plainFromSlack(shortcut.message.text),
      link,
    });
    await openForm(client, replies, shortcut.trigger_id);
    const views = messagesOf(replies);
    if (views.length) await respond({ response_type: 'ephemeral', ...renderMessage(...views) } as never);
  });
}
