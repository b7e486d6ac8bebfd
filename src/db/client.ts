// The Prisma client over a SQLite file, through the better-sqlite3 driver adapter.
// Run migrate() (./migrate.ts) first: openDb does not create tables.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.js';

export * from './generated/client.js';

/**
 * Run on every connection the adapter opens. The adapter has no option for pragmas, so they
 * are set right after it connects. journal_mode=WAL persists in the file (migrate() sets it
 * too); busy_timeout and foreign_keys hold per connection.
 */
const PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;';

class SqliteAdapter extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(PRAGMAS);
    return adapter;
  }
}

/** A client on the SQLite file `dbFile` (a path, not a file: URL). Call `$disconnect()` when done. */
export function openDb(dbFile: string): PrismaClient {
  return new PrismaClient({ adapter: new SqliteAdapter({ url: dbFile }) });
}
