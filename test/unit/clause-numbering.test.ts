/** Clause numbers: the reference format, and numbers allocated per (code, stage) without gaps or twins under concurrency. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClauseInput, createClause } from '../../src/core/clauses/clauses.js';
import { clauseRef, ClauseRef, stageIndex } from '../../src/core/clauses/numbering.js';
import { openDb, type PrismaClient } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

describe('clause references', () => {
  it('numbers stages 1 to 4 and writes <CODE>-<stage>.<n>', () => {
    expect(['anticipation', 'preparation', 'implementation', 'follow-up'].map((s) => stageIndex(s as never))).toEqual([1, 2, 3, 4]);
    expect(clauseRef({ code: 'FR', stage: 'preparation', number: 3 })).toBe('FR-2.3');
    expect(clauseRef({ code: 'INT', stage: 'follow-up', number: 12 })).toBe('INT-4.12');
  });

  it('reads references in any case, and refuses malformed ones with a sentence key', () => {
    expect(ClauseRef.parse(' fr-2.3 ')).toEqual({ ref: 'FR-2.3', code: 'FR', stage: 'preparation', number: 3 });
    expect(ClauseRef.parse('INT-1.10')).toMatchObject({ code: 'INT', stage: 'anticipation', number: 10 });
    for (const bad of ['FR-5.1', 'FR-2', 'FR-2.0', 'FR2.3', '-2.3', 'FR-2.3.1', 'FR-2.x']) {
      const parsed = ClauseRef.safeParse(bad);
      expect(parsed.success, bad).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('errors.clauseRefFormat');
    }
  });
});

describe('clause numbers in the database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-clauses-'));
  let db: PrismaClient;
  beforeAll(async () => {
    const file = join(dir, 'p.db');
    await migrate(file);
    db = openDb(file);
  });
  afterAll(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allocates 1, 2, 3… per code and stage, once each, even when clauses are created at the same time', async () => {
    const author = await db.member.create({ data: { channel: 'slack', workspace: 'T1', externalId: 'U1' } });
    const input = (stage: string) => ClauseInput.parse({ stage, title: 'T', text: 'Text' });
    const made = await Promise.all([
      ...Array.from({ length: 12 }, () => createClause(db, { platformId: 'FR', author, input: input('preparation') })),
      ...Array.from({ length: 5 }, () => createClause(db, { platformId: 'FR', author, input: input('anticipation') })),
      ...Array.from({ length: 3 }, () => createClause(db, { platformId: 'BE', author, input: input('preparation') })),
    ]);
    const refs = made.map(clauseRef);
    expect(new Set(refs).size).toBe(20);
    const numbers = (prefix: string) => refs.filter((r) => r.startsWith(prefix)).map((r) => Number(r.split('.')[1])).sort((a, b) => a - b);
    expect(numbers('FR-2.')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(numbers('FR-1.')).toEqual([1, 2, 3, 4, 5]);
    expect(numbers('BE-2.')).toEqual([1, 2, 3]);
    expect(await db.clauseVersion.count()).toBe(20);
  });

  it('writes nothing when a link is refused: no clause, no version, no number used', async () => {
    const author = await db.member.findFirstOrThrow();
    const before = await db.clause.count();
    await expect(createClause(db, { platformId: 'SE', author, input: ClauseInput.parse({ stage: 'implementation', title: 'T', text: 'X', caseRefs: ['NOPE-1'] }) })).rejects.toMatchObject({
      key: 'errors.unknownCases',
    });
    expect(await db.clause.count()).toBe(before);
    const next = await createClause(db, { platformId: 'SE', author, input: ClauseInput.parse({ stage: 'implementation', title: 'T', text: 'X' }) });
    expect(clauseRef(next)).toBe('SE-3.1');
  });
});
