/**
 * Drive the Microsoft 365 Agents Playground page (src/playground.ts) in headless Debian Chromium with playwright-core.
 *
 * Page facts (Playground 0.2.28, no data-testid anywhere; these selectors are the stable ones):
 * - message box: the Lexical editor `[data-lexical-editor="true"][role="textbox"]`; Enter sends. In a channel the first
 *   box is "Start a new post" (Enter posts too), each thread has its own reply box after it.
 * - conversations: `[role="treeitem"][aria-label="Personal Chat" | "Group Chat" | "My Team - General" | "My Team - Announcements"]`
 * - a bot message, in chats and channels alike: the element after the bot's avatar,
 *   `div:has(> div > [role="img"][aria-label="<bot name>"]) > :nth-child(2)`; in chats it is `.fai-OutputCard`,
 *   an Adaptive Card inside it is `.ac-adaptiveCard`, its buttons are role=button named by their title.
 * - @mention: type `@`, pick `[role="menuitem"]` named after the bot (group chats and channels only reach the bot so).
 * - log panel (right): "Connected." once the Playground reached the bot.
 * The bot's text also shows in the chat list preview and the log panel: never match a reply with page-wide getByText.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The bot's name in the Playground's built-in configuration. */
export const PLAYGROUND_BOT_NAME = 'Test Bot';

export type Conversation = 'Personal Chat' | 'Group Chat' | 'My Team - General' | 'My Team - Announcements';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a new empty profile; requests leaving the machine are aborted (the page asks a CDN for fonts). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing (${CHROMIUM_PATH}): install it with \`apt-get install -y chromium\``);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'passerelle-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    await context.route(
      (url) => !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname),
      (route) => route.abort(),
    );
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Opens the Playground and waits until it has reached the bot (it waits up to 15 s for the bot's endpoint). */
export async function openPlayground(
  browser: Browser,
  url: string,
  opts: { conversation?: Conversation; timeoutMs?: number } = {},
): Promise<Page> {
  const timeout = opts.timeoutMs ?? 30_000;
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(timeout);
  await page.goto(url, { waitUntil: 'load' });
  await messageBox(page).waitFor();
  try {
    await page.getByText('Connected.', { exact: true }).first().waitFor();
  } catch {
    throw new Error(`The Playground at ${url} did not connect to the bot within ${timeout} ms (${await failureShot(page)})`);
  }
  if (opts.conversation) await openConversation(page, opts.conversation);
  return page;
}

export async function openConversation(page: Page, name: Conversation): Promise<void> {
  await page.locator(`[role="treeitem"][aria-label="${name}"]`).click();
  await messageBox(page).waitFor();
}

/** The chat's message box, or a channel's "Start a new post" box. */
export function messageBox(page: Page): Locator {
  return page.locator('[data-lexical-editor="true"][role="textbox"]').first();
}

/** Types `text` and presses Enter; `mention` (e.g. the bot's name) is picked from the @ menu first. */
export async function sendMessage(page: Page, text: string, opts: { mention?: string } = {}): Promise<void> {
  await messageBox(page).click();
  if (opts.mention) {
    await page.keyboard.type(`@${opts.mention.slice(0, 4)}`);
    await page.getByRole('menuitem', { name: opts.mention }).click();
    await page.keyboard.type(' ');
  }
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The bot's messages (text or cards) in the open conversation, oldest first. */
export function botMessages(page: Page, botName = PLAYGROUND_BOT_NAME): Locator {
  return page.locator(`div:has(> div > [role="img"][aria-label="${botName}"]) > :nth-child(2)`);
}

export async function lastBotMessageText(page: Page, botName = PLAYGROUND_BOT_NAME): Promise<string> {
  const texts = await botMessages(page, botName).allInnerTexts();
  return texts.at(-1) ?? '';
}

/** Waits for a bot message (after the first `after` ones) whose text contains `contains`; returns its text. */
export async function waitForBotReply(
  page: Page,
  contains: string | RegExp,
  opts: { after?: number; timeoutMs?: number; botName?: string } = {},
): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const matches = (t: string) => (typeof contains === 'string' ? t.includes(contains) : contains.test(t));
  for (;;) {
    const texts = await botMessages(page, opts.botName).allInnerTexts();
    const hit = texts.slice(opts.after ?? 0).find(matches);
    if (hit !== undefined) return hit;
    if (Date.now() > deadline) {
      throw new Error(
        `No bot message containing ${String(contains)}; last bot messages: ${JSON.stringify(texts.slice(-3))} (${await failureShot(page)})`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** Sends `text` and waits for a new bot message containing `contains`. */
export async function sendAndWaitForReply(
  page: Page,
  text: string,
  contains: string | RegExp,
  opts: { mention?: string; timeoutMs?: number; botName?: string } = {},
): Promise<string> {
  const after = await botMessages(page, opts.botName).count();
  await sendMessage(page, text, opts);
  return waitForBotReply(page, contains, { ...opts, after });
}

/** A button (Action.Execute / Action.Submit title) of the bot's last card. */
export function cardButton(page: Page, title: string, botName = PLAYGROUND_BOT_NAME): Locator {
  return botMessages(page, botName).last().getByRole('button', { name: title });
}

async function failureShot(page: Page): Promise<string> {
  const path = join(tmpdir(), `playground-failure-${Date.now()}.png`);
  try {
    await page.screenshot({ path });
    return `screenshot ${path}`;
  } catch {
    return 'no screenshot';
  }
}
