/**
 * `passerelle backup FILE` while the database is being written by another connection: the copy is a
 * readable database with every row committed before the backup, and bad input exits 2 writing nothing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/members.js';
import { openDb, type PrismaClient } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { passerelle } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-backup-'));
const dbFile = join(tmp, 'live.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
let db: PrismaClient;

beforeAll(async () => {
  await migrate(dbFile);
  db = openDb(dbFile);
  for (let i = 0; i < 200; i++) await identify(db, { channel: 'slack', workspace: 'T1', externalId: `U${i}`, displayName: `Member ${i}` });
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(tmp, { recursive: true, force: true });
});

describe('passerelle backup', () => {
  it('copies the database while another connection keeps writing; the copy opens and holds the committed rows', async () => {
    const target = join(tmp, 'copy.db');
    let writing = true;
    const writer = (async () => {
      for (let i = 200; writing && i < 20_000; i++) {
        await identify(db, { channel: 'slack', workspace: 'T1', externalId: `U${i}`, displayName: `Member ${i}` });
        // The driver answers synchronously: let the child process's events in between writes.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await passerelle(['backup', target], vars);
    writing = false;
    await writer;
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^backed up .*live\.db to .*copy\.db \(\d+ KiB, \d+ tables, integrity ok\)\n$/);

    const copy = openDb(target);
    try {
      const members = await copy.member.count();
      expect(members).toBeGreaterThanOrEqual(200);
      expect(members).toBeLessThanOrEqual(await db.member.count());
      expect(await copy.member.findFirst({ where: { externalId: 'U199' } })).toMatchObject({ displayName: 'Member 199' });
    } finally {
      await copy.$disconnect();
    }
    expect(existsSync(`${target}.partial`)).toBe(false);
  });

  it('refuses to overwrite a file without --force, and replaces it with --force', async () => {
    const target = join(tmp, 'taken.db');
    writeFileSync(target, 'not a database');
    const refused = await passerelle(['backup', target], vars);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('taken.db exists');
    expect(refused.stderr).toContain('--force');
    const forced = await passerelle(['backup', target, '--force'], vars);
    expect(forced).toMatchObject({ code: 0, stderr: '' });
  });

  it('exits 2 without writing for a missing folder or a missing database', async () => {
    const inMissing = await passerelle(['backup', join(tmp, 'nowhere', 'copy.db')], vars);
    expect(inMissing.code).toBe(2);
    expect(inMissing.stderr).toContain('does not exist');
    const noDb = await passerelle(['backup', join(tmp, 'other.db')], { DATABASE_URL: `file:${join(tmp, 'absent.db')}` });
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('there is no database');
    expect(existsSync(join(tmp, 'other.db'))).toBe(false);
  });
});
