/**
 * The parts of Slack's payloads Passerelle reads, parsed with zod at the boundary. A payload
 * that does not fit is malformed: the request gets HTTP 400 and a log line, nothing else.
 */
import { z } from 'zod';
import type { FormValues } from '../../../templates/view.js';

export class MalformedPayload extends Error {
  constructor(
    readonly kind: string,
    readonly issues: string[],
  ) {
    super(`malformed Slack ${kind}: ${issues.join('; ')}`);
  }
}

const id = z.string().min(1);

export const SlashCommand = z.object({
  team_id: id,
  user_id: id,
  user_name: z.string().optional(),
  channel_id: id,
  command: z.string(),
  text: z.string().default(''),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

const StateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
});

export const ViewSubmission = z.object({
  type: z.literal('view_submission'),
  team: z.object({ id }).nullish(),
  user: z.object({ id, name: z.string().optional(), team_id: z.string().optional() }),
  trigger_id: z.string().optional(),
  view: z.object({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().default(''),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), StateValue)) }),
  }),
});

export const BlockAction = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id }).nullish(),
  user: z.object({ id, name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  channel: z.object({ id }).optional(),
  container: z.object({ channel_id: z.string().optional() }).passthrough().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

export const MessageShortcut = z.object({
  type: z.literal('message_action'),
  callback_id: z.string(),
  team: z.object({ id, domain: z.string().optional() }).nullish(),
  user: z.object({ id, name: z.string().optional(), username: z.string().optional() }),
  channel: z.object({ id }),
  message: z.object({ ts: z.string(), text: z.string().default('') }).passthrough(),
  trigger_id: z.string(),
  response_url: z.string().optional(),
});

export const AppMention = z.object({
  team_id: id,
  event_id: z.string().optional(),
  event: z.object({
    type: z.literal('app_mention'),
    user: id,
    text: z.string(),
    ts: z.string(),
    channel: id,
  }),
});

export function parse<T extends z.ZodType>(schema: T, kind: string, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new MalformedPayload(kind, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

/** The schema for each kind of request Passerelle listens to; others pass through to Bolt unchecked. */
function schemaFor(body: Record<string, unknown>): [z.ZodType, string] | undefined {
  if (typeof body.command === 'string') return [SlashCommand, 'slash command'];
  if (body.type === 'view_submission') return [ViewSubmission, 'view submission'];
  if (body.type === 'block_actions') return [BlockAction, 'block action'];
  if (body.type === 'message_action') return [MessageShortcut, 'message shortcut'];
  const event = body.event as { type?: unknown } | undefined;
  if (body.type === 'event_callback' && event?.type === 'app_mention') return [AppMention, 'app_mention event'];
  return undefined;
}

/** Checks a request body before Bolt sees it (Bolt acknowledges events before any listener runs). */
export function checkBody(body: Record<string, unknown>): void {
  const found = schemaFor(body);
  if (found) parse(found[0], found[1], body);
}

/** A modal's state as neutral form values: one entry per input block (block id = field id). */
export function formValues(values: z.infer<typeof ViewSubmission>['view']['state']['values']): FormValues {
  const out: FormValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    for (const v of Object.values(actions)) {
      out[blockId] =
        v.selected_options?.map((o) => o.value) ??
        v.selected_option?.value ??
        v.selected_date ??
        v.selected_time ??
        v.value ??
        undefined;
    }
  }
  return out;
}
