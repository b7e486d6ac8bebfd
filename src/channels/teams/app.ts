/**
 * The Teams channel: botbuilder's CloudAdapter at POST /api/messages, mounted on Passerelle's
 * server. With MICROSOFT_APP_ID/PASSWORD/TENANT_ID set, only authenticated Bot Framework
 * requests get through (401 otherwise); without them there is no authentication, so the
 * endpoint answers loopback callers only (the Agents Playground, local tests).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Logger } from 'pino';
import { translator } from '../../../templates/i18n.js';
import type { Dispatcher } from '../../bus/dispatcher.js';
import type { PrismaClient } from '../../db/client.js';
import { TeamsBot } from './bot.js';
import { ConversationBook } from './conversations.js';
import { TeamsDelivery } from './delivery.js';
import { Activity, MalformedActivity, parse } from './payloads.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';
const MAX_BODY = 1024 * 1024;

export interface TeamsOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  dispatcher: Dispatcher;
  db: PrismaClient;
  log: Logger;
}

export interface TeamsChannel {
  handle(req: IncomingMessage, res: ServerResponse): void;
  delivery: TeamsDelivery;
  authenticated: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new MalformedActivity([`body over ${MAX_BODY} bytes`]);
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body;
  } catch (error) {
    throw new MalformedActivity([`body is not a JSON object (${(error as Error).message})`]);
  }
}

/** The express-like response botbuilder writes to, over node's own. */
function responseFor(res: ServerResponse) {
  let status = 200;
  const response = {
    socket: res.socket,
    status(code: number) {
      status = code;
      return response;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return response;
    },
    send(body?: unknown) {
      if (res.headersSent) return response;
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      if (body !== undefined && typeof body !== 'string') res.setHeader('content-type', 'application/json');
      res.writeHead(status);
      res.write(text);
      return response;
    },
    end() {
      if (!res.headersSent) res.writeHead(status);
      res.end();
      return response;
    },
  };
  return response;
}

export function createTeamsChannel(options: TeamsOptions): TeamsChannel {
  const { log } = options;
  const authenticated = !!(options.appId && options.appPassword);
  const auth = new ConfigurationBotFrameworkAuthentication(
    authenticated
      ? { MicrosoftAppId: options.appId, MicrosoftAppPassword: options.appPassword, MicrosoftAppTenantId: options.tenantId, MicrosoftAppType: options.tenantId ? 'SingleTenant' : 'MultiTenant' }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  const book = new ConversationBook(options.db);
  const bot = new TeamsBot(options.dispatcher, book, log, options.db);

  adapter.onTurnError = async (context, error) => {
    if (error instanceof MalformedActivity) {
      log.warn({ issues: error.issues, activity: context.activity?.type }, error.message);
      if (context.activity?.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 400, body: { error: error.message } } });
      return;
    }
    log.error({ err: error, activity: context.activity?.type }, 'Teams turn failed');
    if (context.activity?.type === 'message') await context.sendActivity(translator(context.activity.locale?.slice(0, 2) ?? 'en', 'teams')('errors.internal'));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!authenticated && !LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      log.warn({ from: req.socket.remoteAddress }, 'Teams request refused: no Bot Framework credentials, so only loopback callers are served');
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readJson(req);
      parse(Activity, body);
      await adapter.process({ body, headers: req.headers as Record<string, string>, method: req.method }, responseFor(res), (context) => bot.onTurn(context));
    } catch (error) {
      if (error instanceof MalformedActivity) {
        log.warn({ issues: error.issues }, error.message);
        if (!res.headersSent) res.writeHead(400).end();
        return;
      }
      log.error({ err: error }, 'Teams request failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  };

  return {
    handle: (req, res) => void handle(req, res),
    delivery: new TeamsDelivery(adapter, options.appId ?? '', book),
    authenticated,
  };
}
