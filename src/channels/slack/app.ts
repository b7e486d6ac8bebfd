/**
 * The Slack channel: a Bolt app whose listeners hand everything to the command bus. Over HTTP
 * it uses a receiver built from Bolt's HTTP functions (signature check, payload check) mounted on
 * Passerelle's server at /slack/events (./receiver.ts); with an app-level token, Socket Mode.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type AuthorizeResult } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Dispatcher } from '../../bus/dispatcher.js';
import { slackLogger } from '../../log.js';
import { SlackDelivery } from './delivery.js';
import { registerListeners } from './listeners/index.js';
import { SlackHttpReceiver } from './receiver.js';

export { SLACK_EVENTS_PATH } from './routes.js';

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

export function createSlackChannel(options: SlackOptions): SlackChannel {
  const { log } = options;
  const logger = slackLogger(log);
  const clientOptions = { slackApiUrl: options.apiUrl, logger, retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 } };

  const receiver = options.appToken ? undefined : new SlackHttpReceiver(options.signingSecret, log, logger);

  // Bolt, given a token, asks Slack's auth.test who the bot is on every request; asked once, Slack's
  // answer holds for the life of the token.
  const identity = new WebClient(options.botToken, clientOptions);
  let who: Promise<AuthorizeResult> | undefined;
  const authorize = () =>
    (who ??= identity.auth.test().then(
      (r) => ({ botToken: options.botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (error) => {
        who = undefined;
        throw error;
      },
    ));

  const app = new App({
    authorize,
    convoStore: false,
    signingSecret: options.signingSecret,
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
    logger,
    clientOptions,
  });
  app.error(async (error) => {
    throw error;
  });
  registerListeners({ app, dispatcher: options.dispatcher, log });

  // The outbox retries on its own terms: this client neither retries nor waits out rate limits. A call
  // that hangs gives up well within the outbox's 60 s lease (conversations.open, history, post), so
  // that the retry — which looks in the history first — is never run beside it by another process.
  const outboxClient = new WebClient(options.botToken, { ...clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 15_000 });

  return {
    app,
    handle: receiver?.requestListener,
    delivery: new SlackDelivery(outboxClient),
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async () => {
      if (!receiver) await app.stop();
    },
  };
}
