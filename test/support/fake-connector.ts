/**
 * A local stand-in for Teams' side of the Bot Framework (the Bot Connector service at the activity's
 * `serviceUrl`), for integration tests that run botbuilder's real CloudAdapter over HTTP.
 *
 *   const fake = await startFakeConnector();
 *   const res = await postActivity(botUrl, channelMessage({ text: 'help', serviceUrl: fake.serviceUrl }));
 *   const reply = await fake.waitForSent((a) => a.text === 'Bonjour'); // reply.id, reply.call.path, cardsOf(reply)
 *   await fake.close();
 *
 * How botbuilder 4.23 talks to it (botframework-connector ConnectorClient over @azure/core-client):
 * - every URL is `${serviceUrl}v3/…`, JSON bodies, `Accept: *\/*`; with no MicrosoftAppId configured there is
 *   no Authorization header (MicrosoftAppCredentials.Empty); path parameters are URI-encoded, so a thread's
 *   conversation id `19:x@thread.tacv2;messageid=1700…` arrives as `19%3Ax%40thread.tacv2%3Bmessageid%3D1700…`
 *   (the fake decodes them). Anything before `/v3/` in the path is accepted, so a Teams-like serviceUrl
 *   with a region/tenant prefix (`${fake.baseUrl}/amer/<tenant>/`) works too;
 * - `context.sendActivity()` sends `POST v3/conversations/{conversationId}/activities/{replyToId}` whenever
 *   the turn's activity has an id (TurnContext copies it into `replyToId`): that is every incoming
 *   message/invoke, and also every proactive turn, because `continueConversationAsync` builds its
 *   continuation activity with a fresh uuid as id: a proactive send is a "reply" to a random uuid.
 *   `POST v3/conversations/{id}/activities` (no replyToId) only comes from a direct ConnectorClient call or
 *   a turn whose activity has no id. Both get `201 { id }` with a fresh Teams-like message id (epoch ms);
 *   the client accepts 200/201/202;
 * - `context.updateActivity()` sends `PUT v3/conversations/{id}/activities/{activityId}` → `200 { id }`;
 *   `context.deleteActivity()` sends `DELETE` → `200` with an empty body;
 * - TeamsInfo.getMember (and TeamsActivityHandler before `onTeamsMembersAddedEvent` handlers, for members
 *   that are not yet TeamsChannelAccounts) sends `GET v3/conversations/{teamId}/members/{userId}`: the team
 *   id when the activity's channelData has one, else the conversation id;
 * - errors: the client (a core-rest-pipeline ServiceClient) retries on its own: a 429 or 503 WITH a
 *   Retry-After header is retried after that many seconds, a 5xx (but 501/505) or 408 after a jittered
 *   exponential delay (0.5–1 s, 1–2 s, 2–4 s), up to 3 retries; then, or right away for any other status (a 429
 *   without Retry-After, a 4xx), the call rejects with @azure/core-rest-pipeline's `RestError`: name
 *   'RestError', `statusCode`, `code`/`message` from the body's error, `details` = the parsed body,
 *   `response.headers.get('retry-after')`, `response.bodyAsText`; there is no `err.body`, so
 *   TeamsActivityHandler's "member lookup failed with ConversationNotFound" fallback (which reads
 *   err.body.error.code) never applies: a failed GET member fails the conversationUpdate turn;
 * - TeamsInfo.sendMessageToTeamsChannel (POST v3/conversations with channelData.channel.id and an activity)
 *   gets `201 { id: '<channel>;messageid=<new id>', activityId: '<new id>' }`; with a CloudAdapter botbuilder
 *   then returns that conversation id, not the activityId, as the new "activity id".
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TEAMS_DEFAULTS } from './teams-activities.js';
import { listenOnLoopback } from './loopback-server.js';

// Captured at import time so that vi.useFakeTimers() in a test does not freeze waitFor() or the clock of records.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow = Date.now.bind(Date);

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Tenant the fake's members belong to (teams-activities.ts's default). */
export const FAKE_TENANT_ID = TEAMS_DEFAULTS.tenantId;

