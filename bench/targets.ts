/**
 * The two apps measured: a bare Bolt app that only acknowledges `/passerelle`, and the real
 * Passerelle (startPasserelle: its HTTP server, Bolt app, SQLite in WAL mode, outbox worker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import pino from 'pino';
import { EnvSchema } from '../src/config/env.js';
import { startPasserelle, type Passerelle } from '../src/passerelle.js';

export const SIGNING_SECRET = 'bench-signing-secret';
export const EVENTS_PATH = '/slack/events';
const PLATFORMS_FILE = fileURLToPath(new URL('../config/platforms.json', import.meta.url));

export interface Running {
  url: string;
  stop(): Promise<void>;
}

/**
 * Bolt's own HTTPReceiver and one listener that acks with nothing, configured as a bare app is
 * written: Bolt checks the token with auth.test once, at start-up (as Passerelle does, once).
 */
export async function startBareBolt(slackApiUrl: string): Promise<Running> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: [EVENTS_PATH], logLevel: LogLevel.ERROR });
  const app = new App({
    token: 'xoxb-bench',
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl },
  });
  app.command('/passerelle', async ({ ack }) => ack());
  // App#start hands its arguments to HTTPReceiver#start, which resolves with the node:http server.
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${EVENTS_PATH}`,
    stop: async () => {
      await app.stop();
    },
  };
}

export interface RunningPasserelle extends Running {
  app: Passerelle;
  dbFile: string;
  outboxIntervalMs: number;
}

/**
 * The real thing on a fresh SQLite file, logging nothing. The outbox keeps the production interval
 * (OUTBOX_INTERVAL_MS default, 500 ms) but no per-channel pacing (`outboxPacingMs: 0`): with
 * Slack's one message a second per channel, thousands of cards could not be drained within a bench.
 */
export async function startPasserelleUnderTest(slackApiUrl: string): Promise<RunningPasserelle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-'));
  const dbFile = path.join(dir, 'passerelle.db');
  const env = EnvSchema.parse({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${dbFile}`,
    PLATFORMS_FILE,
    LOG_LEVEL: 'silent',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: slackApiUrl,
  });
  const app = await startPasserelle(env, pino({ level: env.LOG_LEVEL }), { outboxPacingMs: 0 });
  return {
    app,
    dbFile,
    outboxIntervalMs: env.OUTBOX_INTERVAL_MS,
    url: `${app.url}${EVENTS_PATH}`,
    async stop() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
