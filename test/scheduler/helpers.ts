import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDb, type PrismaClient } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.js';

/** A clock the test moves by hand. */
export class Clock {
  constructor(public at: Date) {}
  now = () => this.at;
  set(iso: string): void {
    this.at = new Date(iso);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** Log lines as objects, to check what the scheduler said. */
export function captureLog() {
  const lines: Array<Record<string, unknown> & { msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, messages: () => lines.map((l) => l.msg) };
}

/** A migrated SQLite file in a temporary folder; clients opened through it are closed by cleanup(). */
export async function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-scheduler-'));
  const file = join(dir, 'passerelle.db');
  await migrate(file);
  const clients: PrismaClient[] = [];
  return {
    file,
    open(): PrismaClient {
      const db = openDb(file);
      clients.push(db);
      return db;
    },
    async cleanup(): Promise<void> {
      await Promise.all(clients.map((c) => c.$disconnect()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TempDatabase = Awaited<ReturnType<typeof tempDatabase>>;

/** A scheduler on its own client (its own connection, as a second process would have). */
export function schedulerOn(database: TempDatabase, clock: Clock, options: Partial<SchedulerOptions> = {}) {
  const { log, lines, messages } = captureLog();
  const db = database.open();
  const scheduler = new Scheduler({ db, log, now: clock.now, leaseMs: 60_000, ...options });
  return { scheduler, db, lines, messages };
}

/** A job body that counts its runs by due time (ISO), optionally failing or lingering. */
export function recorder(behaviour: { fail?: (call: number) => boolean; delayMs?: number } = {}) {
  const calls: string[] = [];
  const run = async (dueAt: Date) => {
    calls.push(dueAt.toISOString());
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.fail?.(calls.length)) throw new Error(`boom ${calls.length}`);
  };
  return { calls, run };
}