/** What a recorded request was, from its method and path. */
export type FakeConnectorCallKind =
  /** POST v3/conversations/{id}/activities */
  | 'send'
  /** POST v3/conversations/{id}/activities/{replyToId} */
  | 'reply'
  /** PUT v3/conversations/{id}/activities/{activityId} */
  | 'update'
  /** DELETE v3/conversations/{id}/activities/{activityId} */
  | 'delete'
  /** GET v3/conversations/{id}/members/{memberId} */
  | 'member'
  /** GET v3/conversations/{id}/members, GET v3/conversations/{id}/pagedmembers */
  | 'members'
  /** POST v3/conversations */
  | 'createConversation'
  /** GET v3/teams/{teamId} */
  | 'teamDetails'
  /** GET v3/teams/{teamId}/conversations */
  | 'teamChannels'
  /** anything else (answered 404) */
  | 'unknown';

export interface FakeConnectorCall {
  method: string;
  /** Decoded path as requested, e.g. '/v3/conversations/19:abc@thread.tacv2;messageid=1/activities/1'. */
  path: string;
  kind: FakeConnectorCallKind;
  /** Decoded {conversationId} of the path ('' for POST v3/conversations and v3/teams/...). */
  conversationId: string;
  /** {activityId} of PUT/DELETE. */
  activityId?: string;
  /** {activityId} of a reply POST: the activity replied to. */
  replyToId?: string;
  /** {memberId} of GET …/members/{memberId}. */
  memberId?: string;
  /** {teamId} of GET v3/teams/{teamId}[/conversations]. */
  teamId?: string;
  /** Parsed JSON body (undefined when there is none; `{ _raw }` when it is not JSON). */
  body: any;
  /** Date.now() when received (real clock, even under fake timers). */
  at: number;
  /** Authorization header, if the bot sent one. */
  authorization?: string;
  /** HTTP status answered. */
  status: number;
  /** What the fake answered with (for sends: `{ id }`). */
  response?: unknown;
  /** For sends, replies and createConversation with an activity: the id the fake gave the new message. */
  responseId?: string;
  /** Set when the fake answered with a failure (failNext, or an unknown route). */
  failed?: true;
}

/** An activity Teams accepted (POST send/reply, or the activity of a createConversation), with its new id. */
export type FakeSentActivity = Record<string, any> & {
  id: string;
  /** The call that carried it (non-enumerable: ignored by toEqual/toMatchObject and JSON). */
  call: FakeConnectorCall;
};

export type FakeFailureKind = 'send' | 'update' | 'delete' | 'members' | 'createConversation';

export type FakeConnectorFailure =
  /** 429; with `retryAfter` (seconds) a `Retry-After` header, which botbuilder's client honours by itself. */
  | { status: 429; retryAfter?: number; code?: string; message?: string }
  | { status: number; code?: string; message?: string };

/** A TeamsChannelAccount as the connector returns it. */
export interface FakeTeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName: string;
  tenantId: string;
  userRole?: 'user' | 'guest' | 'anonymous';
  [k: string]: unknown;
}

export interface FakeConnector {
  /** 'http://127.0.0.1:PORT/' (trailing slash, as Teams sends serviceUrl). */
  readonly serviceUrl: string;
  /** 'http://127.0.0.1:PORT' */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in order, failed ones included. */
  readonly calls: FakeConnectorCall[];
  /** Activities Teams accepted (sends, replies, createConversation activities), in order, each with its new id. */
  sent(): FakeSentActivity[];
  /** Bodies of accepted PUTs, in order, `id` set to the path's activityId (and a non-enumerable `call`). */
  updates(): Array<Record<string, any> & { id: string; call: FakeConnectorCall }>;
  /** Activity ids deleted, in order. */
  deletes(): string[];
  /**
   * Resolves with the first call (already recorded or future) matching `predicate`; failed calls count too
   * (filter them with `(c) => !c.failed`). Rejects after timeoutMs listing the calls seen.
   */
  waitFor(predicate: (call: FakeConnectorCall) => boolean, timeoutMs?: number): Promise<FakeConnectorCall>;
  /** Like waitFor, over accepted activities (sent()). */
  waitForSent(predicate?: (activity: FakeSentActivity) => boolean, timeoutMs?: number): Promise<FakeSentActivity>;
  /**
   * The next `times` requests of `kind` fail with `failure.status` and a Bot Framework ErrorResponse body
   * `{ error: { code, message } }`. 'send' covers sends and replies, 'members' member and member-list GETs.
   * Mind the client's own retries (see the header): `{ status: 429, retryAfter: 2 }` once is retried by
   * botbuilder after 2 s and then succeeds; to make a 429 surface, omit retryAfter or fail 4 times.
   */
  failNext(kind: FakeFailureKind, failure: FakeConnectorFailure, times?: number): void;
  /** Members known to GET …/members[/{id}] (merged into the default member built from the id). */
  setMember(member: Partial<FakeTeamsMember> & { id: string }): void;
  /** Forget calls, pending failures and members. Id counters keep growing. */
  reset(): void;
  close(): Promise<void>;
}

