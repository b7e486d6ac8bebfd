// The Prisma client over a SQLite file, through the better-sqlite3 driver adapter.
// Run migrate() (./migrate.ts) first: openDb does not create tables.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import type Database from 'better-sqlite3';
import { PrismaClient } from './generated/client.js';

export * from './generated/client.js';

/**
 * Run on every connection the adapter opens. The adapter has no option for pragmas, so they
 * are set right after it connects. journal_mode=WAL persists in the file (migrate() sets it
 * too); busy_timeout and foreign_keys hold per connection.
 */
const PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;';

/** A FIFO lock: `run` waits until every earlier holder is done. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

/**
 * The adapter runs everything on one SQLite connection, and locks only transactions against
 * each other: a query from another request, arriving while a transaction is open, would run
 * inside that transaction and vanish with it if it rolled back. Every use of the connection
 * therefore takes one lock; a transaction holds it from BEGIN to COMMIT or ROLLBACK.
 */
function serialised(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new Lock();
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await lock.acquire();
      try {
        return await fn(...args);
      } finally {
        release();
      }
    };
  const startTransaction = adapter.startTransaction.bind(adapter);
  return Object.assign(adapter, {
    queryRaw: locked(adapter.queryRaw.bind(adapter)),
    executeRaw: locked(adapter.executeRaw.bind(adapter)),
    executeScript: locked(adapter.executeScript.bind(adapter)),
    async startTransaction(...args: Parameters<SqlDriverAdapter['startTransaction']>): Promise<Transaction> {
      const release = await lock.acquire();
      try {
        const tx = await startTransaction(...args);
        const end = (fn: () => Promise<void>) => async () => {
          try {
            await fn();
          } finally {
            release();
          }
        };
        return Object.assign(tx, { commit: end(tx.commit.bind(tx)), rollback: end(tx.rollback.bind(tx)) });
      } catch (error) {
        release();
        throw error;
      }
    },
  });
}

/**
 * The adapter prepares every statement anew each time it runs one; Prisma sends the same few
 * statement texts again and again, so they are prepared once and kept. The adapter binds
 * parameters with `prepare(sql).bind(args)` and a statement can be bound only once, so the
 * cache hands out a light object that passes the arguments at run time instead.
 */
function cachingStatements(client: Database.Database, max = 500): void {
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, Database.Statement>();
  client.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
    }
    const statement = stmt;
    const bound = (args: unknown[]) => ({
      reader: statement.reader,
      run: () => statement.run(args),
      columns: () => statement.columns(),
      raw: () => ({ all: () => statement.raw(true).all(args) }),
    });
    return { ...bound([]), bind: bound };
  }) as unknown as Database.Database['prepare'];
}

class SqliteAdapter extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(PRAGMAS);
    cachingStatements((adapter as unknown as { client: Database.Database }).client);
    return serialised(adapter);
  }
}

/** A client on the SQLite file `dbFile` (a path, not a file: URL). Call `$disconnect()` when done. */
export function openDb(dbFile: string): PrismaClient {
  return new PrismaClient({ adapter: new SqliteAdapter({ url: dbFile }) });
}
