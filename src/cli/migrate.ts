/** `passerelle migrate`: brings the database named by DATABASE_URL up to date with prisma/migrations. */
import type { Command } from 'commander';
import { z } from 'zod';
import { databaseFile, loadEnv } from '../config/env.js';
import type { CliIo } from './main.js';
import { parseInput } from './usage-error.js';

const MigrateOptions = z.object({}).strict();

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('apply the pending migrations to the database of DATABASE_URL (created if missing)')
    .action(async (options: unknown) => {
      parseInput(MigrateOptions, options);
      const env = loadEnv(io.env);
      const { migrate } = await import('../db/migrate.js');
      const applied = await migrate(databaseFile(env));
      io.stdout.write(applied.length ? `${applied.join('\n')}\n` : 'database up to date\n');
    });
}