interface Waiter {
  predicate: (call: FakeConnectorCall) => boolean;
  resolve: (call: FakeConnectorCall) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  label: string;
}

interface Route {
  kind: FakeConnectorCallKind;
  conversationId: string;
  activityId?: string;
  replyToId?: string;
  memberId?: string;
  teamId?: string;
}

const FAILURE_KIND_OF: Partial<Record<FakeConnectorCallKind, FakeFailureKind>> = {
  send: 'send',
  reply: 'send',
  update: 'update',
  delete: 'delete',
  member: 'members',
  members: 'members',
  createConversation: 'createConversation',
};

const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'TooManyRequests',
  500: 'ServiceError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

const dec = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Routes a path (anything before /v3/ ignored) to what the connector would do. */
function route(method: string, pathname: string): Route {
  const at = pathname.indexOf('/v3/');
  const parts = at < 0 ? [] : pathname.slice(at + 1).split('/').filter((p) => p.length > 0).map(dec);
  const [v3, resource, id, sub, subId, ...rest] = parts;
  if (v3 !== 'v3' || rest.length > 0) return { kind: 'unknown', conversationId: '' };
  if (resource === 'teams' && id) {
    if (method === 'GET' && sub === undefined) return { kind: 'teamDetails', conversationId: '', teamId: id };
    if (method === 'GET' && sub === 'conversations' && subId === undefined) return { kind: 'teamChannels', conversationId: '', teamId: id };
    return { kind: 'unknown', conversationId: '', teamId: id };
  }
  if (resource !== 'conversations') return { kind: 'unknown', conversationId: '' };
  if (id === undefined) return { kind: method === 'POST' ? 'createConversation' : 'unknown', conversationId: '' };
  if (sub === 'activities') {
    if (subId === undefined) return { kind: method === 'POST' ? 'send' : 'unknown', conversationId: id };
    if (method === 'POST') return { kind: 'reply', conversationId: id, replyToId: subId };
    if (method === 'PUT') return { kind: 'update', conversationId: id, activityId: subId };
    if (method === 'DELETE') return { kind: 'delete', conversationId: id, activityId: subId };
  }
  if (method === 'GET' && sub === 'members') {
    return subId === undefined ? { kind: 'members', conversationId: id } : { kind: 'member', conversationId: id, memberId: subId };
  }
  if (method === 'GET' && sub === 'pagedmembers' && subId === undefined) return { kind: 'members', conversationId: id };
  return { kind: 'unknown', conversationId: id };
}

