/**
 * Writes framework entries read from a file, in batches, each batch in one transaction: an entry
 * whose (source, sourceKey) is new is created, one already stored is updated if the file says
 * something else about it and left alone otherwise. Nothing is ever deleted, and a row that is left
 * out (./eurofound.ts says why) changes nothing stored.
 */
import type { FrameworkEntry, PrismaClient } from '../../db/client.js';
import type { FrameworkInput, ReadRow, RowProblem } from './eurofound.js';

export interface SkippedRow extends RowProblem {
  row: number;
}

export interface ImportReport {
  /** Rows read (the header not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: SkippedRow[];
}

export interface ImportOptions {
  /** Entries written per transaction. */
  batchSize?: number;
  /** Called after each batch is written, with the report so far. */
  onBatch?: (report: Readonly<ImportReport>) => void;
}

type Stored = Pick<FrameworkEntry, 'id' | 'sourceKey' | 'country' | 'kind' | 'nameOriginal' | 'nameEnglish' | 'description' | 'phase' | 'category' | 'actors' | 'thresholds' | 'sourceUrl'>;

/** Whether the stored entry already says what the file says. */
function same(stored: Stored, entry: FrameworkInput): boolean {
  return (
    stored.country === entry.country &&
    stored.kind === entry.kind &&
    stored.nameOriginal === entry.nameOriginal &&
    stored.nameEnglish === entry.nameEnglish &&
    stored.description === entry.description &&
    stored.phase === entry.phase &&
    stored.category === entry.category &&
    stored.thresholds === entry.thresholds &&
    stored.sourceUrl === entry.sourceUrl &&
    JSON.stringify(stored.actors) === JSON.stringify(entry.actors)
  );
}

const contents = (e: FrameworkInput) => ({
  country: e.country,
  kind: e.kind,
  nameOriginal: e.nameOriginal,
  nameEnglish: e.nameEnglish,
  description: e.description,
  phase: e.phase,
  category: e.category,
  actors: e.actors as unknown as object,
  thresholds: e.thresholds,
  sourceUrl: e.sourceUrl,
});

/** The columns an import inserts, in the order of insertValues. */
const INSERT_COLUMNS = ['source', 'sourceKey', 'country', 'kind', 'nameOriginal', 'nameEnglish', 'description', 'phase', 'category', 'actors', 'thresholds', 'sourceUrl', 'importedAt', 'updatedAt'] as const;
/** Rows per INSERT statement: 14 values each, well under SQLite's 32,766 variables. */
const ROWS_PER_INSERT = 50;
const insertSql = (rows: number) =>
  `INSERT INTO "FrameworkEntry" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${INSERT_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;

/**
 * The values of a new entry as Prisma stores them in SQLite: JSON as text, instants as ISO 8601
 * text with `+00:00`. New entries are written with a multi-row INSERT rather than createMany,
 * which costs about three times as much per row of these sizes (bench/frameworks-import.ts); reads
 * and updates go through Prisma as usual, and the tests read the inserted entries back through it.
 */
function insertValues(source: string, e: FrameworkInput, now: string): unknown[] {
  return [source, e.sourceKey, e.country, e.kind, e.nameOriginal, e.nameEnglish, e.description, e.phase, e.category, JSON.stringify(e.actors), e.thresholds, e.sourceUrl, now, now];
}

/** Writes one batch (entries of one source, distinct keys) in one transaction. */
async function writeBatch(db: PrismaClient, source: string, batch: FrameworkInput[], report: ImportReport): Promise<void> {
  const counts = await db.$transaction(
    async (tx) => {
      const stored = await tx.frameworkEntry.findMany({
        where: { source, sourceKey: { in: batch.map((e) => e.sourceKey) } },
        select: { id: true, sourceKey: true, country: true, kind: true, nameOriginal: true, nameEnglish: true, description: true, phase: true, category: true, actors: true, thresholds: true, sourceUrl: true },
      });
      const byKey = new Map(stored.map((s) => [s.sourceKey, s]));
      const created: FrameworkInput[] = [];
      let updated = 0;
      let unchanged = 0;
      for (const entry of batch) {
        const old = byKey.get(entry.sourceKey);
        if (!old) created.push(entry);
        else if (same(old, entry)) unchanged += 1;
        else {
          await tx.frameworkEntry.update({ where: { id: old.id }, data: contents(entry) });
          updated += 1;
        }
      }
      const now = new Date().toISOString().replace('Z', '+00:00');
      for (let i = 0; i < created.length; i += ROWS_PER_INSERT) {
        const rows = created.slice(i, i + ROWS_PER_INSERT);
        await tx.$executeRawUnsafe(insertSql(rows.length), ...rows.flatMap((e) => insertValues(source, e, now)));
      }
      return { created: created.length, updated, unchanged };
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
  report.created += counts.created;
  report.updated += counts.updated;
  report.unchanged += counts.unchanged;
}

/**
 * Imports the rows of one source. A row whose key a previous row of the same file already had is
 * left out (the file lists one thing twice); the rows left out are in the report with their reason.
 */
export async function importFrameworks(db: PrismaClient, source: string, rows: AsyncIterable<ReadRow>, options: ImportOptions = {}): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 500;
  const report: ImportReport = { rows: 0, created: 0, updated: 0, unchanged: 0, skipped: [] };
  /** sourceKey → the row that had it first. */
  const seen = new Map<string, number>();
  let batch: FrameworkInput[] = [];
  const flush = async () => {
    if (batch.length) await writeBatch(db, source, batch, report);
    batch = [];
    options.onBatch?.(report);
  };
  for await (const read of rows) {
    report.rows += 1;
    if ('problem' in read) {
      report.skipped.push({ row: read.row, ...read.problem });
      continue;
    }
    const first = seen.get(read.entry.sourceKey);
    if (first !== undefined) {
      report.skipped.push({ row: read.row, reason: `the same entry as row ${first} (same country, names${source === 'eurofound-legislation' ? ' and type' : ''})` });
      continue;
    }
    seen.set(read.entry.sourceKey, read.row);
    batch.push(read.entry);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}
