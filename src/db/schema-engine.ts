// Prisma's schema engine (the part of the CLI behind `migrate diff` and `migrate deploy`),
// run from its WebAssembly build so that migrations work offline: Prisma 7's CLI downloads a
// native engine at run time. The engine talks to SQLite through the better-sqlite3 driver
// adapter, and reads and writes the same files and `_prisma_migrations` table as the CLI.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationDirectory, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const NO_FILTER = { externalTables: [], externalEnums: [] };

let loading: Promise<void> | undefined;

/** Instantiates the wasm module once; the JS glue (schema_engine_bg.js) is its import object. */
function loadWasm(): Promise<void> {
  loading ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(glue.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    // The engine's panic hook writes its message here before throwing.
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(this: { message: string }, m: string) { this.message = `RuntimeError: ${m}`; },
    };
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loading;
}

/**
 * The wasm engine sends whole migration scripts through `executeRaw`, which the better-sqlite3
 * adapter prepares as one statement; better-sqlite3 refuses a string holding several (before running
 * any of them). Such scripts go through `executeScript` (better-sqlite3's `exec`) instead.
 */
function acceptScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (err) {
      const severalStatements = err instanceof RangeError && err.message.includes('more than one statement');
      if (!severalStatements || query.args.length > 0) throw err;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/**
 * Runs `work` with an engine connected to the SQLite database at `url` (its shadow database is
 * always an in-memory one), then frees the engine and closes every connection it opened.
 */
async function withEngine<T>(url: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const base = new PrismaBetterSqlite3({ url });
  const opened: SqlDriverAdapter[] = [];
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    const a = acceptScripts(await adapter);
    opened.push(a);
    return a;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => track(base.connect()),
    connectToShadowDb: () => track(base.connectToShadowDb()),
  };
  const log = process.env.DEBUG?.includes('prisma') ? (msg: string) => console.error(msg) : () => {};
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, log, bound);
  try {
    return await work(engine);
  } catch (err) {
    // Driver errors reach the engine as "External error id#N"; put the driver's message back.
    if (err instanceof Error) {
      err.message = err.message.replace(/External error id#(\d+)/g, (text, id: string) => {
        const cause = bound.errorRegistry.consumeError(Number(id))?.error;
        return cause ? `${text}: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}` : text;
      });
    }
    throw err;
  } finally {
    engine.free();
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

/** Reads a prisma/migrations folder the way the Prisma CLI does (folders sorted by name). */
export async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const baseDir = resolve(migrationsDir);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories: MigrationDirectory[] = await Promise.all(
    folders.map(async (name) => {
      const file = join(baseDir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (err: Error) => ({ tag: 'error' as const, value: `${file}: ${err.message}` }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockContent = await readFile(join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * The SQL that takes a database from the state the migrations in `fromMigrationsDir` leave it in
 * (from an empty database when that is null or holds no migration yet) to the schema in
 * `schemaText`. Empty string when there is nothing to do.
 */
export async function diffToSchema(fromMigrationsDir: string | null, schemaText: string): Promise<string> {
  const migrations = fromMigrationsDir === null ? null : await readMigrations(fromMigrationsDir);
  // A folder with no migration yet (and so no migration_lock.toml either) stands for an empty database.
  const from = migrations?.migrationDirectories.length
    ? { tag: 'migrations' as const, ...migrations }
    : { tag: 'empty' as const };
  const to = { tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content: schemaText }] };
  const result = await withEngine(':memory:', (engine) =>
    engine.diff({ from, to, script: true, exitCode: true, filters: NO_FILTER }),
  );
  // With exitCode set, the engine answers 2 when there is a difference and 0 when there is none
  // (the script then only says "-- This is an empty migration.").
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}

/** Applies the migrations of `migrationsDir` not yet recorded in `_prisma_migrations`; returns their names. */
export async function applyMigrations(dbFile: string, migrationsDir: string): Promise<string[]> {
  const migrationsList = await readMigrations(migrationsDir);
  const { appliedMigrationNames } = await withEngine(`file:${resolve(dbFile)}`, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
  );
  return appliedMigrationNames;
}
