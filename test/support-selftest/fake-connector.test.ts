/**
 * Proves test/support/fake-connector.ts and teams-activities.ts against botbuilder's REAL CloudAdapter,
 * served over HTTP by a plain node:http server.
 *
 * Calling CloudAdapter.process from node:http (botbuilder 4.23, lib/cloudAdapter.js):
 * - the request is botbuilder's `Request` { body?, headers, method? }: an IncomingMessage has headers and
 *   method but never `body`, and process() answers 400 "`req.body` not an object, make sure you are using
 *   middleware to parse incoming requests." unless `req.body` is the already-parsed JSON object: read and
 *   JSON.parse the body first;
 * - the response is botbuilder's express/restify-like `Response`: process() zod-checks that `status`,
 *   `header`, `send` and `end` are functions, and node's ServerResponse has no status/send/header, so passing it
 *   makes process() REJECT (ZodError "Response") without writing anything: wrap it (nodeResponse below).
 *   process() calls status(code), then send(body) only when there is a body (an invoke response object, or an
 *   error message string), then end();
 * - the Authorization header is read from req.headers.authorization; without credentials it is ignored.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CardFactory,
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
} from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardsOf, startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import {
  TEAMS_DEFAULTS,
  cardAction,
  cardSubmit,
  channelMessage,
  fetchTask,
  membersAdded,
  personalMessage,
  postActivity,
  submitAction,
} from '../support/teams-activities.js';

// ------------------------------------------------------------------------------------- node:http ↔ botbuilder

/** botbuilder's Response over node's ServerResponse. */
function nodeResponse(res: ServerResponse) {
  const response = {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return response;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return response;
    },
    send(body?: unknown) {
      if (body === undefined) return response;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.write(body);
      } else {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.write(JSON.stringify(body));
      }
      return response;
    },
    end() {
      if (!res.writableEnded) res.end();
      return response;
    },
  };
  return response;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

interface BotServer {
  url: string;
  close(): Promise<void>;
}

async function serveBot(adapter: CloudAdapter, logic: (context: TurnContext) => Promise<void>): Promise<BotServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.url !== '/api/messages') {
        res.writeHead(404).end();
        return;
      }
      const body = await readJson(req);
      await adapter.process({ body, headers: req.headers, method: req.method }, nodeResponse(res), logic);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// -------------------------------------------------------------------------------------------------- the bot

const card = (title: string, extra: object = {}) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: title, wrap: true }],
  actions: [{ type: 'Action.Execute', title: 'Acknowledge', verb: 'ack', data: { caseId: 'C-1' }, fallback: { type: 'Action.Submit', title: 'Acknowledge', data: { action: 'ack', caseId: 'C-1' } } }],
  ...extra,
});

class TestBot extends TeamsActivityHandler {
  /** Activity types/names the handler saw, in order. */
  readonly seen: string[] = [];
  /** Conversation references of the messages received. */
  readonly references: Array<Partial<ConversationReference>> = [];

  constructor() {
    super();
    this.onTurn(async (context, next) => {
      this.seen.push(context.activity.name ? `${context.activity.type}:${context.activity.name}` : context.activity.type);
      await next();
    });
    this.onMessage(async (context, next) => {
      this.references.push(TurnContext.getConversationReference(context.activity));
      const value = context.activity.value as Record<string, unknown> | undefined;
      if (value) {
        await context.sendActivity(`Submitted ${String(value.action)} on ${String(value.caseId)}`);
      } else {
        const command = TurnContext.removeRecipientMention(context.activity).trim();
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card(`Case for ${command}`)), `Bonjour ${context.activity.from.name}`));
      }
      await next();
    });
    this.onTeamsMembersAddedEvent(async (added, teamInfo, context, next) => {
      for (const member of added) {
        if (member.id === context.activity.recipient.id) await context.sendActivity(`Passerelle is here, team ${teamInfo?.name ?? '?'}`);
        else await context.sendActivity(`Welcome ${member.name} (${member.userPrincipalName})`);
      }
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(_context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: ADAPTIVE_CARD_CONTENT_TYPE,
      value: card(`Acknowledged ${String((invokeValue.action.data as { caseId?: string }).caseId)} (${invokeValue.action.verb})`, { actions: [] }),
    };
  }

  protected override async handleTeamsMessagingExtensionFetchTask(_context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return {
      task: {
        type: 'continue',
        value: {
          title: 'Capture as observation',
          height: 'medium',
          width: 'medium',
          card: CardFactory.adaptiveCard({
            type: 'AdaptiveCard',
            version: '1.5',
            body: [{ type: 'Input.Text', id: 'note', value: action.messagePayload?.body?.content ?? '' }],
            actions: [{ type: 'Action.Submit', title: 'Capture' }],
          }),
        },
      },
    };
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    await context.sendActivity(`Captured: ${String((action.data as { note?: string }).note)}`);
    return {};
  }
}

