/**
 * The parts of Teams activities Passerelle reads, parsed with zod at the boundary. An activity
 * that does not fit gets HTTP 400 and a log line.
 */
import { z } from 'zod';

export class MalformedActivity extends Error {
  constructor(readonly issues: string[]) {
    super(`malformed Teams activity: ${issues.join('; ')}`);
  }
}

const account = z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() }).passthrough();

export const Activity = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    name: z.string().optional(),
    channelId: z.string(),
    serviceUrl: z.string().url(),
    from: account,
    recipient: account,
    conversation: z
      .object({ id: z.string().min(1), tenantId: z.string().optional(), conversationType: z.string().optional() })
      .passthrough(),
    text: z.string().optional(),
    locale: z.string().optional(),
    value: z.unknown().optional(),
    replyToId: z.string().optional(),
    entities: z.array(z.object({ type: z.string().optional() }).passthrough()).optional(),
    channelData: z
      .object({
        tenant: z.object({ id: z.string() }).partial().optional(),
        team: z.object({ id: z.string() }).partial().optional(),
        channel: z.object({ id: z.string() }).partial().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type Activity = z.infer<typeof Activity>;

/** `adaptiveCard/action`: an Action.Execute pressed on a card. */
export const CardAction = z.object({
  action: z.object({ type: z.string().optional(), verb: z.string().min(1), data: z.record(z.string(), z.unknown()).default({}) }),
});

/** The data an Action.Submit (fallback of Action.Execute) puts in a message's `value`. */
export const SubmitData = z.object({ action: z.string().min(1) }).catchall(z.unknown());

/** `composeExtension/fetchTask` from a message's "…" menu. */
export const FetchTask = z.object({
  commandId: z.string().min(1),
  messagePayload: z
    .object({
      id: z.string().optional(),
      body: z.object({ content: z.string().default(''), contentType: z.string().optional() }).optional(),
      linkToMessage: z.string().optional(),
    })
    .passthrough()
    .optional(),
});

/** `composeExtension/submitAction`: the dialog's form was submitted. */
export const SubmitAction = z.object({ commandId: z.string().min(1), data: z.record(z.string(), z.unknown()).default({}) });

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new MalformedActivity(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

/** The conversation a platform binds: the channel (without the thread) or the chat. */
export function conversationOf(activity: Activity): string {
  return activity.channelData?.channel?.id ?? activity.conversation.id.split(';')[0];
}

/** Teams message HTML (a captured message's body) as plain text. */
export function textFromHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A mention in a message: Teams writes `<at>Alice Martin</at>` in `text` and adds this entity, whose
 * `text` is that same `<at>…</at>` and whose `mentioned.id` is the Teams user id (`29:…`), not the
 * AAD object id Passerelle knows members by. The bot's own mention has `mentioned.id` = recipient.id.
 */
export const MentionEntity = z.object({
  type: z.literal('mention'),
  text: z.string().min(1),
  mentioned: z.object({ id: z.string().min(1), name: z.string().optional() }).passthrough(),
});
export type MentionEntity = z.infer<typeof MentionEntity>;

/** The people a message mentions, the bot itself left out. */
export function mentionsOf(activity: Activity): MentionEntity[] {
  return (activity.entities ?? [])
    .filter((e) => e.type === 'mention')
    .map((e) => parse(MentionEntity, e))
    .filter((m) => m.mentioned.id !== activity.recipient.id);
}

/**
 * A message to the bot as the bus reads it: each `<at>…</at>` found in `ids` (mention text → member
 * id) becomes `@<id>`, as Slack's `<@U123|alice>` becomes `@U123`; any other, such as the
 * `<at>Passerelle</at>` that addressed the bot, goes.
 */
export function commandLine(text: string | undefined, ids: ReadonlyMap<string, string> = new Map()): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, (at) => (ids.has(at) ? ` @${ids.get(at)} ` : ' '))
    .replace(/&nbsp;/g, ' ')
    .trim();
}
