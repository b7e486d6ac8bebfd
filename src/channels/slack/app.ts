/**
 * The Slack channel: a Bolt app whose listeners hand everything to the command bus. Over HTTP
 * it uses Bolt's own HTTPReceiver (signature check, 401 on forged or stale requests) mounted on
 * Passerelle's server at /slack/events; with an app-level token, Socket Mode instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Dispatcher } from '../../bus/dispatcher.js';
import { slackLogger } from '../../log.js';
import { SlackDelivery } from './delivery.js';
import { registerListeners } from './listeners/index.js';
import { MalformedPayload } from './payloads.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackOptions {
  signingSecret: string;
  botToken: string;
  appToken?: string;
  apiUrl?: string;
  dispatcher: Dispatcher;
  log: Logger;
}

export interface SlackChannel {
  app: App;
  /** Serves POST /slack/events; absent in Socket Mode. */
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
  delivery: SlackDelivery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function malformed(error: unknown): MalformedPayload | undefined {
  if (error instanceof MalformedPayload) return error;
  const original = (error as { original?: unknown }).original;
  return original instanceof MalformedPayload ? original : undefined;
}

export function createSlackChannel(options: SlackOptions): SlackChannel {
  const { log } = options;
  const logger = slackLogger(log);
  const clientOptions = { slackApiUrl: options.apiUrl, logger, retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 } };

  const processEventErrorHandler = async ({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const bad = malformed(error);
    if (bad) log.warn({ issues: bad.issues }, bad.message);
    else log.error({ err: error }, 'Slack request failed');
    if (!response.headersSent) {
      response.writeHead(bad ? 400 : 500);
      response.end();
    }
    return false;
  };

  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: SLACK_EVENTS_PATH, logger, processEventErrorHandler });

  const app = new App({
    token: options.botToken,
    signingSecret: options.signingSecret,
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
    logger,
    clientOptions,
    tokenVerificationEnabled: false,
  });
  app.error(async (error) => {
    throw error;
  });
  registerListeners({ app, dispatcher: options.dispatcher, log });

  // The outbox retries on its own terms: this client neither retries nor waits out rate limits.
  const outboxClient = new WebClient(options.botToken, { ...clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

  return {
    app,
    handle: receiver ? (req, res) => receiver.requestListener(req, res) : undefined,
    delivery: new SlackDelivery(outboxClient),
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async () => {
      if (!receiver) await app.stop();
    },
  };
}
