/**
 * Builders of the HTTP requests Slack sends to the bot (slash commands, interactivity payloads, Events API),
 * signed like Slack signs them, and a sender.
 *
 *   const req = slashCommand({ text: 'help', responseUrl: fake.responseUrl('cmd1') });
 *   const res = await sendSigned(botUrl, '/slack/events', req, { secret: SIGNING_SECRET });
 *
 * Signature (v0): `x-slack-signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody)>` with
 * `x-slack-request-timestamp: <unix seconds>`; Bolt rejects timestamps older than 5 minutes.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULTS = {
  teamId: 'T1',
  teamDomain: 'passerelle-test',
  appId: 'A0PASSERELLE',
  botUserId: 'UBOT',
  userId: 'U1',
  userName: 'alice',
  channelId: 'C01FRANCE',
  channelName: 'france',
  command: '/passerelle',
  /** The deprecated verification token Slack still puts in payloads; Bolt ignores it. */
  verificationToken: 'fake-verification-token',
} as const;

/** A request body ready for sendSigned; `payload` is the object that was encoded, for assertions. */
export interface SlackRequest<P = Record<string, unknown>> {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  payload: P;
}

let counter = 0;
const seq = (): number => {
  counter += 1;
  return counter;
};
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
/** A fresh Slack-style ts ("1700000123.000456"). */
export const freshTs = (): string => `${nowSeconds()}.${String(seq()).padStart(6, '0')}`;
/** A fresh trigger_id in Slack's shape ("1234567890.123456789.abcdef..."). */
export const freshTriggerId = (): string =>
  `${nowSeconds()}.${String(100000000 + seq())}.${randomBytes(16).toString('hex')}`;

const form = <P extends Record<string, unknown>>(fields: P): SlackRequest<P> => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) params.append(k, v === undefined || v === null ? '' : String(v));
  return { body: params.toString(), contentType: 'application/x-www-form-urlencoded', payload: fields };
};
/** Interactivity requests: `payload=<json>` form-encoded. */
const interactive = <P extends Record<string, unknown>>(payload: P): SlackRequest<P> => {
  const params = new URLSearchParams();
  params.append('payload', JSON.stringify(payload));
  return { body: params.toString(), contentType: 'application/x-www-form-urlencoded', payload };
};
const json = <P extends Record<string, unknown>>(payload: P): SlackRequest<P> => ({
  body: JSON.stringify(payload),
  contentType: 'application/json',
  payload,
});

const userObj = (userId: string, userName: string, teamId: string) => ({
  id: userId,
  username: userName,
  name: userName,
  team_id: teamId,
});

// ---------------------------------------------------------------------------------------------- slash commands

export interface SlashCommandOptions {
  text: string;
  responseUrl: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamDomain?: string;
  command?: string;
  triggerId?: string;
  apiAppId?: string;
}

