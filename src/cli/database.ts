/** The database as every CLI command opens it: the file of DATABASE_URL, brought up to date first (said on stderr). */
import type { Env } from '../config/env.js';
import { databaseFile } from '../config/env.js';
import type { PrismaClient } from '../db/client.js';
import type { CliIo } from './main.js';
import { UsageError } from './usage-error.js';

export async function openMigratedDb(env: Env, io: Pick<CliIo, 'stderr'>): Promise<PrismaClient> {
  // Loaded here, not at the top, so that other commands and --help start quickly.
  const [{ migrate }, { openDb }] = await Promise.all([import('../db/migrate.js'), import('../db/client.js')]);
  const dbFile = databaseFile(env);
  const applied = await migrate(dbFile);
  if (applied.length) io.stderr.write(`passerelle: migrated ${dbFile} (${applied.join(', ')})\n`);
  return openDb(dbFile);
}

/** Refuses (exit 2) a `--platform` that the platforms file does not list, naming the ones it does. */
export async function checkPlatformOption(env: Env, platform: string | undefined): Promise<void> {
  if (!platform) return;
  const { loadPlatformsFile } = await import('../config/platforms.js');
  const known = loadPlatformsFile(env.PLATFORMS_FILE).map((p) => p.id);
  if (!known.includes(platform)) throw new UsageError([`--platform: there is no platform ${platform} in ${env.PLATFORMS_FILE}`], `Use one of: ${known.join(', ')}.`);
}
