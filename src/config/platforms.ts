import fs from 'node:fs';
import { z } from 'zod';
import { COUNTRIES, LANGUAGE_PATTERN, normaliseCountry } from '../core/vocabulary.js';
import { CronSchedule, ScheduleError } from '../scheduler/cron.js';
import { isTimeZone } from '../util/time-zones.js';
import { formatIssues } from '../util/zod-issues.js';
import { ConfigError } from './env.js';

const channelList = (pattern: RegExp, example: string) =>
  z
    .object({
      channels: z.array(z.string().regex(pattern, `must be a channel id such as ${example}`)).default([]),
    })
    .strict()
    .default({ channels: [] });

/** The weekly digest's default time: Monday 09:00 in the platform's time zone. */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

/**
 * When the platform's digest is posted: `{ "cron": "0 9 * * 1" }` (the default, Monday 09:00 in the
 * platform's time zone), or `false` for none. The expression is checked against the platform's
 * zone below, where the platform's id is known.
 */
const DigestSetting = z.union([
  z.literal(false),
  z.object({ cron: z.string().trim().min(1, 'must not be empty').default(DEFAULT_DIGEST_CRON) }).strict(),
], { error: 'must be false or an object such as { "cron": "0 9 * * 1" }' });
export type DigestSetting = z.infer<typeof DigestSetting>;

export const PlatformSchema = z
  .object({
    id: z.string().regex(/^[A-Z]{2,8}$/, 'must be 2 to 8 capital letters, such as FR or INT'),
    name: z.string().trim().min(1, 'must not be empty'),
    country: z
      .string()
      .transform(normaliseCountry)
      .pipe(z.enum(COUNTRIES, { message: `must be one of ${COUNTRIES.join(', ')}` }))
      .optional(),
    international: z.boolean().default(false),
    languages: z
      .array(z.string().regex(LANGUAGE_PATTERN, 'must be a two-letter language code such as fr'))
      .min(1, 'must list at least one language'),
    timezone: z.string().superRefine((zone, ctx) => {
      if (!isTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${zone}" (use an IANA name such as Europe/Paris)` });
    }),
    slack: channelList(/^[CG][A-Z0-9]{4,}$/, 'C01FRANCE'),
    teams: channelList(/^\S+$/, '19:abc…@thread.tacv2 (a channel) or a chat id'),
    /** The weekly digest's schedule (see DigestSetting); absent: Monday 09:00. */
    digest: DigestSetting.optional(),
    /**
     * A demonstration platform (the Agents Playground's DEMO): its data stays out of every other
     * platform's digest, and its own digest covers it alone.
     */
    demo: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.international || p.country, {
    message: 'a national platform needs a country (or set "international": true)',
    path: ['country'],
  })
  .superRefine((p, ctx) => {
    if (!p.digest || !isTimeZone(p.timezone)) return;
    try {
      new CronSchedule(p.digest.cron, p.timezone);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['digest', 'cron'], message: `platform ${p.id}'s digest: ${error.message} (five fields, e.g. "0 9 * * 1" for Monday 09:00)` });
    }
  });

export type Platform = z.infer<typeof PlatformSchema>;

/**
 * The secretariat: the people who coordinate the platforms. They may open a vote on any clause and
 * see any vote's participation (never an anonymous vote's choices). Listed by chat user id:
 * Slack user ids (U…) and Teams AAD object ids.
 */
export const SecretariatSchema = z
  .object({
    slack: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD')).default([]),
    teams: z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a Teams user's AAD object id (a GUID)")).default([]),
  })
  .strict()
  .default({ slack: [], teams: [] });
export type Secretariat = z.infer<typeof SecretariatSchema>;

export const PlatformsFileSchema = z
  .object({ platforms: z.array(PlatformSchema).min(1, 'must list at least one platform'), secretariat: SecretariatSchema })
  .strict()
  .superRefine(({ platforms }, ctx) => {
    const seenIds = new Map<string, number>();
    const seenChannels = new Map<string, string>();
    platforms.forEach((p, i) => {
      if (seenIds.has(p.id)) {
        ctx.addIssue({ code: 'custom', path: ['platforms', i, 'id'], message: `"${p.id}" is already the id of platforms[${seenIds.get(p.id)}]` });
      }
      seenIds.set(p.id, i);
      for (const [kind, list] of [['slack', p.slack.channels], ['teams', p.teams.channels]] as const) {
        list.forEach((channel, j) => {
          const owner = seenChannels.get(`${kind}:${channel}`);
          if (owner) {
            ctx.addIssue({ code: 'custom', path: ['platforms', i, kind, 'channels', j], message: `channel ${channel} is already bound to platform ${owner}` });
          }
          seenChannels.set(`${kind}:${channel}`, p.id);
        });
      }
    });
  });

export type PlatformsFile = z.infer<typeof PlatformsFileSchema>;

/** Reads and validates the platforms file; every problem is reported with its path in the file. */
export function loadPlatformsFile(file: string): Platform[] {
  return loadPlatformsConfig(file).platforms;
}

/** The platforms and the secretariat, from the platforms file. */
export function loadPlatformsConfig(file: string): PlatformsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(`Cannot read the platforms file ${file} (PLATFORMS_FILE):`, [reason]);
  }
  const parsed = PlatformsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid platforms file ${file}:`, formatIssues(parsed.error));
  return parsed.data;
}
