/**
 * Self-test of src/playground.ts and the Playwright helpers: a tiny echo bot (no botbuilder) behind the Agents
 * Playground, driven in headless Chromium. Needs Debian's chromium (`apt-get install -y chromium`); fails without it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground.js';
import { launchChromium, openPlayground, sendAndWaitForReply, type Browser } from './playground-helpers.js';

interface Activity {
  type: string;
  id: string;
  text?: string;
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; conversationType: string };
}

/** Answers every message with `echo: <text>`, posted back to the Playground's connector like a real bot does. */
function startEchoBot(received: Activity[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      // The Playground first probes the endpoint with HEAD (any status will do).
      res.writeHead(200).end();
      if (req.method !== 'POST' || req.url !== '/api/messages') return;
      const activity = JSON.parse(body) as Activity;
      received.push(activity);
      if (activity.type !== 'message') return;
      const url = `${activity.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`;
      void fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: `echo: ${activity.text}`, replyToId: activity.id }),
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const received: Activity[] = [];
let bot: Server | undefined;
let playground: Playground | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  bot = await startEchoBot(received);
  const botUrl = `http://localhost:${(bot.address() as AddressInfo).port}`;
  playground = await startPlayground(botUrl, pino({ level: 'warn' }), { port: 0 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await new Promise((resolve) => (bot ? bot.close(resolve) : resolve(undefined)));
}, 30_000);

test('the Agents Playground relays a personal chat message to the bot and shows its reply', async () => {
  browser = await launchChromium(); // in the test, so that a missing Chromium fails it rather than skipping it
  const url = playground!.url;
  expect((await fetch(`${url}/_debug/ping`)).ok, `Agents Playground not running at ${url}`).toBe(true);

  const page = await openPlayground(browser!, url);
  const reply = await sendAndWaitForReply(page, 'hello', 'echo: hello');
  expect(reply.trim()).toBe('echo: hello');

  const message = received.find((a) => a.type === 'message');
  expect(message).toMatchObject({
    text: 'hello',
    channelId: 'msteams',
    serviceUrl: `${url}/_connector`,
    conversation: { conversationType: 'personal' },
  });
}, 60_000);
