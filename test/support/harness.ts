/**
 * Starts the real Passerelle (HTTP server, Bolt app, Prisma on a fresh SQLite file, outbox)
 * against a local fake of Slack's Web API, and sends it correctly signed Slack requests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { EnvSchema } from '../../src/config/env.js';
import { startPasserelle, type Passerelle } from '../../src/passerelle.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import {
  appMention,
  radioValue,
  selectValue,
  textValue,
  blockAction,
  eventCallback,
  messageShortcut,
  sendSigned,
  slashCommand,
  viewSubmission,
  type SlackRequest,
  type StateValues,
} from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret';

/** The Teams channel the test platforms file binds to the Swedish platform (SE). */
export const TEAMS_SE_CHANNEL = '19:abc@thread.tacv2';

/** The Slack user the test platforms file names as the secretariat. */
export const SECRETARIAT_SLACK_USER = 'U0SECRETARIAT';

/**
 * The shipped platforms file, with a Teams channel bound to SE for the Teams tests, and a secretariat.
 * Weekly digests are off unless `digests` (a test moving the clock over a Monday 09:00 would
 * otherwise see them run); the digest tests turn them on.
 */
function testPlatformsFile(dir: string, digests = false): string {
  const shipped = JSON.parse(readFileSync('config/platforms.json', 'utf8')) as { platforms: Array<{ id: string; teams?: { channels: string[] }; digest?: unknown }>; secretariat?: unknown };
  for (const p of shipped.platforms) if (p.id === 'SE') p.teams = { channels: [TEAMS_SE_CHANNEL] };
  if (!digests) for (const p of shipped.platforms) p.digest = false;
  shipped.secretariat = { slack: [SECRETARIAT_SLACK_USER], teams: [] };
  const file = path.join(dir, 'platforms.json');
  writeFileSync(file, JSON.stringify(shipped));
  return file;
}

export interface Harness {
  app: Passerelle;
  fake: FakeSlack;
  logs: Array<Record<string, unknown>>;
  send(req: Pick<SlackRequest, 'body' | 'contentType'>, opts?: { retryNum?: number; badSignature?: boolean; timestamp?: number }): Promise<Response>;
  slash(text: string, o?: { userId?: string; userName?: string; channelId?: string; triggerId?: string }): Promise<SlackAnswer>;
  submit(callbackId: string, state: object, values: StateValues, o?: { userId?: string }): Promise<SlackAnswer>;
  click(actionId: string, value: string, o?: { userId?: string; channelId?: string; responseId?: string; triggerId?: string }): Promise<Response>;
  mention(text: string, o?: { userId?: string; channelId?: string; ts?: string; eventId?: string; retryNum?: number }): Promise<Response>;
  shortcut(message: { ts: string; text: string; user: string }, o?: { userId?: string; channelId?: string }): Promise<Response>;
  /** Moves the scheduler's clock forward (then `app.scheduler.runDue()` runs what fell due). */
  advanceClock(ms: number): void;
  /** Stops Passerelle and starts it again on the same database (a new HTTP port: requests follow it). */
  restart(): Promise<void>;
  /**
   * The process dies and is started again on the same database: the old Passerelle is abandoned
   * where it stands — its timers stopped, its HTTP server closed, its database client disconnected,
   * nothing awaited (a job or a chat call in progress never finishes) — and a new one is started.
   */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** What Slack got back in the HTTP response: status and the JSON body, if any. */
export interface SlackAnswer {
  status: number;
  body: Record<string, any> | undefined;
  /** All the text of the answer's blocks, for assertions on what the member reads. */
  text: string;
}

/** Every piece of text in a Block Kit structure, joined by new lines. */
export function textOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'value' || k === 'initial_value') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return out.join('\n');
}

async function answer(res: Response): Promise<SlackAnswer> {
  const raw = await res.text();
  const body = raw ? (JSON.parse(raw) as Record<string, any>) : undefined;
  return { status: res.status, body, text: textOf(body) };
}

export interface HarnessOptions {
  /** The outbox's pacing per conversation (default 0: no pacing, for fast tests). */
  outboxPacingMs?: number;
  /**
   * A fake Slack to share, e.g. with a second Passerelle on the same database (pass its
   * `DATABASE_URL` in the overrides); it is left open by stop().
   */
  fake?: FakeSlack;
  /** Schedule the weekly digests (off by default: see testPlatformsFile). */
  digests?: boolean;
}

export async function startHarness(overrides: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? (await startFakeSlack());
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-test-'));
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const env = EnvSchema.parse({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${path.join(dir, 'passerelle.db')}`,
    PLATFORMS_FILE: testPlatformsFile(dir, options.digests),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.apiUrl,
    OUTBOX_INTERVAL_MS: '20',
    ...overrides,
  });
  let clockOffset = 0;
  const start = () =>
    startPasserelle(env, pino({ level: 'debug' }, sink), { outboxPacingMs: options.outboxPacingMs ?? 0, now: () => new Date(Date.now() + clockOffset) });
  let app = await start();
  const send: Harness['send'] = (req, opts = {}) => sendSigned(app.url, '/slack/events', req, { secret: SIGNING_SECRET, ...opts });

  return {
    get app() {
      return app;
    },
    fake,
    logs,
    send,
    slash: async (text, o = {}) => answer(await send(slashCommand({ text, responseUrl: fake.responseUrl('slash'), ...o }))),
    submit: async (callbackId, state, values, o = {}) =>
      answer(await send(viewSubmission({ callbackId, privateMetadata: JSON.stringify(state), values, ...o }))),
    click: (actionId, value, o = {}) =>
      send(blockAction({ actionId, value, responseUrl: fake.responseUrl(o.responseId ?? 'click'), userId: o.userId, channelId: o.channelId, triggerId: o.triggerId })),
    mention: (text, o = {}) =>
      send(eventCallback({ event: appMention({ text, userId: o.userId, channelId: o.channelId, ts: o.ts }), eventId: o.eventId }), {
        retryNum: o.retryNum,
      }),
    shortcut: (message, o = {}) =>
      send(messageShortcut({ callbackId: 'observation.capture', message, responseUrl: fake.responseUrl('shortcut'), ...o })),
    async restart() {
      await app.stop();
      app = await start();
    },
    async crash() {
      const dead = app;
      // stop() clears the timers at once; what they wait for never comes (and must not fail the test).
      void dead.scheduler.stop().catch(() => undefined);
      void dead.outbox.stop().catch(() => undefined);
      dead.server.close();
      dead.server.closeAllConnections?.();
      await dead.db.$disconnect();
      app = await start();
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
    async stop() {
      await app.stop();
      if (!options.fake) await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates case `ref` through the real case form, as a member would. */
export async function createCase(h: Harness, ref: string, userId = 'U1'): Promise<void> {
  const answer = await h.submit(
    'case.form',
    { conv: 'C01FRANCE' },
    {
      ref: { ref: textValue(ref) },
      company: { company: textValue('ACME Tyres') },
      anonymised: { anonymised: radioValue('no') },
      country: { country: selectValue('FR') },
      type: { type: selectValue('closure') },
      nutsRegion: { nutsRegion: textValue('FRE1') },
    },
    { userId },
  );
  if (answer.body?.response_action !== 'clear') throw new Error(`case ${ref} not created: ${JSON.stringify(answer.body)}`);
}

