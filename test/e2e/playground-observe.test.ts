/**
 * End to end, as a new user tries Passerelle: the real bot, the Microsoft 365 Agents Playground
 * pointed at it, and headless Chromium typing in the Playground's Teams-like page.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground.js';
import { passerelle } from '../cli/run-cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { cardButton, launchChromium, openPlayground, sendAndWaitForReply, waitForBotReply, type Browser } from './playground-helpers.js';

let h: Harness | undefined;
let playground: Playground | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  h = await startHarness();
  // The Playground's personal chat, bound to the DEMO platform of the shipped platforms file.
  playground = await startPlayground(h.app.url, pino({ level: 'warn' }), { port: 0, conversationId: 'passerelle-demo-chat' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await h?.stop();
}, 30_000);

test('observe … #workers in the Playground: the confirmation card comes back, the card is posted, and the export has it', async () => {
  browser = await launchChromium();
  const page = await openPlayground(browser, playground!.url, { conversation: 'Personal Chat' });

  const confirmation = await sendAndWaitForReply(page, 'observe Works council negotiated a training plan before the closure #workers', 'Observation #1 filed');
  expect(confirmation).toContain('Observation #1 filed (Workers).');
  const card = await waitForBotReply(page, 'Works council negotiated a training plan before the closure');
  expect(card).toContain('Alex Wilber');
  expect(await cardButton(page, 'Withdraw').count()).toBeGreaterThan(0);

  const exported = await passerelle(['export', 'observations', '--format', 'json'], { DATABASE_URL: `file:${h!.app.dbFile}` });
  expect(exported.code).toBe(0);
  expect(JSON.parse(exported.stdout)).toEqual([
    expect.objectContaining({ platform: 'DEMO', text: 'Works council negotiated a training plan before the closure', dimensions: ['workers'] }),
  ]);
}, 90_000);
