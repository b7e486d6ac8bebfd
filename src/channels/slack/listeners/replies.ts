/** Puts the bus's replies in front of the member, the Slack way for the surface they came from. */
import type { WebClient } from '@slack/web-api';
import type { Reply } from '../../../../commands/types.js';
import type { MessageView } from '../../../../templates/view.js';
import { renderMessage, renderModal } from '../render.js';

export const messagesOf = (replies: Reply[]): MessageView[] => replies.flatMap((r) => (r.type === 'message' ? [r.view] : []));

/** Opens the first form among the replies, if there is one and a trigger to open it with. */
export async function openForm(client: WebClient, replies: Reply[], triggerId: string | undefined): Promise<void> {
  const form = replies.find((r) => r.type === 'form');
  if (form?.type === 'form' && triggerId) await client.views.open({ trigger_id: triggerId, view: renderModal(form.form) as never });
}

/** The replies' messages as one ephemeral message in a channel. */
export async function postEphemeral(client: WebClient, channel: string, user: string, replies: Reply[]): Promise<void> {
  const views = messagesOf(replies);
  if (views.length) await client.chat.postEphemeral({ channel, user, ...renderMessage(...views) } as never);
}
