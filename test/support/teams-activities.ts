/**
 * Builders of the activities Microsoft Teams POSTs to a bot's /api/messages, shaped like real Teams
 * payloads, and a sender.
 *
 *   const fake = await startFakeConnector();
 *   const res = await postActivity(botUrl, channelMessage({ text: 'observe', serviceUrl: fake.serviceUrl }));
 *   const card = fake.sent()[0];
 *   await postActivity(botUrl, cardAction({ verb: 'ack', data: {}, serviceUrl: fake.serviceUrl, replyToId: card.id }));
 *
 * Shapes follow payloads captured from Teams (Microsoft docs "subscribe to conversation events", "respond to
 * the task module submit/fetchTask", and the Teams SDK's TeamsActivity tests), notably:
 * - message ids are epoch-millisecond strings ('1759944781430'); invoke and conversationUpdate ids are
 *   'f:<guid>'; bot ids are '28:<app id>', user ids '29:<opaque>', channel/team ids '19:…@thread.tacv2'
 *   (a team's id is the id of its General channel);
 * - in a channel, conversation.id is `${channelId};messageid=${thread root message id}` (the message's own
 *   id for a new post); a reply in a thread does NOT carry `replyToId` (only the `;messageid=` tells the
 *   thread), whereas invokes and Action.Submit messages from a card carry `replyToId` = the card's message id;
 * - channel messages' channelData has teamsChannelId/teamsTeamId + channel/team/tenant; invokes have
 *   channel/team/tenant + source, without teamsChannelId/teamsTeamId; team conversationUpdates have
 *   team { id, name, aadGroupId } + eventType + tenant, and no channel. Code should read
 *   channelData.channel.id / team.id / tenant.id (what botbuilder's teamsGetChannelId/teamsGetTeamInfo read);
 * - a bot mention is `<at>Name</at>` in `text`, an entity { type: 'mention', text, mentioned: { id, name } },
 *   and a `text/html` attachment carrying the HTML the user typed; every activity has a clientInfo entity.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export const TEAMS_DEFAULTS = {
  /** MicrosoftAppId of the bot (what continueConversationAsync takes). */
  botAppId: 'bot-app-id',
  /** The bot's Teams id: `28:` + app id. */
  botId: '28:bot-app-id',
  botName: 'Passerelle',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  teamId: '19:passerelle-team@thread.tacv2',
  teamName: 'Passerelle Test Team',
  channelId: '19:abc@thread.tacv2',
  user: { id: '29:1alice-martin-teams-id', name: 'Alice Martin', aadObjectId: '6d9c1f3e-1b2a-4c5d-8e7f-a11ce0000001' },
  locale: 'en-US',
  timezone: 'Europe/Paris',
} as const;

export interface TeamsUser {
  /** '29:…' */
  id: string;
  name?: string;
  aadObjectId?: string;
}

/** A Teams activity as JSON (what postActivity sends). */
export interface TeamsActivity {
  type: string;
  id: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: TeamsUser;
  recipient: { id: string; name: string };
  conversation: { id: string; conversationType: 'channel' | 'personal' | 'groupChat'; tenantId: string; isGroup?: boolean; name?: string };
  channelData: Record<string, any>;
  timestamp: string;
  localTimestamp: string;
  locale: string;
  localTimezone: string;
  entities?: Array<Record<string, any>>;
  text?: string;
  textFormat?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  name?: string;
  value?: unknown;
  replyToId?: string;
  membersAdded?: TeamsUser[];
  [k: string]: unknown;
}

/** Where an activity happens: a team channel (default) or the user's 1:1 chat with the bot. */
export interface WhereOptions {
  /** The fake connector's serviceUrl (fake.serviceUrl). */
  serviceUrl: string;
  /** 'channel' (default) or 'personal'. */
  scope?: 'channel' | 'personal';
  /** Channel conversation id without thread ('19:abc@thread.tacv2'). */
  channelId?: string;
  teamId?: string;
  tenantId?: string;
  /** Replaces the computed conversation.id entirely. */
  conversationId?: string;
  from?: TeamsUser;
  /** Activity id (default: fresh, Teams-like). */
  id?: string;
  timestamp?: Date;
  locale?: string;
}

