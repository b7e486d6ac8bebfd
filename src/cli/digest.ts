/**
 * `passerelle digest --platform INT --week 2026-W48 --format md|html [--out FILE]`: a platform's
 * weekly digest written offline, the same as the one posted in chat (whole, in one document). The
 * week is an ISO week, Monday 00:00 to Monday 00:00 in the platform's time zone, compared with the
 * week before; without --week, the last complete week. It is the channel's copy unless
 * --secretariat (the secretariat's copy, with the observations kept for the secretariat).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import { DIGEST_FORMATS } from '../exports/digest-document.js';
import type { CliIo } from './main.js';
import { openMigratedDb } from './database.js';
import { parseInput, UsageError } from './usage-error.js';

const digestOptions = (languages: readonly string[]) =>
  z
    .object({
      platform: z
        .string({ error: 'is required: the platform whose digest to write, e.g. --platform INT' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2,8}$/, 'must be a platform id: 2 to 8 letters, such as FR or INT'),
      week: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^\d{4}-W\d{2}$/, { error: (issue) => `${JSON.stringify(issue.input)} is not an ISO week: write it as YYYY-Www, e.g. 2026-W48` })
        .optional(),
      format: z
        .enum(DIGEST_FORMATS, { error: (issue) => `must be ${DIGEST_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}` })
        .default('md'),
      out: z.string().trim().min(1, 'must name a file').optional(),
      secretariat: z.boolean().default(false),
      language: z
        .string()
        .trim()
        .toLowerCase()
        .refine((v) => languages.includes(v), { error: (issue) => `must be one of ${languages.join(', ')}, not ${JSON.stringify(issue.input)}` })
        .optional(),
    })
    .strict();

export function registerDigest(program: Command, io: CliIo): void {
  program
    .command('digest')
    .description("a platform's weekly digest as a document (INT: the international digest), as posted in chat")
    .option('--platform <id>', 'the platform (an id of the platforms file, e.g. FR or INT)')
    .option('--week <week>', 'the ISO week, e.g. 2026-W48, Monday to Sunday in the platform\'s time zone (default: the last complete week)')
    .option('--format <format>', `${DIGEST_FORMATS.join(' or ')} (default: md)`)
    .option('--out <file>', 'write the document to this file instead of stdout')
    .option('--secretariat', "the secretariat's copy: with the observations kept for the secretariat")
    .option('--language <lang>', "the document's language, one with a locale file (default: the platform's first language)")
    .action(async (raw: Record<string, unknown>) => {
      const { LANGUAGES, pickLanguage, translator } = await import('../../templates/i18n.js');
      const options = parseInput(digestOptions(LANGUAGES), raw);
      const env = loadEnv(io.env);
      const [{ loadPlatformsConfig }, { PlatformDirectory }, window] = await Promise.all([
        import('../config/platforms.js'),
        import('../core/platforms.js'),
        import('../core/digests/window.js'),
      ]);
      const config = loadPlatformsConfig(env.PLATFORMS_FILE);
      const platforms = new PlatformDirectory(config.platforms, config.secretariat);
      const platform = platforms.get(options.platform);
      if (!platform) {
        throw new UsageError([`--platform: there is no platform ${options.platform} in ${env.PLATFORMS_FILE}`], `Use one of: ${platforms.all.map((p) => p.id).join(', ')}.`);
      }
      const span = options.week ? window.isoWeek(options.week, platform.timezone) : window.lastWeek(new Date(), platform.timezone);
      if (!span) throw new UsageError([`--week: ${options.week} is not a week of its year (an ISO year has 52 or 53 weeks)`]);

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ buildDigest }, { cardLinks }, { digestBlocks, digestTitle }, doc, { writeFile }] = await Promise.all([
        import('../core/digests/build.js'),
        import('../core/digests/links.js'),
        import('../../templates/digest-views.js'),
        import('../exports/digest-document.js'),
        import('node:fs/promises'),
      ]);
      const db = await openMigratedDb(env, io);
      const language = options.language ?? pickLanguage(platform.languages[0]);
      let document: string;
      try {
        const data = await buildDigest({
          db,
          platforms,
          platform,
          audience: options.secretariat ? 'secretariat' : 'channel',
          window: span,
          linkTo: cardLinks({ slackWorkspaceUrl: env.SLACK_WORKSPACE_URL }),
        });
        const t = translator(language);
        const blocks = digestBlocks(t, data, language).flat();
        document = options.format === 'html' ? doc.digestHtml(blocks, { language, title: digestTitle(t, data, language) }) : doc.digestMarkdown(blocks);
      } finally {
        await db.$disconnect();
      }
      if (options.out) await writeFile(options.out, document, 'utf8');
      else if (!io.stdout.write(document)) await once(io.stdout as Writable, 'drain');
    });
}
