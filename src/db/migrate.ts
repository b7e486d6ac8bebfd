// Brings a SQLite file up to date with prisma/migrations. Safe to call at every start-up: it
// applies only the migrations not yet recorded in `_prisma_migrations` (the table
// `prisma migrate deploy` keeps), so a second call applies nothing.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { applyMigrations } from './schema-engine.js';

/** prisma/migrations of this checkout, wherever the process was started from. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** The migration folders not yet recorded as finished in the file (all of them for a new file). */
function pending(db: Database.Database, migrationsDir: string): string[] {
  const folders = readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return folders;
  const done = new Set(
    (db.prepare('SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as Array<{ name: string }>).map((r) => r.name),
  );
  return folders.filter((name) => !done.has(name));
}

/**
 * Applies pending migrations to `dbFile` (created if missing); returns the names applied, oldest
 * first. When nothing is pending (every start-up but the first after an upgrade) it only reads
 * the bookkeeping table: the schema engine, which locks the file exclusively, is not started, so
 * the CLI can run beside a running bot.
 */
export async function migrate(dbFile: string, opts: { migrationsDir?: string } = {}): Promise<string[]> {
  const file = resolve(dbFile);
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  let todo: string[];
  try {
    // WAL is a property of the file, so setting it once here holds for every later connection.
    db.pragma('journal_mode = WAL');
    todo = pending(db, migrationsDir);
  } finally {
    db.close();
  }
  return todo.length ? applyMigrations(file, migrationsDir) : [];
}
