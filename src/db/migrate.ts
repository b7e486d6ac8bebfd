// Brings a SQLite file up to date with prisma/migrations. Safe to call at every start-up: it
// applies only the migrations not yet recorded in `_prisma_migrations` (the table
// `prisma migrate deploy` keeps), so a second call applies nothing.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { applyMigrations } from './schema-engine.js';

/** prisma/migrations of this checkout, wherever the process was started from. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** Applies pending migrations to `dbFile` (created if missing); returns the names applied, oldest first. */
export async function migrate(dbFile: string, opts: { migrationsDir?: string } = {}): Promise<string[]> {
  const file = resolve(dbFile);
  mkdirSync(dirname(file), { recursive: true });
  // WAL is a property of the file, so setting it once here holds for every later connection.
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return applyMigrations(file, opts.migrationsDir ?? MIGRATIONS_DIR);
}
