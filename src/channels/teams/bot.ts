/**
 * Passerelle's Teams turn: every activity the Teams channel delivers, turned into a neutral
 * request to the command bus, and the bus's replies rendered as Adaptive Cards.
 *  - a message `@Passerelle observe …`: a command; replies in the thread; the people it mentions
 *    reach the bus as `@<AAD object id>`, as Slack mentions reach it as `@U…`
 *  - `adaptiveCard/action` (Action.Execute): a button or a form submission; a form's card turns
 *    into its result in place, a button's notices show to the one who pressed it
 *  - a message with `value` (Action.Submit, for clients without Action.Execute): the same
 *  - `composeExtension/fetchTask` / `submitAction`: "Capture as observation" from a message's menu
 *  - `conversationUpdate` adding the bot: the conversation is remembered and greeted with the help
 */
import { CardFactory, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { message, type Reply } from '../../../commands/types.js';
import { pickLanguage, translator } from '../../../templates/i18n.js';
import { problem } from '../../../templates/notices.js';
import type { Dispatcher, Where } from '../../bus/dispatcher.js';
import type { PrismaClient } from '../../db/client.js';
import { identify, type ChatIdentity } from '../../core/members.js';
import type { ConversationBook } from './conversations.js';
import { cardMessage } from './message.js';
import {
  Activity,
  CardAction,
  commandLine,
  conversationOf,
  FetchTask,
  mentionsOf,
  parse,
  SubmitAction,
  SubmitData,
  textFromHtml,
} from './payloads.js';
import { formValuesFrom, renderCard, renderFormCard } from './render.js';

const FORM_VERB = 'form:';

type InvokeBody = Record<string, unknown> | undefined;

export function teamsIdentity(activity: Activity): ChatIdentity {
  return {
    channel: 'teams',
    workspace: activity.channelData?.tenant?.id ?? activity.conversation.tenantId ?? 'unknown',
    externalId: activity.from.aadObjectId ?? activity.from.id,
    displayName: activity.from.name,
  };
}

const cardOf = (card: object) => CardFactory.adaptiveCard(card);
const messages = (replies: Reply[]) => replies.flatMap((r) => (r.type === 'message' ? [r.view] : []));
const forms = (replies: Reply[]) => replies.flatMap((r) => (r.type === 'form' ? [r.form] : []));
/** The connector's answer for someone who is not in the team or chat (404 MemberNotFoundInConversation), or not a user id (400). */
const notFound = (error: unknown) => [400, 404].includes((error as { statusCode?: number }).statusCode ?? 0);

export class TeamsBot {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly book: ConversationBook,
    private readonly log: Logger,
    private readonly db: PrismaClient,
  ) {}

  async onTurn(context: TurnContext): Promise<void> {
    const activity = parse(Activity, context.activity);
    await this.book.remember(activity);
    const where: Where = { who: teamsIdentity(activity), conversationId: conversationOf(activity) };

    if (activity.type === 'message' && activity.value && typeof activity.value === 'object') {
      return this.onSubmit(context, where, parse(SubmitData, activity.value));
    }
    if (activity.type === 'message') {
      const mentioned = await this.resolveMentions(context, activity);
      if (mentioned.missing.length) return this.send(context, await this.mentionsNotFound(activity, where.who, mentioned.missing));
      const replies = await this.dispatcher.command(
        { ...where, sourceKey: activity.id ? `teams:${activity.conversation.id}:${activity.id}` : undefined },
        commandLine(activity.text, mentioned.ids),
      );
      return this.send(context, replies);
    }
    if (activity.type === 'invoke') return this.invoke(context, await this.onInvoke(context, where, activity));
    if (activity.type === 'conversationUpdate') return this.onConversationUpdate(context, where, activity);
    this.log.debug({ type: activity.type }, 'Teams activity ignored');
  }

  /**
   * The people a message mentions, by the id Passerelle knows them by. A mention carries the Teams
   * user id (29:…); members are known by their AAD object id (see teamsIdentity), which only the
   * connector's GET members/{id} (TeamsInfo.getMember) tells. Each person found gets their Member
   * row, with their name, in the speaker's tenant, as when they speak themselves.
   * `ids` maps each mention's `<at>…</at>` text to that id; `missing` names those not found.
   */
  private async resolveMentions(context: TurnContext, activity: Activity): Promise<{ ids: Map<string, string>; missing: string[] }> {
    const mentions = mentionsOf(activity);
    if (!mentions.length) return { ids: new Map(), missing: [] };
    const workspace = teamsIdentity(activity).workspace;
    const people = [...new Map(mentions.map((m) => [m.mentioned.id, m])).values()];
    const found = new Map(
      await Promise.all(
        people.map(async (m) => {
          try {
            const account = await TeamsInfo.getMember(context, m.mentioned.id);
            const externalId = account.aadObjectId ?? account.id;
            await identify(this.db, { channel: 'teams', workspace, externalId, displayName: account.name ?? m.mentioned.name });
            return [m.mentioned.id, externalId] as const;
          } catch (error) {
            if (!notFound(error)) throw error;
            this.log.info({ mentioned: m.mentioned.id, err: error }, 'Teams mention not found in the conversation');
            return [m.mentioned.id, undefined] as const;
          }
        }),
      ),
    );
    const ids = new Map<string, string>();
    for (const m of mentions) {
      const id = found.get(m.mentioned.id);
      if (id) ids.set(m.text, id);
    }
    const missing = people.filter((m) => !found.get(m.mentioned.id)).map((m) => m.mentioned.name ?? textFromHtml(m.text));
    return { ids, missing };
  }

  /** Nothing is done when someone mentioned cannot be found: the member is told who, and what to do. */
  private async mentionsNotFound(activity: Activity, who: ChatIdentity, missing: string[]): Promise<Reply[]> {
    const member = await identify(this.db, who);
    const t = translator(pickLanguage(member.language, activity.locale?.slice(0, 2)), 'teams');
    return [message(problem([t('errors.mentionNotFound', { who: missing.join(', ') })]))];
  }

  /** Replies as new messages in the conversation (in the thread, for a channel message). */
  private async send(context: TurnContext, replies: Reply[]): Promise<void> {
    const views = messages(replies);
    if (views.length) await context.sendActivity(cardMessage(renderCard(...views), views[0].summary));
    for (const form of forms(replies)) await context.sendActivity(cardMessage(renderFormCard(form), form.title));
  }

  private async invoke(context: TurnContext, body: InvokeBody, status = 200): Promise<void> {
    await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
  }

  private async onInvoke(context: TurnContext, where: Where, activity: Activity): Promise<InvokeBody> {
    switch (activity.name) {
      case 'adaptiveCard/action': {
        const { action } = parse(CardAction, activity.value);
        if (action.verb.startsWith(FORM_VERB)) return this.onFormAction(context, where, action.verb.slice(FORM_VERB.length), action.data);
        const replies = await this.dispatcher.action(where, action.verb, String(action.data.value ?? ''));
        // A form a button opens replaces the card for the member who pressed it, and for them only
        // (Universal Actions: an invoke response card is shown to the interactor): nobody else sees
        // that they are, say, ranking the texts or giving the reason for a block.
        const [form] = forms(replies);
        if (form) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderFormCard(form) };
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: messages(replies).map((v) => v.summary).join('\n') || 'OK' };
      }
      case 'composeExtension/fetchTask': {
        const fetch = parse(FetchTask, activity.value);
        const replies = await this.dispatcher.shortcut(where, fetch.commandId, {
          text: textFromHtml(fetch.messagePayload?.body?.content ?? ''),
          link: fetch.messagePayload?.linkToMessage,
        });
        const [form] = forms(replies);
        if (!form) return { task: { type: 'message', value: messages(replies).map((v) => v.summary).join('\n') } };
        return { task: { type: 'continue', value: { title: form.title, width: 'large', height: 'large', card: cardOf(renderFormCard(form, { inDialog: true })) } } };
      }
      case 'composeExtension/submitAction': {
        const submitted = parse(SubmitAction, activity.value);
        const data = parse(SubmitData, submitted.data);
        const outcome = await this.dispatcher.submit(where.who, data.action.slice(FORM_VERB.length), String(data.state ?? ''), formValuesFrom(data));
        if (outcome.type === 'invalid') return { task: { type: 'message', value: Object.values(outcome.errors).join('\n') } };
        if (outcome.type === 'next') {
          return { task: { type: 'continue', value: { title: outcome.form.title, card: cardOf(renderFormCard(outcome.form, { inDialog: true })) } } };
        }
        await this.send(context, outcome.replies);
        return {};
      }
      default:
        this.log.warn({ name: activity.name }, 'Teams invoke not handled');
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: translator(activity.locale?.slice(0, 2) ?? 'en', 'teams')('errors.expired') };
    }
  }

  /** A form's Action.Execute: the card becomes the result (or the next form); problems show to the member. */
  private async onFormAction(context: TurnContext, where: Where, formId: string, data: Record<string, unknown>): Promise<InvokeBody> {
    const outcome = await this.dispatcher.submit(where.who, formId, String(data.state ?? ''), formValuesFrom(data));
    if (outcome.type === 'invalid') {
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: Object.values(outcome.errors).join('\n') };
    }
    if (outcome.type === 'next') return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderFormCard(outcome.form) };
    for (const form of forms(outcome.replies)) await context.sendActivity(cardMessage(renderFormCard(form), form.title));
    const views = messages(outcome.replies);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderCard(...views) };
  }

  /** Action.Submit, the fallback of clients without Action.Execute: replies come as new messages. */
  private async onSubmit(context: TurnContext, where: Where, data: { action: string; [k: string]: unknown }): Promise<void> {
    if (data.action.startsWith(FORM_VERB)) {
      const outcome = await this.dispatcher.submit(where.who, data.action.slice(FORM_VERB.length), String(data.state ?? ''), formValuesFrom(data));
      if (outcome.type === 'invalid') return void (await context.sendActivity(Object.values(outcome.errors).join('\n')));
      if (outcome.type === 'next') return this.send(context, [{ type: 'form', form: outcome.form }]);
      return this.send(context, outcome.replies);
    }
    return this.send(context, await this.dispatcher.action(where, data.action, String(data.value ?? '')));
  }

  private async onConversationUpdate(context: TurnContext, where: Where, activity: Activity): Promise<void> {
    const added = (activity as { membersAdded?: Array<{ id: string }> }).membersAdded ?? [];
    if (!added.some((m) => m.id === activity.recipient.id)) return;
    this.log.info({ conversation: where.conversationId }, 'Passerelle added to a Teams conversation');
    await this.send(context, this.dispatcher.welcome('teams', where.conversationId));
  }
}
