import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { diffToSchema } from '../../src/db/schema-engine.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-db-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every migration folder, oldest first. */
const folders = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('migrate', () => {
  // A folder that does not exist yet, to check that migrate creates it.
  const dbFile = join(tmp, 'nested', 'passerelle.db');


  it('applies every migration, oldest first, on a fresh file, then nothing', async () => {
    const first = await migrate(dbFile);
    expect(first).toEqual(folders);
    expect(first[0]).toMatch(/^\d{14}_init$/);
    expect(await migrate(dbFile)).toEqual([]);
  });

  it('leaves the file in WAL mode with the bookkeeping table prisma migrate deploy reads', () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations').all();
      expect(rows).toEqual(folders.map((name) => expect.objectContaining({ migration_name: name, applied_steps_count: 1 })));
      expect((rows[0] as { finished_at: unknown }).finished_at).not.toBeNull();
    } finally {
      db.close();
    }
  });

  it('gives openDb a working store', async () => {
    const prisma = openDb(dbFile);
    try {
      const [pragmas] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(
        "SELECT (SELECT foreign_keys FROM pragma_foreign_keys) AS fk, (SELECT timeout FROM pragma_busy_timeout) AS busy",
      );
      expect(Number(pragmas!.fk)).toBe(1);
      expect(Number(pragmas!.busy)).toBe(5000);

      const member = await prisma.member.create({
        data: { channel: 'slack', workspace: 'T01', externalId: 'U01', displayName: 'Ana' },
      });
      const observation = {
        platformId: 'fr-auto',
        authorId: member.id,
        text: 'Works council consulted before the announcement',
        language: 'en',
        channel: 'slack',
        conversationId: 'C01',
        sourceKey: 'slack:T01:Ev01',
      };
      const created = await prisma.observation.create({
        data: { ...observation, dimensions: { create: [{ dimension: 'workers' }, { dimension: 'company' }] } },
      });

      const read = await prisma.observation.findUniqueOrThrow({
        where: { id: created.id },
        include: { author: true, dimensions: { orderBy: { dimension: 'asc' } } },
      });
      expect(read.author.displayName).toBe('Ana');
      expect(read.confidentiality).toBe('platform');
      expect(read.createdAt).toBeInstanceOf(Date);
      expect(read.dimensions.map((d) => d.dimension)).toEqual(['company', 'workers']);

      // The same chat event captured twice.
      await expect(prisma.observation.create({ data: observation })).rejects.toMatchObject({ code: 'P2002' });

      // foreign_keys=ON: an observation by an unknown member is refused.
      await expect(
        prisma.observation.create({ data: { ...observation, sourceKey: null, authorId: member.id + 1000 } }),
      ).rejects.toMatchObject({ code: 'P2003' });
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('one connection shared by concurrent requests', () => {
  it('keeps a write made while another request\'s transaction is open and then rolled back', async () => {
    const file = join(tmp, 'isolation.db');
    await migrate(file);
    const prisma = openDb(file);
    try {
      let inside!: () => void;
      const opened = new Promise<void>((resolve) => (inside = resolve));
      let keptWritten!: () => void;
      const written = new Promise<void>((resolve) => (keptWritten = resolve));
      const failing = prisma.$transaction(async (tx) => {
        await tx.member.create({ data: { channel: 'slack', workspace: 'T1', externalId: 'rolled-back' } });
        inside();
        // Give the other request every chance to run now (it must wait for this transaction to end).
        await Promise.race([written, new Promise((resolve) => setTimeout(resolve, 200))]);
        throw new Error('the request failed');
      });
      await opened;
      const kept = prisma.member.create({ data: { channel: 'slack', workspace: 'T1', externalId: 'kept' } }).then(keptWritten);
      await expect(failing).rejects.toThrow('the request failed');
      await kept;
      expect((await prisma.member.findMany()).map((m) => m.externalId)).toEqual(['kept']);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('migrate beside a running bot', () => {
  it('returns at once, without locking the file, while a client is writing', async () => {
    const file = join(tmp, 'busy.db');
    expect(await migrate(file)).toHaveLength(folders.length);
    const prisma = openDb(file);
    try {
      const writes = Array.from({ length: 50 }, (_, i) =>
        prisma.member.create({ data: { channel: 'slack', workspace: 'T1', externalId: `U${i}` } }),
      );
      const again = await Promise.all([...Array.from({ length: 6 }, () => migrate(file)), ...writes]);
      expect(again.slice(0, 6)).toEqual(Array.from({ length: 6 }, () => []));
      expect(await prisma.member.count()).toBe(50);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('prisma/migrations', () => {
  it('is in step with prisma/schema.prisma (run `tsx scripts/new-migration.ts <name>` if not)', async () => {
    const schema = readFileSync(fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)), 'utf8');
    expect(await diffToSchema(MIGRATIONS_DIR, schema)).toBe('');
  });
});
