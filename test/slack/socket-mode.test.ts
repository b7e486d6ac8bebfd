import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { EnvSchema } from '../../src/config/env.js';
import { startPasserelle, type Passerelle } from '../../src/passerelle.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { slashCommand } from '../support/slack-requests.js';
import { textOf } from '../support/harness.js';

/** Slack's Socket Mode side: hands out a WebSocket URL, says hello, sends envelopes, collects acks. */
describe('Slack over Socket Mode (SLACK_APP_TOKEN set)', () => {
  let fake: FakeSlack;
  let wss: WebSocketServer;
  let app: Passerelle;
  let dir: string;
  const acks: Array<{ envelope_id: string; payload?: Record<string, unknown> }> = [];
  let socket: Promise<WebSocket>;

  beforeEach(async () => {
    fake = await startFakeSlack();
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    fake.respondWith('apps.connections.open', () => ({ ok: true, url: wsUrl }));
    socket = new Promise((resolve) =>
      wss.on('connection', (ws) => {
        ws.on('message', (data) => acks.push(JSON.parse(String(data))));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0PASSERELLE' } }));
        resolve(ws);
      }),
    );
    dir = mkdtempSync(path.join(tmpdir(), 'passerelle-socket-'));
    const env = EnvSchema.parse({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${path.join(dir, 'p.db')}`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: fake.apiUrl,
      OUTBOX_INTERVAL_MS: '20',
    });
    app = await startPasserelle(env, pino({ level: 'silent' }), { outboxPacingMs: 0 });
  });

  afterEach(async () => {
    await app.stop();
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the app-level token and files an observation sent as a slash command envelope', async () => {
    const ws = await socket;
    expect(fake.callsTo('apps.connections.open')[0].token).toBe('xapp-test');
    const { payload } = slashCommand({ text: 'observe Socket mode works #company', responseUrl: fake.responseUrl('s'), channelId: 'C01UNITEDK' });
    ws.send(JSON.stringify({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload }));

    await expect.poll(() => acks.find((a) => a.envelope_id === 'env-1'), { timeout: 3000 }).toBeDefined();
    const ack = acks.find((a) => a.envelope_id === 'env-1')!;
    expect(textOf(ack.payload)).toContain('Observation #1 filed (Company).');
    expect(await app.db.observation.count()).toBe(1);
    const post = await fake.waitFor('chat.postMessage');
    expect(textOf(post.body.blocks)).toContain('Socket mode works');
    // No HTTP endpoint for Slack in Socket Mode.
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
