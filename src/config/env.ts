import path from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../util/zod-issues.js';

const optionalSecret = z.string().trim().optional();

/** Every variable Passerelle reads; `.env.example` describes each one. */
export const EnvSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number such as 3978')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number such as 3978'))
    .default(3978),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('file:./data/passerelle.db')
    .refine((v) => v.startsWith('file:'), 'must be a SQLite file URL such as file:./data/passerelle.db'),
  PLATFORMS_FILE: z.string().default('config/platforms.json'),
  PUBLIC_URL: z.url({ message: 'must be the https URL where Slack reaches this bot' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_BOT_TOKEN: optionalSecret.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'must be a bot token starting with xoxb-',
  }),
  SLACK_APP_TOKEN: optionalSecret.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'must be an app-level token starting with xapp- (Socket Mode)',
  }),
  SLACK_API_URL: z.url().optional(),
  SLACK_WORKSPACE_URL: z.url({ message: 'must be your Slack workspace\'s address, such as https://mire.slack.com', protocol: /^https?$/ }).optional(),
  MICROSOFT_APP_ID: z.guid({ message: 'must be the bot\'s Microsoft app id (a GUID)' }).optional(),
  MICROSOFT_APP_PASSWORD: optionalSecret,
  MICROSOFT_APP_TENANT_ID: z.guid({ message: 'must be your Microsoft Entra tenant id (a GUID)' }).optional(),
  PLAYGROUND: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  OUTBOX_INTERVAL_MS: z
    .string()
    .regex(/^\d+$/, 'must be a number of milliseconds such as 500')
    .transform(Number)
    .pipe(z.number().min(10, 'must be at least 10'))
    .default(500),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(`${message}\n  ${problems.join('\n  ')}`);
  }
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // A variable left blank (as in a copied .env.example) counts as not set.
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) throw new ConfigError('Invalid environment:', formatIssues(parsed.error));
  return parsed.data;
}

/** The SQLite file named by DATABASE_URL, resolved against the working directory. */
export function databaseFile(env: Pick<Env, 'DATABASE_URL'>): string {
  return path.resolve(env.DATABASE_URL.slice('file:'.length));
}
