/**
 * A local stand-in for Slack's servers, for integration tests that run the real Bolt app over HTTP.
 *
 *   const fake = await startFakeSlack();
 *   const app = new App({ token: 'xoxb-test', signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } });
 *   ...
 *   const call = await fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C01FRANCE');
 *   await fake.close();
 *
 * How @slack/web-api 8 talks to it (see node_modules/@slack/web-api/dist/WebClient.js):
 * - the URL is `${slackApiUrl}${method}`; the client appends '/' to slackApiUrl when missing, so `apiUrl`
 *   ends with `/api/`;
 * - every call is a POST through global `fetch`, body `application/x-www-form-urlencoded` (node:querystring
 *   stringify) unless an argument is a Buffer (then multipart/form-data, file uploads only);
 * - any argument that is not a string/number/boolean (blocks, view, attachments, metadata...) is sent as a
 *   JSON string; numbers and booleans arrive as strings ('true', '42'); undefined/null are dropped;
 * - the token goes in `Authorization: Bearer …`, not in the body;
 * - a 429 with a `Retry-After` header becomes a `WebAPIRateLimitedError` (`retryAfter` in seconds) when
 *   `rejectRateLimitedCalls` is set, otherwise the client waits and retries; any other non-200 status is a
 *   `WebAPIHTTPError`; a 200 with `ok: false` is a `WebAPIPlatformError`.
 * Bolt's `respond()` POSTs JSON (`application/json`) to the response_url with the global fetch.
 * Files: files.getUploadURLExternal answers an upload_url on this fake, where the bytes are POSTed
 * (recorded as method 'file_upload', body `{ file_id, content }`); files.completeUploadExternal
 * shares uploaded files only.
 *
 * Messages posted with chat.postMessage are kept per channel (with their metadata), changed by
 * chat.update, removed by chat.delete, and served newest first by conversations.history (a thread's
 * parent and replies, oldest first, by conversations.replies); as in Slack, `metadata` is in them
 * only with `include_all_metadata=true`, and a reply (thread_ts) is not in conversations.history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectBlockKitViolations } from './block-kit-limits.js';
import { listenOnLoopback } from './loopback-server.js';

// Captured at import time so that vi.useFakeTimers() in a test does not freeze waitFor() or the clock of records.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow = Date.now.bind(Date);

export const FAKE_TEAM_ID = 'T1';
export const FAKE_TEAM_DOMAIN = 'passerelle-test';
export const FAKE_BOT_USER_ID = 'UBOT';
export const FAKE_BOT_ID = 'BBOT';
export const FAKE_BOT_USER_NAME = 'passerelle';
export const FAKE_APP_ID = 'A0PASSERELLE';

/** Form fields that the WebClient JSON-encodes and that the fake decodes back to objects. */
export const JSON_FORM_FIELDS: readonly string[] = [
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'chunks',
  'files',
];

export interface FakeSlackCall {
  /** Web API method ('chat.postMessage'), or 'response_url' for POSTs to fake.responseUrl(id). */
  method: string;
  /** Request arguments: form fields (JSON_FORM_FIELDS decoded to objects) or the parsed JSON body. */
  body: Record<string, unknown>;
  /** Date.now() when received (real clock, even under fake timers). */
  at: number;
  /** Bearer token from the Authorization header (or the `token` form field), if any. */
  token?: string;
  /** For method 'response_url': the id given to fake.responseUrl(id). */
  responseId?: string;
  /** Content-Type of the request, without parameters. */
  contentType: string;
  /** Set when the fake answered with a failure (failNext, or invalid_blocks from the Block Kit check). */
  failed?: true;
  /** HTTP status answered when it was not 200. */
  status?: number;
  /** Slack error code answered (ok: false), if any. */
  error?: string;
  /** Set when the fake never answered (hangNext): the caller is still waiting, or gave up. */
  hung?: true;
}

/** A message the fake keeps, as conversations.history returns it (with `metadata` when it has some). */
export type FakeSlackMessage = Record<string, unknown> & { ts: string; text: string; thread_ts?: string; metadata?: { event_type: string; event_payload: Record<string, unknown> } };