let lastMessageId = 0;
/** A fresh Teams message id: epoch milliseconds as a string, strictly increasing. */
export function freshMessageId(): string {
  lastMessageId = Math.max(lastMessageId + 1, Date.now());
  return String(lastMessageId);
}
/** A fresh invoke/event id in Teams' 'f:<guid>' form. */
export const freshInvokeId = (): string => `f:${randomUUID()}`;

/** The personal (1:1) conversation id of a user with the bot, stable per user ('a:1…'). */
export function personalConversationId(user: TeamsUser = TEAMS_DEFAULTS.user): string {
  return `a:1${Buffer.from(`${user.id}|${TEAMS_DEFAULTS.botId}`).toString('base64url')}`;
}

/** A link to a channel message, as in messagePayload.linkToMessage. */
export function linkToMessage(channelId: string, messageId: string, tenantId: string = TEAMS_DEFAULTS.tenantId): string {
  return `https://teams.microsoft.com/l/message/${channelId}/${messageId}?tenantId=${tenantId}&createdTime=${messageId}`;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function localTimestamp(d: Date): string {
  // Teams sends the client's local time with its offset; the tests' clients are on UTC.
  return d.toISOString().replace('Z', '+00:00');
}

const clientInfo = (locale: string) => ({ locale, country: locale.split('-')[1] ?? 'US', platform: 'Web', timezone: TEAMS_DEFAULTS.timezone, type: 'clientInfo' });

interface Place {
  conversation: TeamsActivity['conversation'];
  channelData: Record<string, any>;
}

/** conversation + channelData for `o`; `threadRoot` is the `;messageid=` of a channel conversation. */
function place(o: WhereOptions, threadRoot: string | undefined, channelDataStyle: 'message' | 'invoke'): Place {
  const tenantId = o.tenantId ?? TEAMS_DEFAULTS.tenantId;
  if (o.scope === 'personal') {
    return {
      conversation: { conversationType: 'personal', tenantId, id: o.conversationId ?? personalConversationId(o.from ?? TEAMS_DEFAULTS.user) },
      channelData: { tenant: { id: tenantId } },
    };
  }
  const channelId = o.channelId ?? TEAMS_DEFAULTS.channelId;
  const teamId = o.teamId ?? TEAMS_DEFAULTS.teamId;
  const channelData: Record<string, any> =
    channelDataStyle === 'message'
      ? { teamsChannelId: channelId, teamsTeamId: teamId, channel: { id: channelId }, team: { id: teamId }, tenant: { id: tenantId } }
      : { channel: { id: channelId }, team: { id: teamId }, tenant: { id: tenantId } };
  return {
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId,
      id: o.conversationId ?? (threadRoot ? `${channelId};messageid=${threadRoot}` : channelId),
    },
    channelData,
  };
}

function base(type: string, id: string, o: WhereOptions, p: Place): TeamsActivity {
  const at = o.timestamp ?? new Date();
  const locale = o.locale ?? TEAMS_DEFAULTS.locale;
  const from = o.from ?? TEAMS_DEFAULTS.user;
  return {
    type,
    id,
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: TEAMS_DEFAULTS.botId, name: TEAMS_DEFAULTS.botName },
    conversation: p.conversation,
    channelData: p.channelData,
    entities: [clientInfo(locale)],
    timestamp: at.toISOString(),
    localTimestamp: localTimestamp(at),
    locale,
    localTimezone: TEAMS_DEFAULTS.timezone,
  };
}

// ------------------------------------------------------------------------------------------------- messages

export interface ChannelMessageOptions extends Omit<WhereOptions, 'scope'> {
  text: string;
  /** Prefix `<at>Passerelle</at> ` and add the mention entity (default true: in channels the bot only hears mentions). */
  mentionBot?: boolean;
  /** Id of the thread's root message when this message is a reply in a thread (goes in `;messageid=`). */
  replyToId?: string;
  /** The HTML Teams attaches (default: the text, with the mention as Teams renders it). */
  html?: string;
  /** People the text mentions (written in it with `at(user)`): each gets its mention entity, after the bot's. */
  mentions?: TeamsUser[];
}