export interface SlashCommandPayload extends Record<string, string> {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

/** A slash command, form-urlencoded with Slack's fields in Slack's order. */
export function slashCommand(o: SlashCommandOptions): SlackRequest<SlashCommandPayload> {
  return form<SlashCommandPayload>({
    token: DEFAULTS.verificationToken,
    team_id: o.teamId ?? DEFAULTS.teamId,
    team_domain: o.teamDomain ?? DEFAULTS.teamDomain,
    channel_id: o.channelId ?? DEFAULTS.channelId,
    channel_name: o.channelName ?? (o.channelId === undefined || o.channelId === DEFAULTS.channelId ? DEFAULTS.channelName : `channel-${o.channelId.toLowerCase()}`),
    user_id: o.userId ?? DEFAULTS.userId,
    user_name: o.userName ?? DEFAULTS.userName,
    command: o.command ?? DEFAULTS.command,
    text: o.text,
    api_app_id: o.apiAppId ?? DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? freshTriggerId(),
  });
}

// ------------------------------------------------------------------------------------------ view state values

export type StateValue = Record<string, unknown> & { type: string };
/** `view.state.values`: { [block_id]: { [action_id]: value } } */
export type StateValues = Record<string, Record<string, StateValue>>;

const option = (value: string, text?: string) => ({
  text: { type: 'plain_text', text: text ?? value, emoji: true },
  value,
});

/** plain_text_input; Slack sends `value: null` for an empty optional input. */
export const textValue = (v: string | null): StateValue => ({ type: 'plain_text_input', value: v });
/** static_select; `null` when nothing is selected. */
export const selectValue = (v: string | null, text?: string): StateValue => ({
  type: 'static_select',
  selected_option: v === null ? null : option(v, text),
});
export const multiSelectValue = (vs: string[]): StateValue => ({
  type: 'multi_static_select',
  selected_options: vs.map((v) => option(v)),
});
export const checkboxesValue = (vs: string[]): StateValue => ({
  type: 'checkboxes',
  selected_options: vs.map((v) => option(v)),
});
export const radioValue = (v: string | null, text?: string): StateValue => ({
  type: 'radio_buttons',
  selected_option: v === null ? null : option(v, text),
});
/** datepicker, 'YYYY-MM-DD' (or null). */
export const dateValue = (d: string | null): StateValue => ({ type: 'datepicker', selected_date: d });
/** timepicker, 'HH:mm' (or null). */
export const timeValue = (t: string | null): StateValue => ({ type: 'timepicker', selected_time: t });
/** number_input: Slack sends the number as a string. */
export const numberValue = (n: string | null): StateValue => ({ type: 'number_input', value: n });
export const usersSelectValue = (userId: string | null): StateValue => ({ type: 'users_select', selected_user: userId });
export const conversationsSelectValue = (id: string | null): StateValue => ({
  type: 'conversations_select',
  selected_conversation: id,
});
export const emailValue = (v: string | null): StateValue => ({ type: 'email_text_input', value: v });

// --------------------------------------------------------------------------------------------- interactivity

export interface ViewSubmissionOptions {
  callbackId: string;
  values?: StateValues;
  privateMetadata?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  viewId?: string;
  hash?: string;
  triggerId?: string;
  /** Blocks of the submitted view (Bolt does not need them; default []). */
  blocks?: unknown[];
  title?: string;
  externalId?: string;
  rootViewId?: string;
  previousViewId?: string | null;
  /** For modals with response_url_enabled inputs. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
}

/** A `view_submission` interactivity payload (`payload=<json>`), as Slack sends it for a modal. */
export function viewSubmission(o: ViewSubmissionOptions): SlackRequest {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  const viewId = o.viewId ?? `V${String(seq()).padStart(10, '0')}`;
  return interactive({
    type: 'view_submission',
    team: { id: teamId, domain: DEFAULTS.teamDomain },
    user: userObj(o.userId ?? DEFAULTS.userId, o.userName ?? DEFAULTS.userName, teamId),
    api_app_id: DEFAULTS.appId,
    token: DEFAULTS.verificationToken,
    trigger_id: o.triggerId ?? freshTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: o.blocks ?? [],
      private_metadata: o.privateMetadata ?? '',
      callback_id: o.callbackId,
      state: { values: o.values ?? {} },
      hash: o.hash ?? `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: o.title ?? 'Passerelle', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: o.previousViewId ?? null,
      root_view_id: o.rootViewId ?? viewId,
      app_id: DEFAULTS.appId,
      external_id: o.externalId ?? '',
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
    },
    response_urls: o.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  /** ts of the message holding the button. */
  messageTs?: string;
  responseUrl: string;
  triggerId?: string;
  /** Button label (default: the action id). */
  text?: string;
  /** The message holding the button, as Slack echoes it back (text, blocks, user, thread_ts...). */
  message?: Record<string, unknown>;
  /**
   * Default `{ type: 'message', message_ts, channel_id, is_ephemeral: false }`. With `{ type: 'view', view_id }`
   * the payload is that of a button inside a modal (a `view`, no message/channel/response_url).
   */
  container?: Record<string, unknown>;
  /** For a view container: the view fields (callback_id, private_metadata, state...). */
  view?: Record<string, unknown>;
}

/** A `block_actions` payload for a button click, by default in a channel message. */
export function blockAction(o: BlockActionOptions): SlackRequest {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  const channelId = o.channelId ?? DEFAULTS.channelId;
  const messageTs = o.messageTs ?? freshTs();
  const blockId = o.blockId ?? `blk_${o.actionId}`;
  const container = o.container ?? { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false };
  const base: Record<string, unknown> = {
    type: 'block_actions',
    user: userObj(o.userId ?? DEFAULTS.userId, o.userName ?? DEFAULTS.userName, teamId),
    api_app_id: DEFAULTS.appId,
    token: DEFAULTS.verificationToken,
    container,
    trigger_id: o.triggerId ?? freshTriggerId(),
    team: { id: teamId, domain: DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
  if (container.type === 'view') {
    const viewId = String(container.view_id ?? `V${String(seq()).padStart(10, '0')}`);
    base.view = {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
      root_view_id: viewId,
      previous_view_id: null,
      app_id: DEFAULTS.appId,
      bot_id: 'BBOT',
      ...(o.view ?? {}),
    };
  } else {
    base.channel = {
      id: channelId,
      name: o.channelName ?? (channelId === DEFAULTS.channelId ? DEFAULTS.channelName : `channel-${channelId.toLowerCase()}`),
    };
    base.message = {
      type: 'message',
      user: DEFAULTS.botUserId,
      bot_id: 'BBOT',
      app_id: DEFAULTS.appId,
      team: teamId,
      text: '',
      blocks: [],
      ...(o.message ?? {}),
      ts: messageTs,
    };
    base.state = { values: {} };
    base.response_url = o.responseUrl;
  }
  base.actions = [
    {
      type: 'button',
      action_id: o.actionId,
      block_id: blockId,
      text: { type: 'plain_text', text: o.text ?? o.actionId, emoji: true },
      ...(o.value !== undefined ? { value: o.value } : {}),
      action_ts: freshTs(),
    },
  ];
  return interactive(base);
}

export interface MessageShortcutOptions {
  callbackId: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
  message: { ts: string; text: string; user: string; [k: string]: unknown };
  responseUrl: string;
  triggerId?: string;
}

/** A message shortcut (`message_action`) payload. */
export function messageShortcut(o: MessageShortcutOptions): SlackRequest {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  const channelId = o.channelId ?? DEFAULTS.channelId;
  return interactive({
    type: 'message_action',
    token: DEFAULTS.verificationToken,
    action_ts: freshTs(),
    team: { id: teamId, domain: o.teamDomain ?? DEFAULTS.teamDomain },
    user: userObj(o.userId ?? DEFAULTS.userId, o.userName ?? DEFAULTS.userName, teamId),
    channel: {
      id: channelId,
      name: o.channelName ?? (channelId === DEFAULTS.channelId ? DEFAULTS.channelName : `channel-${channelId.toLowerCase()}`),
    },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? freshTriggerId(),
    response_url: o.responseUrl,
    message_ts: o.message.ts,
    message: { type: 'message', team: teamId, ...o.message },
  });
}

// ------------------------------------------------------------------------------------------------ Events API

export interface EventCallbackOptions {
  event: Record<string, unknown>;
  eventId?: string;
  teamId?: string;
  eventTime?: number;
}

/** An Events API `event_callback` envelope (JSON). */
export function eventCallback(o: EventCallbackOptions): SlackRequest {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  return json({
    token: DEFAULTS.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: DEFAULTS.appId,
    event: o.event,
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${String(seq()).padStart(9, '0')}`,
    event_time: o.eventTime ?? nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: DEFAULTS.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('hex')}`,
  });
}

export interface AppMentionOptions {
  text: string;
  userId?: string;
  channelId?: string;
  ts?: string;
  threadTs?: string;
  teamId?: string;
}

/** An `app_mention` event (to wrap in eventCallback); `<@UBOT> ` is prefixed when the text lacks the mention. */
export function appMention(o: AppMentionOptions): Record<string, unknown> {
  const ts = o.ts ?? freshTs();
  const mention = `<@${DEFAULTS.botUserId}>`;
  const event: Record<string, unknown> = {
    type: 'app_mention',
    user: o.userId ?? DEFAULTS.userId,
    text: o.text.includes(mention) ? o.text : `${mention} ${o.text}`,
    ts,
    team: o.teamId ?? DEFAULTS.teamId,
    channel: o.channelId ?? DEFAULTS.channelId,
    event_ts: ts,
  };
  if (o.threadTs !== undefined) event.thread_ts = o.threadTs;
  return event;
}

/** The Events API URL verification handshake (JSON). */
export function urlVerification(challenge: string): SlackRequest {
  return json({ token: DEFAULTS.verificationToken, challenge, type: 'url_verification' });
}

// ------------------------------------------------------------------------------------------ signing, sending

/** `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${rawBody}`. */
export function signSlackRequest(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  secret: string;
  /** Unix seconds; default now (pass e.g. now - 600 for a stale request). */
  timestamp?: number;
  /** x-slack-retry-num (Events API redelivery). */
  retryNum?: number;
  /** x-slack-retry-reason, e.g. 'http_timeout'. */
  retryReason?: string;
  /** Send a signature computed with a wrong secret. */
  badSignature?: boolean;
  headers?: Record<string, string>;
}

/** Headers of a signed request (content-type included). */
export function signedHeaders(req: Pick<SlackRequest, 'body' | 'contentType'>, o: SignOptions): Record<string, string> {
  const timestamp = o.timestamp ?? nowSeconds();
  const secret = o.badSignature ? `${o.secret}-not-the-right-one` : o.secret;
  const headers: Record<string, string> = {
    'content-type': req.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(secret, timestamp, req.body),
    ...(o.headers ?? {}),
  };
  if (o.retryNum !== undefined) headers['x-slack-retry-num'] = String(o.retryNum);
  if (o.retryReason !== undefined) headers['x-slack-retry-reason'] = o.retryReason;
  return headers;
}

/** POSTs a signed request to `${baseUrl}${path}` and returns the fetch Response (status, headers, text(), json()). */
export async function sendSigned(
  baseUrl: string,
  path: string,
  req: Pick<SlackRequest, 'body' | 'contentType'>,
  o: SignOptions,
): Promise<Response> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  return fetch(url, { method: 'POST', headers: signedHeaders(req, o), body: req.body });
}