export interface HangOptions {
  /**
   * Do the work before not answering: a chat.postMessage is posted (kept in the channel's history)
   * and only the answer is lost, as when the caller dies or its connection drops after Slack
   * posted. Default false: the call is recorded and nothing else happens.
   */
  afterDoing?: boolean;
  /** Only calls whose arguments match (e.g. `(b) => b.channel === 'C01FRANCE'`); others are answered as usual. */
  when?: (body: Record<string, unknown>) => boolean;
}

export type FakeFailure =
  | { status: 429; retryAfter?: number }
  | { status: number }
  | { error: string };

export type FakeMethodHandler = (
  body: Record<string, unknown>,
  call: FakeSlackCall,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  locale: string;
  is_bot: boolean;
  deleted: boolean;
  profile: { display_name: string; real_name: string; email?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_private: boolean;
  is_im: boolean;
  is_member: boolean;
  is_archived: boolean;
  [k: string]: unknown;
}

export interface StartFakeSlackOptions {
  /**
   * Check blocks/views sent to chat.postMessage, chat.update, chat.postEphemeral, views.* and response_urls
   * against Slack's documented Block Kit limits, and answer `{ ok: false, error: 'invalid_blocks' }` like Slack
   * when one is exceeded (the call is recorded with failed: true). Default true.
   */
  enforceBlockKitLimits?: boolean;
}

export interface FakeSlack {
  /** Web API base for `slackApiUrl`, e.g. 'http://127.0.0.1:40123/api/'. */
  readonly apiUrl: string;
  /** 'http://127.0.0.1:PORT' */
  readonly baseUrl: string;
  readonly port: number;
  /** Every call received, in order, failed ones included. */
  readonly calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /**
   * Resolves with the first call (already recorded or future) to `method` matching `predicate`; failed calls
   * count too (filter them with `(c) => !c.failed`). Rejects after timeoutMs listing the methods seen.
   */
  waitFor(
    method: string,
    predicate?: (call: FakeSlackCall) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackCall>;
  /** Next `times` calls to `method` fail: HTTP status (429 with Retry-After), or HTTP 200 `{ ok: false, error }`. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /**
   * The next `times` calls to `method` get no answer at all (the connection stays open until close()),
   * after doing their work when `afterDoing` (see HangOptions). Recorded with `hung: true`.
   */
  hangNext(method: string, times?: number, options?: HangOptions): void;
  /** The messages kept in `channel` (posted and not deleted, replies included), oldest first. */
  messagesIn(channel: string): FakeSlackMessage[];
  /** Replace the canned answer of a method (or add one). `ok: true` is added when the handler omits `ok`. */
  respondWith(method: string, handler: FakeMethodHandler): void;
  /** Users known to users.info (merged into the default user built from the id). */
  setUser(id: string, user: Partial<Omit<FakeUser, 'profile'>> & { profile?: Partial<FakeUser['profile']> }): void;
  /** Channels known to conversations.info (merged into the default channel built from the id). */
  setChannel(id: string, channel: Partial<FakeChannel>): void;
  /** 'http://127.0.0.1:PORT/response/<id>'; POSTs there are recorded as method 'response_url'. */
  responseUrl(id: string): string;
  /** Forget calls, pending failures and hangs, custom handlers, users, channels and kept messages. Counters (ts, view ids) keep growing. */
  reset(): void;
  close(): Promise<void>;
}

interface Waiter {
  method: string;
  predicate?: (call: FakeSlackCall) => boolean;
  resolve: (call: FakeSlackCall) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_CHANNEL_NAMES: Record<string, string> = { C01FRANCE: 'france' };

function defaultUser(id: string): FakeUser {
  const name = id === FAKE_BOT_USER_ID ? FAKE_BOT_USER_NAME : `user_${id.toLowerCase()}`;
  const realName = id === FAKE_BOT_USER_ID ? 'Passerelle' : `User ${id}`;
  return {
    id,
    team_id: FAKE_TEAM_ID,
    name,
    real_name: realName,
    tz: 'Europe/Paris',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    locale: 'en-US',
    is_bot: id === FAKE_BOT_USER_ID,
    deleted: false,
    profile: { display_name: name, real_name: realName },
  };
}

function defaultChannel(id: string): FakeChannel {
  return {
    id,
    name: DEFAULT_CHANNEL_NAMES[id] ?? `channel-${id.toLowerCase()}`,
    is_channel: id.startsWith('C'),
    is_private: id.startsWith('G'),
    is_im: id.startsWith('D'),
    is_member: true,
    is_archived: false,
  };
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function decodeJsonFields(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of JSON_FORM_FIELDS) {
    const value = body[key];
    if (typeof value === 'string' && value.length > 0) {
      try {
        body[key] = JSON.parse(value);
      } catch {
        // leave as sent: the bot sent something that is not JSON, which the assertions should see as is
      }
    }
  }
  return body;
}

function parseBody(raw: string, type: string, query: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of query) body[k] = v;
  if (raw.length === 0) return body;
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(body, parsed);
    else body._json = parsed;
  } else if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [k, v] of new URLSearchParams(raw)) body[k] = v;
  } else {
    body._raw = raw;
  }
  return body;
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export async function startFakeSlack(options: StartFakeSlackOptions = {}): Promise<FakeSlack> {
  const enforceBlockKitLimits = options.enforceBlockKitLimits ?? true;
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, { failure: FakeFailure; remaining: number }[]>();
  const handlers = new Map<string, FakeMethodHandler>();
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const waiters = new Set<Waiter>();
  const hangs = new Map<string, { remaining: number; afterDoing: boolean; when?: (body: Record<string, unknown>) => boolean }[]>();
  /** Kept messages per channel, oldest first. */
  const history = new Map<string, FakeSlackMessage[]>();
  const kept = (channel: unknown): FakeSlackMessage[] => {
    const key = String(channel ?? '');
    let list = history.get(key);
    if (!list) history.set(key, (list = []));
    return list;
  };
  /** conversations.history / replies show metadata only when asked for all of it. */
  const shown = (m: FakeSlackMessage, body: Record<string, unknown>): Record<string, unknown> => {
    if (body.include_all_metadata === 'true' || body.include_all_metadata === true) return { ...m };
    const { metadata: _hidden, ...rest } = m;
    return rest;
  };
  const pageSize = (body: Record<string, unknown>): number => {
    const limit = Number(body.limit ?? 100);
    return Number.isInteger(limit) && limit > 0 ? Math.min(limit, 999) : 100;
  };
  let tsCounter = 0;
  let viewCounter = 0;
  /** File uploads (files.getUploadURLExternal): the bytes POSTed to their upload_url, once they are. */
  const uploads = new Map<string, { filename: string; length: number; content?: string }>();
  let fileCounter = 0;
  let fakeBase = '';

  const nextTs = (): string => {
    tsCounter += 1;
    return `1700000000.${String(tsCounter * 100).padStart(6, '0')}`;
  };
  const nextViewId = (): string => {
    viewCounter += 1;
    return `V${String(viewCounter).padStart(10, '0')}`;
  };
  const permalink = (channel: unknown, ts: unknown): string =>
    `https://${FAKE_TEAM_DOMAIN}.slack.com/archives/${String(channel)}/p${String(ts).replace('.', '')}`;

  const takeHang = (method: string, body: Record<string, unknown>): { afterDoing: boolean } | undefined => {
    const queue = hangs.get(method) ?? [];
    const at = queue.findIndex((hang) => !hang.when || hang.when(body));
    if (at < 0) return undefined;
    const hang = queue[at];
    hang.remaining -= 1;
    if (hang.remaining <= 0) queue.splice(at, 1);
    return hang;
  };

  const takeFailure = (method: string): FakeFailure | undefined => {
    const queue = failures.get(method);
    if (!queue || queue.length === 0) return undefined;
    const head = queue[0];
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  };

  const record = (call: FakeSlackCall): void => {
    calls.push(call);
    for (const w of [...waiters]) {
      if (w.method === call.method && (!w.predicate || w.predicate(call))) {
        waiters.delete(w);
        realClearTimeout(w.timer);
        w.resolve(call);
      }
    }
  };

  const blockKitErrors = (method: string, body: Record<string, unknown>): string[] => {
    if (!enforceBlockKitLimits) return [];
    if (method.startsWith('views.') && body.view && typeof body.view === 'object') {
      const view = body.view as Record<string, unknown>;
      return collectBlockKitViolations(view, view.type === 'modal' ? 'modal' : 'home');
    }
    if (
      (method === 'chat.postMessage' ||
        method === 'chat.update' ||
        method === 'chat.postEphemeral' ||
        method === 'chat.scheduleMessage' ||
        method === 'response_url') &&
      Array.isArray(body.blocks)
    ) {
      return collectBlockKitViolations(body.blocks, 'message');
    }
    return [];
  };

  const cannedAnswer = (method: string, body: Record<string, unknown>): Record<string, unknown> | undefined => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${FAKE_TEAM_DOMAIN}.slack.com/`,
          team: 'Passerelle Test',
          user: FAKE_BOT_USER_NAME,
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
      case 'chat.meMessage': {
        const ts = nextTs();
        const message: Record<string, unknown> = {
          type: 'message',
          user: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          app_id: FAKE_APP_ID,
          team: FAKE_TEAM_ID,
          text: body.text ?? '',
          ts,
        };
        if (body.blocks !== undefined) message.blocks = body.blocks;
        if (body.attachments !== undefined) message.attachments = body.attachments;
        if (body.thread_ts !== undefined) message.thread_ts = body.thread_ts;
        if (body.metadata !== undefined) message.metadata = body.metadata;
        if (method === 'chat.postMessage') kept(body.channel).push(message as FakeSlackMessage);
        return { ok: true, channel: body.channel, ts, message };
      }
      case 'chat.update': {
        const stored = kept(body.channel).find((m) => m.ts === body.ts);
        if (stored) {
          stored.text = String(body.text ?? '');
          if (body.blocks !== undefined) stored.blocks = body.blocks;
          if (body.metadata !== undefined) stored.metadata = body.metadata as FakeSlackMessage['metadata'];
        }
        return {
          ok: true,
          channel: body.channel,
          ts: body.ts,
          text: body.text ?? '',
          message: {
            type: 'message',
            user: FAKE_BOT_USER_ID,
            bot_id: FAKE_BOT_ID,
            team: FAKE_TEAM_ID,
            text: body.text ?? '',
            ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
            edited: { user: FAKE_BOT_USER_ID, ts: nextTs() },
          },
        };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.delete': {
        const list = kept(body.channel);
        const at = list.findIndex((m) => m.ts === body.ts);
        if (at >= 0) list.splice(at, 1);
        return { ok: true, channel: body.channel, ts: body.ts };
      }
      case 'conversations.history': {
        // Newest first, replies left out (they are in conversations.replies); no cursor: has_more only.
        const top = kept(body.channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts).reverse();
        const size = pageSize(body);
        return { ok: true, messages: top.slice(0, size).map((m) => shown(m, body)), has_more: top.length > size, pin_count: 0 };
      }
      case 'conversations.replies': {
        // The parent, then its replies, oldest first.
        const list = kept(body.channel);
        const parent = list.find((m) => m.ts === body.ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const thread = [parent, ...list.filter((m) => m.thread_ts === body.ts && m.ts !== body.ts)];
        const size = pageSize(body);
        return { ok: true, messages: thread.slice(0, size).map((m) => shown(m, body)), has_more: thread.length > size };
      }
      case 'chat.scheduleMessage':
        return { ok: true, channel: body.channel, scheduled_message_id: `Q${nextTs().replace('.', '')}`, post_at: body.post_at };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const submitted = (body.view && typeof body.view === 'object' ? body.view : {}) as Record<string, unknown>;
        const id = method === 'views.update' && typeof body.view_id === 'string' ? body.view_id : nextViewId();
        return {
          ok: true,
          view: {
            id,
            team_id: FAKE_TEAM_ID,
            type: 'modal',
            private_metadata: '',
            callback_id: '',
            external_id: '',
            clear_on_close: false,
            notify_on_close: false,
            ...submitted,
            state: { values: {} },
            hash: `${realNow()}.${id}`,
            root_view_id: id,
            previous_view_id: null,
            app_id: FAKE_APP_ID,
            app_installed_team_id: FAKE_TEAM_ID,
            bot_id: FAKE_BOT_ID,
          },
        };
      }
      case 'users.info': {
        const id = String(body.user ?? '');
        return { ok: true, user: users.get(id) ?? defaultUser(id) };
      }
      case 'chat.getPermalink':
        return { ok: true, channel: body.channel, permalink: permalink(body.channel, body.message_ts) };
      case 'conversations.info': {
        const id = String(body.channel ?? '');
        return { ok: true, channel: channels.get(id) ?? defaultChannel(id) };
      }
      case 'conversations.open': {
        // One user: the bot's DM with them, a stable `D<user id>` ('U42' → 'DU42'); a deleted user
        // (setUser(id, { deleted: true })) is user_disabled, as in Slack. Several users (mpim) are not faked.
        const ids = String(body.users ?? '').split(',').filter(Boolean);
        if (ids.length === 0) return body.channel ? { ok: true, channel: { id: body.channel } } : { ok: false, error: 'users_list_not_supplied' };
        if (ids.length > 1) return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (users.get(ids[0])?.deleted) return { ok: false, error: 'user_disabled' };
        if (ids[0] === FAKE_BOT_USER_ID) return { ok: false, error: 'cannot_dm_bot' };
        return { ok: true, channel: { id: `D${ids[0]}` } };
      }
      case 'files.getUploadURLExternal': {
        // The bytes go to upload_url (a POST recorded as method 'file_upload'); completeUploadExternal shares them.
        fileCounter += 1;
        const id = `F${String(fileCounter).padStart(8, '0')}`;
        if (!body.filename || !body.length) return { ok: false, error: 'invalid_arguments' };
        uploads.set(id, { filename: String(body.filename), length: Number(body.length) });
        return { ok: true, upload_url: `${fakeBase}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        // As in Slack: every file must have been uploaded first.
        const files = Array.isArray(body.files) ? (body.files as Array<{ id: string; title?: string }>) : [];
        if (!files.length || files.some((f) => uploads.get(f.id)?.content === undefined)) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, files: files.map((f) => ({ id: f.id, name: uploads.get(f.id)!.filename, title: f.title ?? uploads.get(f.id)!.filename })) };
      }
      default:
        return undefined;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiMatch = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    const uploadMatch = /^\/upload\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (uploadMatch) {
      // A file's bytes, POSTed to the upload_url of files.getUploadURLExternal.
      const content = await readBody(req);
      const upload = uploads.get(uploadMatch[1]);
      if (upload) upload.content = content;
      record({ method: 'file_upload', body: { file_id: uploadMatch[1], content }, at: realNow(), contentType: mediaType(req), ...(upload ? {} : { failed: true as const, status: 404 }) });
      res.writeHead(upload ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(upload ? `OK - ${Buffer.byteLength(content)}` : 'Not Found');
      return;
    }
    if (!apiMatch && !responseMatch) {
      sendJson(res, 404, { ok: false, error: 'not_found', path: url.pathname });
      return;
    }
    const method = apiMatch ? apiMatch[1] : 'response_url';
    const type = mediaType(req);
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = decodeJsonFields(parseBody(raw, type, url.searchParams));
    } catch {
      body = { _raw: raw };
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof body.token === 'string' ? body.token : undefined;
    const call: FakeSlackCall = { method, body, at: realNow(), contentType: type };
    if (token !== undefined) call.token = token;
    if (responseMatch) call.responseId = decodeURIComponent(responseMatch[1]);

    const hang = takeHang(method, body);
    if (hang) {
      call.hung = true;
      if (hang.afterDoing) cannedAnswer(method, body);
      record(call);
      return; // no answer: the connection stays open until close()
    }

    const failure = takeFailure(method);
    if (failure) {
      call.failed = true;
      if ('status' in failure && failure.status !== 200) {
        call.status = failure.status;
        if (failure.status === 429) {
          const retryAfter = 'retryAfter' in failure && failure.retryAfter !== undefined ? failure.retryAfter : 1;
          call.error = 'ratelimited';
          record(call);
          sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
        } else {
          call.error = `http_${failure.status}`;
          record(call);
          sendJson(res, failure.status, { ok: false, error: call.error });
        }
        return;
      }
      const error = 'error' in failure ? failure.error : 'fatal_error';
      call.error = error;
      record(call);
      sendJson(res, 200, { ok: false, error });
      return;
    }

    const violations = blockKitErrors(method, body);
    if (violations.length > 0) {
      call.failed = true;
      call.error = 'invalid_blocks';
      record(call);
      sendJson(res, 200, {
        ok: false,
        error: 'invalid_blocks',
        errors: violations,
        response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) },
      });
      return;
    }

    const custom = handlers.get(method);
    let answer: Record<string, unknown> | undefined;
    if (custom) {
      answer = { ok: true, ...(await custom(body, call)) };
    } else if (method === 'response_url') {
      answer = { ok: true };
    } else {
      answer = cannedAnswer(method, body);
    }
    if (!answer) answer = { ok: false, error: 'unknown_method' };
    if (answer.ok === false) {
      call.failed = true;
      call.error = String(answer.error);
    }
    record(call);
    sendJson(res, 200, answer);
  };

  const { server, port, baseUrl } = await listenOnLoopback(handle, (err) => ({ ok: false, error: 'fake_slack_crashed', detail: String(err) }));
  fakeBase = baseUrl;

  const describeSeen = (): string => {
    if (calls.length === 0) return 'no calls at all';
    const counts = new Map<string, number>();
    for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
    return [...counts].map(([m, n]) => `${m} ×${n}`).join(', ');
  };

  const fake: FakeSlack = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    port,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(method, predicate, timeoutMs = 3000) {
      const found = calls.find((c) => c.method === method && (!predicate || predicate(c)));
      if (found) return Promise.resolve(found);
      return new Promise<FakeSlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve,
          reject,
          timer: realSetTimeout(() => {
            waiters.delete(waiter);
            const sameMethod = calls.filter((c) => c.method === method).length;
            reject(
              new Error(
                `fake-slack: no call to ${method}${predicate ? ' matching the predicate' : ''} within ${timeoutMs} ms` +
                  (predicate && sameMethod > 0 ? ` (${sameMethod} call(s) to ${method} did not match)` : '') +
                  `; methods seen: ${describeSeen()}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(method, failure, times = 1) {
      if (!Number.isInteger(times) || times < 1) throw new Error(`fake-slack: failNext times must be a positive integer, got ${times}`);
      const queue = failures.get(method) ?? [];
      queue.push({ failure, remaining: times });
      failures.set(method, queue);
    },
    hangNext(method, times = 1, options = {}) {
      if (!Number.isInteger(times) || times < 1) throw new Error(`fake-slack: hangNext times must be a positive integer, got ${times}`);
      const queue = hangs.get(method) ?? [];
      queue.push({ remaining: times, afterDoing: options.afterDoing ?? false, when: options.when });
      hangs.set(method, queue);
    },
    messagesIn: (channel) => [...(history.get(channel) ?? [])],
    respondWith(method, handler) {
      handlers.set(method, handler);
    },
    setUser(id, user) {
      const base = users.get(id) ?? defaultUser(id);
      users.set(id, { ...base, ...user, id, profile: { ...base.profile, ...(user.profile ?? {}) } } as FakeUser);
    },
    setChannel(id, channel) {
      channels.set(id, { ...(channels.get(id) ?? defaultChannel(id)), ...channel, id });
    },
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    reset() {
      calls.length = 0;
      failures.clear();
      hangs.clear();
      history.clear();
      handlers.clear();
      users.clear();
      channels.clear();
    },
    async close() {
      for (const w of waiters) {
        realClearTimeout(w.timer);
        w.reject(new Error(`fake-slack: closed while waiting for ${w.method}; methods seen: ${describeSeen()}`));
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