/** How Teams writes a mention of `user` in a message's `text`: `<at>Alice Martin</at>`. */
export const at = (user: TeamsUser): string => `<at>${user.name ?? user.id}</at>`;

/** The entity Teams adds for each mention in a message; `mentioned.id` is the Teams user id (29:…), not the AAD id. */
export function mentionEntity(user: TeamsUser): Record<string, unknown> {
  return { mentioned: { id: user.id, name: user.name ?? user.id }, text: at(user), type: 'mention' };
}

/** A message posted in a team channel (a new post, or a reply in the thread `replyToId`). */
export function channelMessage(o: ChannelMessageOptions): TeamsActivity {
  const id = o.id ?? freshMessageId();
  const mentionBot = o.mentionBot ?? true;
  const activity = base('message', id, { ...o, scope: 'channel' }, place({ ...o, scope: 'channel' }, o.replyToId ?? id, 'message'));
  const mention = `<at>${TEAMS_DEFAULTS.botName}</at>`;
  activity.text = mentionBot ? `${mention} ${o.text}` : o.text;
  activity.textFormat = 'plain';
  activity.entities = [
    ...(mentionBot ? [{ mentioned: { id: TEAMS_DEFAULTS.botId, name: TEAMS_DEFAULTS.botName }, text: mention, type: 'mention' }] : []),
    ...(o.mentions ?? []).map(mentionEntity),
    ...(activity.entities ?? []),
  ];
  const mentionHtml = `<span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">${TEAMS_DEFAULTS.botName}</span>&nbsp;`;
  activity.attachments = [{ contentType: 'text/html', content: o.html ?? `<p>${mentionBot ? mentionHtml : ''}${escapeHtml(o.text)}</p>` }];
  return activity;
}

export interface PersonalMessageOptions extends Omit<WhereOptions, 'scope' | 'channelId' | 'teamId'> {
  text: string;
}

/** A message in the user's 1:1 chat with the bot (no mention needed). */
export function personalMessage(o: PersonalMessageOptions): TeamsActivity {
  const id = o.id ?? freshMessageId();
  const activity = base('message', id, { ...o, scope: 'personal' }, place({ ...o, scope: 'personal' }, undefined, 'message'));
  activity.text = o.text;
  activity.textFormat = 'plain';
  activity.attachments = [{ contentType: 'text/html', content: `<p>${escapeHtml(o.text)}</p>` }];
  return activity;
}

// ------------------------------------------------------------------------------------------------ card actions

export interface CardActionOptions extends WhereOptions {
  verb: string;
  data?: Record<string, unknown>;
  /** The id of the message carrying the card (what the connector returned when the bot posted it). */
  replyToId: string;
  /** Thread root in a channel (default: replyToId, i.e. the card is itself a post). */
  threadId?: string;
  /** Action.Execute `id`/`title`, when the card gives them. */
  actionId?: string;
  title?: string;
  /** 'manual' (a press, default) or 'automatic' (a refresh). */
  trigger?: 'manual' | 'automatic';
}

/** An Action.Execute pressed on a card: invoke `adaptiveCard/action`. The bot answers in the HTTP response. */
export function cardAction(o: CardActionOptions): TeamsActivity {
  const p = place(o, o.threadId ?? o.replyToId, 'invoke');
  p.channelData.source = { name: 'message' };
  const activity = base('invoke', o.id ?? freshInvokeId(), o, p);
  activity.name = 'adaptiveCard/action';
  activity.replyToId = o.replyToId;
  const action: Record<string, unknown> = { type: 'Action.Execute', verb: o.verb, data: o.data ?? {} };
  if (o.actionId !== undefined) action.id = o.actionId;
  if (o.title !== undefined) action.title = o.title;
  activity.value = { action, trigger: o.trigger ?? 'manual' };
  return activity;
}

