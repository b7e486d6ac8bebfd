/**
 * `passerelle manifest slack`: prints the Slack app manifest generated from commands/.
 * `passerelle manifest teams`: writes the Teams app package (manifest.json and icons, zipped) generated from commands/.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { CliIo } from './main.js';
import { parseInput, UsageError } from './usage-error.js';

/** The https base URL of the bot, without a trailing slash. */
const HttpsUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https$/, error: (issue) => `must be an https URL such as https://passerelle.example.org, not ${JSON.stringify(issue.input)}` }))
  .refine((url) => !/[?#]/.test(url), 'must not have a query or a fragment')
  .transform((url) => url.replace(/\/+$/, ''));

/** The https base URL where Slack reaches the bot; `/slack/events` is added to it. */
const PublicUrl = HttpsUrl.refine((url) => !url.endsWith('/slack/events'), 'give the base URL, without /slack/events (it is added for you)');

/** The Microsoft App ID of the bot's Azure Bot registration, which is also the id of the Teams app. */
const AppId = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, {
    error: (issue) => `must be a GUID such as 00000000-0000-0000-0000-000000000000, not ${JSON.stringify(issue.input)}`,
  });

const SlackManifestOptions = z.object({ url: PublicUrl.optional() }).strict();

const TeamsManifestOptions = z
  .object({
    // Checked by microsoftAppId(), with the hint that names both ways of giving it.
    appId: z.string().optional(),
    url: HttpsUrl.optional(),
    out: z.string().trim().min(1, 'must be the path of the zip to write, such as passerelle-teams.zip').default('passerelle-teams.zip'),
  })
  .strict();

/** --url, else PUBLIC_URL checked with `schema`; a usage error when neither is given. */
function publicUrl(given: string | undefined, schema: z.ZodType<string>, io: CliIo, platform: string): string {
  if (given !== undefined) return given;
  const fromEnv = loadEnv(io.env).PUBLIC_URL;
  if (fromEnv === undefined) {
    throw new UsageError([`no public URL: ${platform} needs to know where to reach the bot`], 'Pass --url https://… or set PUBLIC_URL.');
  }
  return parseInput(z.object({ PUBLIC_URL: schema }), { PUBLIC_URL: fromEnv }, 'Fix PUBLIC_URL or pass --url https://….').PUBLIC_URL;
}

/** --app-id, else MICROSOFT_APP_ID (blank counts as not set, as in a copied .env.example). */
function microsoftAppId(given: string | undefined, io: CliIo): string {
  const hint = "Pass --app-id <guid> or set MICROSOFT_APP_ID: the Microsoft App ID of the bot's Azure Bot registration.";
  if (given !== undefined) return parseInput(z.object({ appId: AppId }), { appId: given }, hint).appId;
  const fromEnv = io.env.MICROSOFT_APP_ID?.trim();
  if (!fromEnv) throw new UsageError(['no Microsoft app id: the Teams app and its bot are identified by it'], hint);
  return parseInput(z.object({ MICROSOFT_APP_ID: AppId }), { MICROSOFT_APP_ID: fromEnv }, hint).MICROSOFT_APP_ID;
}

export function registerManifest(program: Command, io: CliIo): void {
  const manifest = program.command('manifest').description('the app manifest of a chat platform');

  manifest
    .command('slack')
    .description('the Slack app manifest (JSON), to paste at api.slack.com/apps → Create New App → From a manifest')
    .option('--url <url>', 'the public https URL of the bot (default: PUBLIC_URL)')
    .action(async (raw: unknown) => {
      const options = parseInput(SlackManifestOptions, raw);
      const url = publicUrl(options.url, PublicUrl, io, 'Slack');
      // Loaded here, not above: it brings in every command and Bolt.
      const { slackManifest } = await import('../manifests/slack.js');
      io.stdout.write(`${JSON.stringify(slackManifest(url), null, 2)}\n`);
    });

  manifest
    .command('teams')
    .description('writes the Teams app package (manifest.json, color.png, outline.png), to upload in Teams → Apps → Manage your apps')
    .option('--app-id <guid>', 'the Microsoft App ID of the bot (default: MICROSOFT_APP_ID)')
    .option('--url <url>', 'the public https URL of the bot (default: PUBLIC_URL)')
    .option('--out <file>', 'where to write the zip', 'passerelle-teams.zip')
    .action(async (raw: unknown) => {
      const options = parseInput(TeamsManifestOptions, raw);
      const appId = microsoftAppId(options.appId, io);
      const url = publicUrl(options.url, HttpsUrl, io, 'Teams');
      const { teamsAppPackage } = await import('../manifests/teams.js');
      const zip = await teamsAppPackage({ appId, publicUrl: url });
      const out = path.resolve(options.out);
      try {
        await writeFile(out, zip);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
          throw new UsageError([`--out: cannot write ${out} (${code})`], 'Give a file in a directory that exists and that you can write to.');
        }
        throw error;
      }
      io.stdout.write(`${out}\n`);
    });
}