// ------------------------------------------------------------------------------------------------------ tests

let fake: FakeConnector;
let adapter: CloudAdapter;
let bot: TestBot;
let server: BotServer;

beforeAll(async () => {
  fake = await startFakeConnector();
  adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  bot = new TestBot();
  server = await serveBot(adapter, (context) => bot.run(context));
});
afterEach(() => {
  fake.reset();
  bot.seen.length = 0;
  bot.references.length = 0;
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('fake Bot Connector behind the real CloudAdapter', () => {
  it('records the reply to a channel message: text + Adaptive Card, POSTed to the thread as a reply', async () => {
    const incoming = channelMessage({ text: 'observe Lyon', serviceUrl: fake.serviceUrl });
    expect(incoming.text).toBe('<at>Passerelle</at> observe Lyon');
    expect(incoming.conversation.id).toBe(`19:abc@thread.tacv2;messageid=${incoming.id}`);

    const res = await postActivity(server.url, incoming);
    expect(res).toMatchObject({ status: 200, body: undefined });

    const [call] = fake.calls;
    expect(call).toMatchObject({
      method: 'POST',
      kind: 'reply',
      path: `/v3/conversations/19:abc@thread.tacv2;messageid=${incoming.id}/activities/${incoming.id}`,
      conversationId: `19:abc@thread.tacv2;messageid=${incoming.id}`,
      replyToId: incoming.id,
      status: 201,
    });
    expect(call.authorization).toBeUndefined();
    const [reply] = fake.sent();
    expect(reply.id).toBe(call.responseId);
    expect(reply.id).toMatch(/^\d{13,}$/);
    expect(reply).toMatchObject({
      type: 'message',
      text: 'Bonjour Alice Martin',
      replyToId: incoming.id,
      from: { id: TEAMS_DEFAULTS.botId },
      recipient: { id: TEAMS_DEFAULTS.user.id },
      conversation: { id: incoming.conversation.id },
    });
    expect(cardsOf(reply)).toEqual([card('Case for observe Lyon')]);
    expect(bot.seen).toEqual(['message']);
  });

  it('answers an adaptiveCard/action invoke with the updated card in the HTTP response, and posts nothing', async () => {
    const res = await postActivity(
      server.url,
      cardAction({ verb: 'ack', data: { caseId: 'C-1' }, serviceUrl: fake.serviceUrl, replyToId: '1700000000123' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: card('Acknowledged C-1 (ack)', { actions: [] }),
    });
    expect(fake.calls).toEqual([]);
    expect(bot.seen).toEqual(['invoke:adaptiveCard/action']);
  });

  it('handles an Action.Submit fallback (a message with value) and a personal chat', async () => {
    await postActivity(server.url, cardSubmit({ data: { action: 'ack', caseId: 'C-9' }, replyToId: '1700000000555', serviceUrl: fake.serviceUrl }));
    const submitted = await fake.waitForSent((a) => a.text === 'Submitted ack on C-9');
    expect(submitted.call).toMatchObject({ kind: 'reply', conversationId: '19:abc@thread.tacv2;messageid=1700000000555' });

    const dm = personalMessage({ text: 'help', serviceUrl: fake.serviceUrl });
    await postActivity(server.url, dm);
    const answer = await fake.waitForSent((a) => a.conversation?.id === dm.conversation.id);
    expect(answer.conversation.id).toMatch(/^a:1/);
    expect(answer.call.path).toBe(`/v3/conversations/${dm.conversation.id}/activities/${dm.id}`);
  });

  it('answers composeExtension/fetchTask with a task module, and submitAction posts to the thread', async () => {
    const invoke = fetchTask({
      commandId: 'captureObservation',
      messagePayload: { id: '1700000000777', body: { content: '<p>Plan social annoncé</p>', contentType: 'html' }, from: { id: '29:1bob', name: 'Bob', aadObjectId: 'b0b' } },
      serviceUrl: fake.serviceUrl,
    });
    expect(invoke.value).toMatchObject({ commandContext: 'message', messagePayload: { from: { user: { id: 'b0b', displayName: 'Bob' } } } });
    const res = await postActivity(server.url, invoke);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      task: { type: 'continue', value: { title: 'Capture as observation', card: { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { body: [{ id: 'note', value: '<p>Plan social annoncé</p>' }] } } } },
    });
    expect(fake.calls).toEqual([]);

    const submit = await postActivity(
      server.url,
      submitAction({ commandId: 'captureObservation', data: { note: 'Plan social' }, messagePayload: { id: '1700000000777' }, serviceUrl: fake.serviceUrl }),
    );
    expect(submit).toMatchObject({ status: 200, body: {} });
    expect((await fake.waitForSent()).text).toBe('Captured: Plan social');
    expect(fake.calls[0].conversationId).toBe('19:abc@thread.tacv2;messageid=1700000000777');
  });

  it('greets when added to a team, and looks up added people with GET members/{id} on the team', async () => {
    const bob = { id: '29:1bob-teams-id', aadObjectId: 'b0b-aad' };
    fake.setMember({ id: bob.id, name: 'Bob Durand', userPrincipalName: 'bob@example.fr', aadObjectId: bob.aadObjectId });

    const res = await postActivity(server.url, membersAdded({ botAdded: true, members: [bob], serviceUrl: fake.serviceUrl }));
    expect(res.status).toBe(200);

    const lookup = fake.calls.find((c) => c.kind === 'member');
    expect(lookup).toMatchObject({ method: 'GET', path: `/v3/conversations/${TEAMS_DEFAULTS.teamId}/members/${bob.id}`, memberId: bob.id, status: 200 });
    expect(lookup?.response).toMatchObject({ id: bob.id, name: 'Bob Durand', aadObjectId: 'b0b-aad', userPrincipalName: 'bob@example.fr', tenantId: TEAMS_DEFAULTS.tenantId });
    // the bot's own entry is not looked up
    expect(fake.calls.filter((c) => c.kind === 'member')).toHaveLength(1);

    expect(fake.sent().map((a) => a.text)).toEqual(['Passerelle is here, team Passerelle Test Team', 'Welcome Bob Durand (bob@example.fr)']);
    expect(fake.sent()[0].call).toMatchObject({ kind: 'reply', conversationId: TEAMS_DEFAULTS.teamId });
  });

  it('posts proactively with continueConversationAsync (a reply to a fresh uuid), then updates that message', async () => {
    const incoming = channelMessage({ text: 'watch', serviceUrl: fake.serviceUrl });
    await postActivity(server.url, incoming);
    const reference = bot.references[0];
    expect(reference).toMatchObject({ activityId: incoming.id, serviceUrl: fake.serviceUrl, conversation: { id: incoming.conversation.id } });
    fake.reset();

    let postedId = '';
    await adapter.continueConversationAsync(TEAMS_DEFAULTS.botAppId, reference, async (context) => {
      const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card('Digest')), 'Digest'));
      postedId = sent?.id ?? '';
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card('Digest v2')), 'Digest v2'), id: postedId });
    });

    const [post, put] = fake.calls;
    expect(post).toMatchObject({ method: 'POST', kind: 'reply', conversationId: incoming.conversation.id });
    // continueConversationAsync's continuation activity has a random uuid as id, and sendActivity replies to it
    expect(post.replyToId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(postedId).toBe(post.responseId);
    expect(put).toMatchObject({
      method: 'PUT',
      kind: 'update',
      path: `/v3/conversations/${incoming.conversation.id}/activities/${postedId}`,
      activityId: postedId,
      status: 200,
      response: { id: postedId },
    });
    expect(fake.updates()).toHaveLength(1);
    expect(cardsOf(fake.updates()[0])).toEqual([card('Digest v2')]);
    expect(fake.updates()[0]).toMatchObject({ id: postedId, text: 'Digest v2', conversation: { id: incoming.conversation.id } });
  });

  it('answers what TeamsInfo asks: team details, channels, members, and a new channel thread (POST v3/conversations)', async () => {
    const reference = TurnContext.getConversationReference(channelMessage({ text: 'x', serviceUrl: fake.serviceUrl }) as never);
    fake.setMember({ id: '29:1bob', name: 'Bob Durand' });
    let thread: [Partial<ConversationReference>, string] | undefined;
    await adapter.continueConversationAsync(TEAMS_DEFAULTS.botAppId, reference, async (context) => {
      expect(await TeamsInfo.getTeamDetails(context, TEAMS_DEFAULTS.teamId)).toMatchObject({ id: TEAMS_DEFAULTS.teamId, name: 'Passerelle Test Team' });
      expect(await TeamsInfo.getTeamChannels(context, TEAMS_DEFAULTS.teamId)).toEqual([{ id: TEAMS_DEFAULTS.teamId, name: null }]);
      expect(await TeamsInfo.getPagedMembers(context)).toMatchObject({ members: [{ id: '29:1bob', name: 'Bob Durand' }] });
      thread = await TeamsInfo.sendMessageToTeamsChannel(context, MessageFactory.text('New thread') as Activity, TEAMS_DEFAULTS.channelId, TEAMS_DEFAULTS.botAppId);
    });
    expect(fake.calls.map((c) => `${c.method} ${c.kind}`)).toEqual(['GET teamDetails', 'GET teamChannels', 'GET members', 'POST createConversation']);
    const created = fake.calls[3];
    expect(created).toMatchObject({ path: '/v3/conversations', status: 201, body: { isGroup: true, channelData: { channel: { id: TEAMS_DEFAULTS.channelId } }, activity: { text: 'New thread' } } });
    expect(created.response).toEqual({ id: `${TEAMS_DEFAULTS.channelId};messageid=${created.responseId}`, activityId: created.responseId });
    expect(fake.sent()).toMatchObject([{ text: 'New thread', id: created.responseId, conversation: { id: `${TEAMS_DEFAULTS.channelId};messageid=${created.responseId}` } }]);
    // with a CloudAdapter, botbuilder returns the new CONVERSATION id as "activity id" (createCreateActivity uses it as id)
    expect(thread?.[1]).toBe(`${TEAMS_DEFAULTS.channelId};messageid=${created.responseId}`);
    expect(thread?.[0].conversation?.id).toBe(`${TEAMS_DEFAULTS.channelId};messageid=${created.responseId}`);
  });

  it('a 429 from failNext surfaces from continueConversationAsync as a RestError with statusCode 429', async () => {
    const reference = {
      channelId: 'msteams',
      serviceUrl: fake.serviceUrl,
      conversation: { id: TEAMS_DEFAULTS.channelId, isGroup: true, conversationType: 'channel', tenantId: TEAMS_DEFAULTS.tenantId },
      bot: { id: TEAMS_DEFAULTS.botId, name: TEAMS_DEFAULTS.botName },
    } as Partial<ConversationReference>;
    const post = () => adapter.continueConversationAsync(TEAMS_DEFAULTS.botAppId, reference, async (context) => void (await context.sendActivity('hello')));

    // without Retry-After the client does not retry
    fake.failNext('send', { status: 429 });
    const err = (await post().catch((e: unknown) => e)) as Error & {
      statusCode?: number;
      code?: string;
      details?: unknown;
      body?: unknown;
      response?: { status: number; headers: { get(n: string): string | undefined }; bodyAsText?: string };
    };
    // @azure/core-rest-pipeline's RestError: code and message from the ErrorResponse body, which is in `details`
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('RestError');
    expect(err.constructor.name).toBe('RestError');
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe('TooManyRequests');
    expect(err.message).toBe('fake-connector: failNext 429');
    expect(err.details).toEqual({ error: { code: 'TooManyRequests', message: 'fake-connector: failNext 429' } });
    expect(err.body).toBeUndefined();
    expect(err.response?.status).toBe(429);
    expect(err.response?.headers.get('retry-after')).toBeUndefined();
    expect(JSON.parse(err.response?.bodyAsText ?? '{}')).toEqual({ error: { code: 'TooManyRequests', message: 'fake-connector: failNext 429' } });
    expect(fake.calls.map((c) => c.status)).toEqual([429]);
    expect(fake.calls[0].failed).toBe(true);

    // with Retry-After the client waits and retries by itself (up to 3 times): once → absorbed
    fake.reset();
    fake.failNext('send', { status: 429, retryAfter: 0 });
    await post();
    expect(fake.calls.map((c) => c.status)).toEqual([429, 201]);
    expect(fake.sent()).toHaveLength(1);

    // ... 4 times → surfaces, Retry-After readable from err.response.headers
    fake.reset();
    fake.failNext('send', { status: 429, retryAfter: 0 }, 4);
    const again = (await post().catch((e: unknown) => e)) as typeof err;
    expect(again.statusCode).toBe(429);
    expect(again.response?.headers.get('retry-after')).toBe('0');
    expect(fake.calls.map((c) => c.status)).toEqual([429, 429, 429, 429]);
  });

  it('a 500 once is retried by the client after ~1 s and absorbed', async () => {
    fake.failNext('send', { status: 500 });
    const reference = TurnContext.getConversationReference(personalMessage({ text: 'x', serviceUrl: fake.serviceUrl }) as never);
    await adapter.continueConversationAsync(TEAMS_DEFAULTS.botAppId, reference, async (context) => void (await context.sendActivity('after a 500')));
    expect(fake.calls.map((c) => c.status)).toEqual([500, 201]);
    expect(fake.sent().map((a) => a.text)).toEqual(['after a 500']);
  });

  it("a failed member lookup fails the conversationUpdate turn (botbuilder's ConversationNotFound fallback reads err.body, which RestError lacks)", async () => {
    fake.failNext('members', { status: 404, code: 'ConversationNotFound' });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await postActivity(server.url, membersAdded({ botAdded: false, members: [{ id: '29:1carol' }], serviceUrl: fake.serviceUrl }));
    expect(res.status).toBe(500);
    expect(fake.calls).toMatchObject([{ kind: 'member', memberId: '29:1carol', failed: true, status: 404 }]);
    expect(consoleError).toHaveBeenCalled();
  });

  it('failNext update, unknown routes 404, waitFor lists what was seen', async () => {
    const reference = TurnContext.getConversationReference(channelMessage({ text: 'x', serviceUrl: fake.serviceUrl }) as never);
    fake.failNext('update', { status: 404, code: 'ActivityNotFound' });
    const err = (await adapter
      .continueConversationAsync(TEAMS_DEFAULTS.botAppId, reference, async (context) => void (await context.updateActivity({ id: '1700000000999', type: 'message', text: 'x' })))
      .catch((e: unknown) => e)) as { statusCode?: number };
    expect(err.statusCode).toBe(404);
    expect(fake.calls[0]).toMatchObject({ kind: 'update', activityId: '1700000000999', failed: true, response: { error: { code: 'ActivityNotFound' } } });

    const res = await fetch(`${fake.serviceUrl}v3/nothing/here`);
    expect(res.status).toBe(404);
    await expect(fake.waitFor((c) => c.kind === 'send', 50)).rejects.toThrow(
      /no matching call within 50 ms; calls seen: PUT \/v3\/conversations\/.* \(update, failed 404\); GET \/v3\/nothing\/here \(unknown, failed 404\)/,
    );
  });

  it('process() needs req.body parsed and an express-like response', async () => {
    const activity = personalMessage({ text: 'hi', serviceUrl: fake.serviceUrl });
    const logic = vi.fn(async () => {});
    // an IncomingMessage-like request without body → 400, logic not run
    const written: { status?: number; body?: unknown } = {};
    const res = {
      socket: null,
      status: (c: number) => void (written.status = c),
      header: () => undefined,
      send: (b: unknown) => void (written.body = b),
      end: () => undefined,
    };
    await adapter.process({ headers: {}, method: 'POST' }, res, logic);
    expect(written).toEqual({ status: 400, body: '`req.body` not an object, make sure you are using middleware to parse incoming requests.' });
    // node's own ServerResponse (no status/send/header) → process() rejects before writing anything
    await expect(adapter.process({ body: activity, headers: {}, method: 'POST' }, {} as never, logic)).rejects.toThrow(/Response/);
    expect(logic).not.toHaveBeenCalled();
  });
});

describe('CloudAdapter with credentials', () => {
  it('answers 401 to an activity without Authorization, without running the handler or calling the connector', async () => {
    const secured = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: '00000000-0000-4000-8000-0000000000aa',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: TEAMS_DEFAULTS.tenantId,
        MicrosoftAppType: 'SingleTenant',
      }),
    );
    const logic = vi.fn(async () => {});
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const securedServer = await serveBot(secured, logic);
    try {
      const res = await postActivity(securedServer.url, channelMessage({ text: 'help', serviceUrl: fake.serviceUrl }));
      expect(res.status).toBe(401);
      expect(res.body).toBe('Unauthorized Access. Request is not authorized');
      expect(logic).not.toHaveBeenCalled();
      expect(fake.calls).toEqual([]);
      // CloudAdapter.process console.error()s the AuthenticationError before answering
      expect(consoleError).toHaveBeenCalledTimes(1);
      const logged = consoleError.mock.calls[0][0] as Error & { statusCode?: number };
      expect(logged.constructor.name).toBe('AuthenticationError');
      expect(logged).toMatchObject({ statusCode: 401, message: 'Unauthorized Access. Request is not authorized' });
    } finally {
      await securedServer.close();
    }
  });
});