export interface CardSubmitOptions extends WhereOptions {
  /** The Action.Submit `data` merged with the card's input values, as Teams sends them. */
  data: Record<string, unknown>;
  /** The id of the message carrying the card. */
  replyToId: string;
  threadId?: string;
}

/** An Action.Submit (the fallback of Action.Execute on old clients): a message with `value` and no text. */
export function cardSubmit(o: CardSubmitOptions): TeamsActivity {
  const p = place(o, o.threadId ?? o.replyToId, 'invoke');
  p.channelData.source = { name: 'message' };
  const activity = base('message', o.id ?? freshMessageId(), o, p);
  activity.replyToId = o.replyToId;
  activity.value = o.data;
  return activity;
}

// ----------------------------------------------------------------------------------- message extension actions

export interface MessagePayloadOptions {
  /** Id of the message the action was invoked on. */
  id?: string;
  body?: { content: string; contentType?: 'html' | 'text' };
  /** Author of that message. */
  from?: TeamsUser;
  linkToMessage?: string;
  /** Thread root when the message is a reply in a thread. */
  replyToId?: string | null;
  createdDateTime?: string;
  subject?: string | null;
  attachments?: unknown[];
  mentions?: unknown[];
}

/** The `messagePayload` Teams puts in a message action's invoke (Graph chatMessage-like). */
export function messagePayload(o: MessagePayloadOptions = {}, where: { channelId?: string; tenantId?: string } = {}): Record<string, unknown> {
  const id = o.id ?? freshMessageId();
  const author = o.from ?? TEAMS_DEFAULTS.user;
  const channelId = where.channelId ?? TEAMS_DEFAULTS.channelId;
  return {
    linkToMessage: o.linkToMessage ?? linkToMessage(channelId, id, where.tenantId),
    id,
    replyToId: o.replyToId ?? null,
    createdDateTime: o.createdDateTime ?? new Date(/^\d{13}$/.test(id) ? Number(id) : Date.now()).toISOString(),
    lastModifiedDateTime: null,
    deleted: false,
    subject: o.subject ?? null,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    body: { contentType: o.body?.contentType ?? 'html', content: o.body?.content ?? '' },
    from: {
      device: null,
      conversation: null,
      user: { userIdentityType: 'aadUser', id: author.aadObjectId ?? author.id, displayName: author.name ?? '' },
      application: null,
    },
    reactions: [],
    mentions: o.mentions ?? [],
    attachments: o.attachments ?? [],
  };
}

export interface FetchTaskOptions extends WhereOptions {
  commandId: string;
  messagePayload: MessagePayloadOptions;
  theme?: 'default' | 'dark' | 'contrast';
}

/** "…" menu → message action on a message: invoke `composeExtension/fetchTask` (the bot answers a task/dialog). */
export function fetchTask(o: FetchTaskOptions): TeamsActivity {
  const payload = messagePayload(o.messagePayload, o);
  const p = place(o, (payload.replyToId as string | null) ?? (payload.id as string), 'invoke');
  p.channelData.source = { name: 'compose' };
  const activity = base('invoke', o.id ?? freshInvokeId(), o, p);
  activity.name = 'composeExtension/fetchTask';
  activity.value = {
    commandId: o.commandId,
    commandContext: 'message',
    requestId: randomBytes(16).toString('hex'),
    messagePayload: payload,
    context: { theme: o.theme ?? 'default' },
  };
  return activity;
}

export interface SubmitActionOptions extends WhereOptions {
  commandId: string;
  /** The dialog's submitted data (Action.Submit data + input values). */
  data: Record<string, unknown>;
  /** The message the action was started from (message actions); absent for compose-box actions. */
  messagePayload?: MessagePayloadOptions;
  /** 'edit' | 'send' when the bot answered with a botMessagePreview. */
  botMessagePreviewAction?: 'edit' | 'send';
  botActivityPreview?: unknown[];
}

