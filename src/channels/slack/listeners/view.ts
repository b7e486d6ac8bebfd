/** Modal submissions: field errors go back in the acknowledgement, results as ephemeral messages. */
import { formValues, parse, ViewSubmission } from '../payloads.js';
import { renderModal } from '../render.js';
import { slackIdentity } from '../identity.js';
import { openForm, postEphemeral } from './replies.js';
import type { ListenerDeps } from './types.js';

export function registerViews({ app, dispatcher }: ListenerDeps): void {
  app.view(/.+/, async ({ body, ack, client }) => {
    const submission = parse(ViewSubmission, 'view submission', body);
    const { view, user } = submission;
    const who = slackIdentity(submission.team?.id ?? user.team_id, user.id, user.name);
    const outcome = await dispatcher.submit(who, view.callback_id, view.private_metadata, formValues(view.state.values));
    if (outcome.type === 'invalid') return void (await ack({ response_action: 'errors', errors: outcome.errors }));
    if (outcome.type === 'next') return void (await ack({ response_action: 'update', view: renderModal(outcome.form) as never }));
    await ack({ response_action: 'clear' });
    const conversation = (JSON.parse(view.private_metadata) as { conv: string }).conv;
    await postEphemeral(client, conversation, user.id, outcome.replies);
    await openForm(client, outcome.replies, submission.trigger_id);
  });
}
