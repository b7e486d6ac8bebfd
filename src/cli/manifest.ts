/** `passerelle manifest slack`: prints the Slack app manifest generated from commands/. */
import type { Command } from 'commander';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { CliIo } from './main.js';
import { parseInput, UsageError } from './usage-error.js';

/** The https base URL where Slack reaches the bot; `/slack/events` is added to it. */
const PublicUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https$/, error: (issue) => `must be an https URL such as https://passerelle.example.org, not ${JSON.stringify(issue.input)}` }))
  .refine((url) => !/[?#]/.test(url), 'must not have a query or a fragment')
  .transform((url) => url.replace(/\/+$/, ''))
  .refine((url) => !url.endsWith('/slack/events'), 'give the base URL, without /slack/events (it is added for you)');

const SlackManifestOptions = z.object({ url: PublicUrl.optional() }).strict();

export function registerManifest(program: Command, io: CliIo): void {
  const manifest = program.command('manifest').description('print the app manifest of a chat platform');

  manifest
    .command('slack')
    .description('the Slack app manifest (JSON), to paste at api.slack.com/apps → Create New App → From a manifest')
    .option('--url <url>', 'the public https URL of the bot (default: PUBLIC_URL)')
    .action(async (raw: unknown) => {
      const options = parseInput(SlackManifestOptions, raw);
      let url = options.url;
      if (url === undefined) {
        const fromEnv = loadEnv(io.env).PUBLIC_URL;
        if (fromEnv === undefined) {
          throw new UsageError(['no public URL: Slack needs to know where to reach the bot'], 'Pass --url https://… or set PUBLIC_URL.');
        }
        url = parseInput(z.object({ PUBLIC_URL: PublicUrl }), { PUBLIC_URL: fromEnv }, 'Fix PUBLIC_URL or pass --url https://….').PUBLIC_URL;
      }
      // Loaded here, not above: it brings in every command and Bolt.
      const { slackManifest } = await import('../manifests/slack.js');
      io.stdout.write(`${JSON.stringify(slackManifest(url), null, 2)}\n`);
    });
}