/** A stable fake AAD object id (uuid-shaped) for a Teams user id. */
function aadFor(id: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${id}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function defaultMember(id: string): FakeTeamsMember {
  const short = id.replace(/^\d+:/, '').slice(0, 6).toLowerCase() || 'user';
  return {
    id,
    name: `User ${short}`,
    aadObjectId: aadFor(id),
    givenName: 'User',
    surname: short,
    email: `user.${short}@passerelle-test.example`,
    userPrincipalName: `user.${short}@passerelle-test.example`,
    tenantId: FAKE_TENANT_ID,
    userRole: 'user',
  };
}

/** The Adaptive Card contents (attachments of contentType application/vnd.microsoft.card.adaptive) of an activity. */
export function cardsOf(activity: unknown): Array<Record<string, any>> {
  const attachments = (activity as { attachments?: unknown } | undefined)?.attachments;
  if (!Array.isArray(attachments)) return [];
  return attachments
    .filter((a): a is { contentType: string; content: unknown } => !!a && typeof a === 'object' && (a as { contentType?: unknown }).contentType === ADAPTIVE_CARD_CONTENT_TYPE)
    .map((a) => (typeof a.content === 'string' ? (JSON.parse(a.content) as Record<string, any>) : (a.content as Record<string, any>)));
}

/** Attaches the carrying call as a non-enumerable `call`, so toEqual/toMatchObject on the activity ignore it. */
function withCall<T extends object>(activity: T, call: FakeConnectorCall): T & { call: FakeConnectorCall } {
  return Object.defineProperty(activity, 'call', { value: call, enumerable: false }) as T & { call: FakeConnectorCall };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (payload === undefined) {
    res.writeHead(status, { 'content-length': '0', ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: FakeConnectorCall[] = [];
  const failures = new Map<FakeFailureKind, { failure: FakeConnectorFailure; remaining: number }[]>();
  const members = new Map<string, FakeTeamsMember>();
  const waiters = new Set<Waiter>();
  let lastMessageId = 0;

  /** Teams message ids are epoch milliseconds as strings; kept strictly increasing. */
  const nextMessageId = (): string => {
    lastMessageId = Math.max(lastMessageId + 1, realNow());
    return String(lastMessageId);
  };

  const takeFailure = (kind: FakeConnectorCallKind): FakeConnectorFailure | undefined => {
    const failureKind = FAILURE_KIND_OF[kind];
    const queue = failureKind ? failures.get(failureKind) : undefined;
    if (!queue || queue.length === 0) return undefined;
    const head = queue[0];
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  };

  const record = (call: FakeConnectorCall): void => {
    calls.push(call);
    for (const w of [...waiters]) {
      let matched = false;
      try {
        matched = w.predicate(call);
      } catch {
        matched = false;
      }
      if (matched) {
        waiters.delete(w);
        realClearTimeout(w.timer);
        w.resolve(call);
      }
    }
  };

  const memberFor = (id: string): FakeTeamsMember => members.get(id) ?? defaultMember(id);

  const sentOf = (call: FakeConnectorCall): FakeSentActivity | undefined => {
    if (call.failed || !call.responseId) return undefined;
    if (call.kind === 'send' || call.kind === 'reply') return withCall({ ...(call.body ?? {}), id: call.responseId }, call);
    if (call.kind === 'createConversation' && call.body?.activity) {
      return withCall({ ...call.body.activity, id: call.responseId, conversation: { id: (call.response as { id: string }).id } }, call);
    }
    return undefined;
  };

  /** Status and body of a successful answer; undefined for an unknown route. */
  const answer = (r: Route, call: FakeConnectorCall): { status: number; body: unknown } | undefined => {
    switch (r.kind) {
      case 'send':
      case 'reply': {
        const id = nextMessageId();
        call.responseId = id;
        return { status: 201, body: { id } };
      }
      case 'update':
        return { status: 200, body: { id: r.activityId } };
      case 'delete':
        return { status: 200, body: undefined };
      case 'member':
        return { status: 200, body: memberFor(r.memberId ?? '') };
      case 'members': {
        const list = members.size > 0 ? [...members.values()] : [defaultMember('29:1default-member')];
        return { status: 200, body: call.path.includes('/pagedmembers') ? { members: list } : list };
      }
      case 'createConversation': {
        const body = (call.body ?? {}) as { channelData?: { channel?: { id?: string } }; activity?: unknown };
        const channel = body.channelData?.channel?.id;
        if (body.activity) {
          const activityId = nextMessageId();
          call.responseId = activityId;
          const id = channel ? `${channel};messageid=${activityId}` : `a:1${randomUUID().replace(/-/g, '')}`;
          return { status: 201, body: { id, activityId } };
        }
        return { status: 201, body: { id: channel ?? `a:1${randomUUID().replace(/-/g, '')}` } };
      }
      case 'teamDetails':
        return {
          status: 200,
          body: { id: r.teamId, name: 'Passerelle Test Team', aadGroupId: aadFor(r.teamId ?? ''), channelCount: 1, memberCount: Math.max(1, members.size), type: 'standard' },
        };
      case 'teamChannels':
        return { status: 200, body: { conversations: [{ id: r.teamId, name: null }] } };
      default:
        return undefined;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const r = route(method, url.pathname);
    const raw = await readBody(req);
    let body: any;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = { _raw: raw };
      }
    }
    const call: FakeConnectorCall = {
      method,
      path: dec(url.pathname),
      kind: r.kind,
      conversationId: r.conversationId,
      body,
      at: realNow(),
      status: 200,
    };
    if (r.activityId !== undefined) call.activityId = r.activityId;
    if (r.replyToId !== undefined) call.replyToId = r.replyToId;
    if (r.memberId !== undefined) call.memberId = r.memberId;
    if (r.teamId !== undefined) call.teamId = r.teamId;
    if (req.headers.authorization) call.authorization = req.headers.authorization;

    const failure = takeFailure(r.kind);
    if (failure) {
      const code = failure.code ?? DEFAULT_ERROR_CODES[failure.status] ?? 'ServiceError';
      const payload = { error: { code, message: failure.message ?? `fake-connector: failNext ${failure.status}` } };
      const headers: Record<string, string> = {};
      if ('retryAfter' in failure && failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      Object.assign(call, { failed: true as const, status: failure.status, response: payload });
      record(call);
      sendJson(res, failure.status, payload, headers);
      return;
    }

    const ok = answer(r, call);
    if (!ok) {
      const payload = { error: { code: 'NotFound', message: `fake-connector: no route for ${method} ${call.path}` } };
      Object.assign(call, { failed: true as const, status: 404, response: payload });
      record(call);
      sendJson(res, 404, payload);
      return;
    }
    call.status = ok.status;
    call.response = ok.body;
    record(call);
    sendJson(res, ok.status, ok.body);
  };

  const { server, port, baseUrl } = await listenOnLoopback(handle, (err) => ({ error: { code: 'ServiceError', message: `fake-connector crashed: ${String(err)}` } }));

  const describeCall = (c: FakeConnectorCall): string =>
    `${c.method} ${c.path} (${c.kind}${c.failed ? `, failed ${c.status}` : ''})`;
  const describeSeen = (): string => (calls.length === 0 ? 'no calls at all' : calls.map(describeCall).join('; '));

  const waitFor = (predicate: (call: FakeConnectorCall) => boolean, timeoutMs = 3000, label = 'call'): Promise<FakeConnectorCall> => {
    const found = calls.find((c) => predicate(c));
    if (found) return Promise.resolve(found);
    return new Promise<FakeConnectorCall>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        label,
        timer: realSetTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`fake-connector: no matching ${label} within ${timeoutMs} ms; calls seen: ${describeSeen()}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  };

  const fake: FakeConnector = {
    serviceUrl: `${baseUrl}/`,
    baseUrl,
    port,
    calls,
    sent: () => calls.flatMap((c) => sentOf(c) ?? []),
    updates: () => calls.filter((c) => c.kind === 'update' && !c.failed).map((c) => withCall({ ...(c.body ?? {}), id: c.activityId ?? '' }, c)),
    deletes: () => calls.filter((c) => c.kind === 'delete' && !c.failed).map((c) => c.activityId ?? ''),
    waitFor: (predicate, timeoutMs = 3000) => waitFor(predicate, timeoutMs),
    async waitForSent(predicate, timeoutMs = 3000) {
      const call = await waitFor(
        (c) => {
          const activity = sentOf(c);
          return !!activity && (!predicate || predicate(activity));
        },
        timeoutMs,
        'sent activity',
      );
      return sentOf(call)!;
    },
    failNext(kind, failure, times = 1) {
      if (!Number.isInteger(times) || times < 1) throw new Error(`fake-connector: failNext times must be a positive integer, got ${times}`);
      const queue = failures.get(kind) ?? [];
      queue.push({ failure, remaining: times });
      failures.set(kind, queue);
    },
    setMember(member) {
      members.set(member.id, { ...(members.get(member.id) ?? defaultMember(member.id)), ...member } as FakeTeamsMember);
    },
    reset() {
      calls.length = 0;
      failures.clear();
      members.clear();
    },
    async close() {
      for (const w of waiters) {
        realClearTimeout(w.timer);
        w.reject(new Error(`fake-connector: closed while waiting for a ${w.label}; calls seen: ${describeSeen()}`));
      }
      waiters.clear();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