/** The dialog of a message action was submitted: invoke `composeExtension/submitAction`. */
export function submitAction(o: SubmitActionOptions): TeamsActivity {
  const payload = o.messagePayload ? messagePayload(o.messagePayload, o) : undefined;
  const p = place(o, payload ? ((payload.replyToId as string | null) ?? (payload.id as string)) : undefined, 'invoke');
  p.channelData.source = { name: 'compose' };
  const activity = base('invoke', o.id ?? freshInvokeId(), o, p);
  activity.name = 'composeExtension/submitAction';
  const value: Record<string, unknown> = {
    commandId: o.commandId,
    commandContext: payload ? 'message' : 'compose',
    data: o.data,
    context: { theme: 'default' },
  };
  if (payload) value.messagePayload = payload;
  if (o.botMessagePreviewAction) value.botMessagePreviewAction = o.botMessagePreviewAction;
  if (o.botActivityPreview) value.botActivityPreview = o.botActivityPreview;
  activity.value = value;
  return activity;
}

// -------------------------------------------------------------------------------------------- conversationUpdate

export interface MembersAddedOptions extends Omit<WhereOptions, 'scope'> {
  /** 'team' (the bot or people added to a team, default) or 'personal' (the bot installed for a user). */
  scope?: 'team' | 'personal';
  /** Put the bot in membersAdded (default true). */
  botAdded?: boolean;
  /** People added (Teams sends only their id and aadObjectId). */
  members?: TeamsUser[];
  teamName?: string;
}

/**
 * conversationUpdate with membersAdded. In a team the conversation is the team's General channel (id = team
 * id) unless `channelId` is given, and channelData is { team, eventType: 'teamMemberAdded', tenant }.
 */
export function membersAdded(o: MembersAddedOptions): TeamsActivity {
  const tenantId = o.tenantId ?? TEAMS_DEFAULTS.tenantId;
  const added: TeamsUser[] = [
    ...((o.botAdded ?? true) ? [{ id: TEAMS_DEFAULTS.botId }] : []),
    ...(o.members ?? []).map((m) => (m.aadObjectId ? { id: m.id, aadObjectId: m.aadObjectId } : { id: m.id })),
  ];
  let p: Place;
  if (o.scope === 'personal') {
    p = place({ ...o, scope: 'personal' }, undefined, 'invoke');
  } else {
    const teamId = o.teamId ?? TEAMS_DEFAULTS.teamId;
    p = {
      conversation: { isGroup: true, conversationType: 'channel', tenantId, id: o.conversationId ?? o.channelId ?? teamId },
      channelData: {
        team: { aadGroupId: '02ce3874-dd86-41ba-bddc-013f34019978', name: o.teamName ?? TEAMS_DEFAULTS.teamName, id: teamId },
        eventType: 'teamMemberAdded',
        tenant: { id: tenantId },
      },
    };
  }
  const activity = base('conversationUpdate', o.id ?? freshInvokeId(), { ...o, scope: o.scope === 'personal' ? 'personal' : 'channel' }, p);
  const from = o.from ?? TEAMS_DEFAULTS.user;
  activity.from = from.aadObjectId ? { id: from.id, aadObjectId: from.aadObjectId } : { id: from.id };
  delete activity.entities;
  activity.membersAdded = added;
  return activity;
}

// ------------------------------------------------------------------------------------------------------ sending

export interface PostActivityOptions {
  /** Authorization header value ('Bearer …'); none by default, as the unauthenticated dev setup expects. */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface PostActivityResult {
  status: number;
  /** Parsed JSON body; the text when it is not JSON; undefined when empty. */
  body: any;
  headers: Headers;
}

/** POSTs `activity` as JSON to `${botUrl}/api/messages`, like Teams (via the Bot Connector) does. */
export async function postActivity(botUrl: string, activity: unknown, o: PostActivityOptions = {}): Promise<PostActivityResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(o.headers ?? {}) };
  if (o.authorization !== undefined) headers.authorization = o.authorization;
  const res = await fetch(`${botUrl.replace(/\/+$/, '')}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: any;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, headers: res.headers };
}
