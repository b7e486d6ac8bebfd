/**
 * `passerelle backup FILE`: a consistent copy of the database while the bot runs, with SQLite's
 * `VACUUM INTO`: one read transaction, so the copy is one point in time, and in WAL mode the bot keeps
 * writing meanwhile. (The page-by-page backup API restarts whenever another connection writes, so
 * it may never finish under a busy bot; VACUUM INTO does not.) The copy is checked
 * (`PRAGMA integrity_check`) before the command says it is done. Restore: stop the bot, put the copy in place of the database file
 * (and remove its `-wal` and `-shm` files), start the bot.
 */
import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { databaseFile, loadEnv } from '../config/env.js';
import type { CliIo } from './main.js';
import { parseInput, UsageError } from './usage-error.js';

const BackupOptions = z.object({ force: z.boolean().optional() }).strict();
const Target = z.string().trim().min(1, 'name the file to write, e.g. backups/passerelle-2026-11-23.db');

export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('write a consistent copy of the database (safe while the bot runs)')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'replace the file if it exists')
    .action(async (file: unknown, options: unknown) => {
      const target = path.resolve(parseInput(Target, file));
      const { force } = parseInput(BackupOptions, options);
      const env = loadEnv(io.env);
      const source = databaseFile(env);
      if (!existsSync(source)) throw new UsageError([`there is no database at ${source}`], 'check DATABASE_URL, or start the bot once to create it');
      if (existsSync(target) && !force) throw new UsageError([`${target} exists`], 'choose another file, or add --force to replace it');
      if (!existsSync(path.dirname(target))) throw new UsageError([`the folder ${path.dirname(target)} does not exist`], 'create it first');
      if (path.resolve(source) === target) throw new UsageError(['the copy cannot be the database itself']);

      const { default: Database } = await import('better-sqlite3');
      // Written next to the target, then moved into place: a failed backup leaves no half file.
      const partial = `${target}.partial`;
      await rm(partial, { force: true });
      const db = new Database(source, { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        db.prepare('VACUUM INTO ?').run(partial);
      } finally {
        db.close();
      }
      const copy = new Database(partial, { readonly: true });
      let check: string;
      let tables: number;
      try {
        check = String(copy.pragma('integrity_check', { simple: true }));
        tables = Number(copy.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get());
      } finally {
        copy.close();
      }
      if (check !== 'ok') {
        await rm(partial, { force: true });
        throw new Error(`the copy failed its integrity check: ${check}`);
      }
      await rename(partial, target);
      const { size } = await stat(target);
      io.stdout.write(`backed up ${source} to ${target} (${(size / 1024).toFixed(0)} KiB, ${tables} tables, integrity ok)\n`);
    });
}
