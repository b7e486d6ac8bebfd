/**
 * Import of 50,000 framework rows (issue 6): rows per second and peak memory of
 * `passerelle import frameworks` (src/core/frameworks/: streamed reading, HTML and mojibake
 * cleaning, batches of 500 in one transaction each through the Prisma client: the stored entries of
 * the batch's keys read back and compared, new ones inserted 50 a statement, changed ones updated),
 * against baselines measured in the same run on the same files:
 *
 * - parse only: the file read line by line and split by csv-parse, nothing else;
 * - read + clean: the rows made into entries (HTML to text, mojibake, vocabularies), nothing written;
 * - raw inserts: the same entries written with better-sqlite3 directly (one prepared INSERT,
 *   transactions of 500), no Prisma and no check of what is stored;
 * - the import into an empty database (every row created), then the same files again (every row
 *   unchanged: read back and compared, nothing written).
 *
 * The rows are made from the Eurofound samples of test/fixtures/eurofound/ (half legislation, half
 * support instruments, each name numbered so that every row is a new entry). Each phase runs in its
 * own process, so that its peak memory (maxRSS) is its own; a full GC every 5,000 rows gives the
 * live heap, which stays flat when the file is streamed rather than loaded whole. Prints only; `npx tsx bench/frameworks-import.ts`;
 * BENCH_FRAMEWORK_ROWS=10000 for a shorter run.
 */
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { FrameworkInput as Entry } from '../src/core/frameworks/eurofound.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/eurofound/', import.meta.url));
const FILES = [
  { format: 'eurofound-legislation', sample: 'regulations-sample.csv', out: 'legislation.csv' },
  { format: 'eurofound-instruments', sample: 'instruments-sample.csv', out: 'instruments.csv' },
] as const;
const PHASES = ['parse', 'clean', 'raw', 'import', 'reimport'] as const;
type Phase = (typeof PHASES)[number];

interface PhaseResult {
  phase: Phase;
  rows: number;
  ms: number;
  maxRssMb: number;
  peakHeapMb: number;
  /** The largest heap left after a full GC, taken every CHECKPOINT rows: what the phase really holds. */
  liveHeapMb: number;
  note?: string;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** Writes `rows` rows of one format made from its sample, each name numbered. */
function generate(dir: string, sample: string, out: string, rows: number): string {
  const [header, ...lines] = readFileSync(join(FIXTURES, sample), 'utf8').replace(/\n$/, '').split('\n');
  const file = join(dir, out);
  const chunks: string[] = [header!];
  for (let i = 0; i < rows; i++) {
    const fields = lines[i % lines.length]!.slice(1, -1).split('"~"');
    fields[0] = `${fields[0]} (${i + 1})`;
    fields[1] = `${fields[1]} (${i + 1})`;
    chunks.push(`"${fields.join('"~"')}"`);
    if (chunks.length >= 1000) {
      writeFileSync(file, `${chunks.join('\n')}\n`, { flag: i < 1000 ? 'w' : 'a' });
      chunks.length = 0;
    }
  }
  writeFileSync(file, chunks.length ? `${chunks.join('\n')}\n` : '', { flag: 'a' });
  return file;
}

// ------------------------------------------------------------------------------------------ one phase (child)

/** Rows between two full GCs that measure the live heap. */
const CHECKPOINT = 5_000;

async function runPhase(phase: Phase, dir: string): Promise<PhaseResult> {
  let peakHeap = 0;
  let liveHeap = 0;
  let nextCheckpoint = CHECKPOINT;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const timer = setInterval(sample, 20);
  /** After every CHECKPOINT rows: a full GC, and what is left. */
  const checkpoint = (done: number) => {
    if (done < nextCheckpoint) return;
    nextCheckpoint += CHECKPOINT;
    sample();
    (globalThis as { gc?: () => void }).gc?.();
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
  };
  const { readEurofound } = await import('../src/core/frameworks/eurofound.js');
  const dbFile = join(dir, phase === 'raw' ? 'raw.db' : 'import.db');
  let rows = 0;
  let note: string | undefined;
  const start = performance.now();

  if (phase === 'parse') {
    const { parse } = await import('csv-parse/sync');
    for (const f of FILES) {
      const lines = createInterface({ input: createReadStream(join(dir, f.out)), crlfDelay: Infinity });
      let first = true;
      for await (const line of lines) {
        if (first) {
          first = false;
          continue;
        }
        parse(line, { delimiter: '~', relax_quotes: false, relax_column_count: true });
        checkpoint(++rows);
      }
    }
  } else if (phase === 'clean') {
    for (const f of FILES) for await (const r of readEurofound(createReadStream(join(dir, f.out)), f.format)) if ('entry' in r) checkpoint(++rows);
  } else if (phase === 'raw') {
    const { migrate } = await import('../src/db/migrate.js');
    await migrate(dbFile);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(dbFile);
    db.pragma('journal_mode = WAL');
    const insert = db.prepare(
      `INSERT INTO FrameworkEntry (source, sourceKey, country, kind, nameOriginal, nameEnglish, description, phase, category, actors, thresholds, sourceUrl, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = db.transaction((batch: Entry[]) => {
      const now = Date.now();
      for (const e of batch) {
        insert.run(e.source, e.sourceKey, e.country, e.kind, e.nameOriginal, e.nameEnglish, e.description, e.phase, e.category, JSON.stringify(e.actors), e.thresholds, e.sourceUrl, now);
      }
    });
    for (const f of FILES) {
      let batch: Entry[] = [];
      for await (const r of readEurofound(createReadStream(join(dir, f.out)), f.format)) {
        if (!('entry' in r)) continue;
        batch.push(r.entry);
        checkpoint(++rows);
        if (batch.length === 500) {
          write(batch);
          batch = [];
        }
      }
      write(batch);
    }
    db.close();
  } else {
    const [{ migrate }, { openDb }, { importFrameworks }] = await Promise.all([import('../src/db/migrate.js'), import('../src/db/client.js'), import('../src/core/frameworks/import.js')]);
    await migrate(dbFile);
    const db = openDb(dbFile);
    const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
    for (const f of FILES) {
      const before = rows;
      const report = await importFrameworks(db, f.format, readEurofound(createReadStream(join(dir, f.out)), f.format), { onBatch: (r) => checkpoint(before + r.rows) });
      rows += report.rows;
      counts.created += report.created;
      counts.updated += report.updated;
      counts.unchanged += report.unchanged;
      counts.skipped += report.skipped.length;
    }
    await db.$disconnect();
    note = `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, skipped ${counts.skipped}`;
  }
  const ms = performance.now() - start;
  clearInterval(timer);
  sample();
  return { phase, rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: mb(peakHeap), liveHeapMb: mb(liveHeap), note };
}

function inChild(phase: Phase, dir: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--phase', phase, dir], { execArgv: ['--expose-gc', '--import', import.meta.resolve('tsx')] });
    let result: PhaseResult | undefined;
    child.on('message', (m) => (result = m as PhaseResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`phase ${phase} exited with ${code}`))));
  });
}

// ------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_FRAMEWORK_ROWS ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-frameworks-'));
  try {
    const perFile = [Math.ceil(total / 2), Math.floor(total / 2)];
    let bytes = 0;
    FILES.forEach((f, i) => {
      bytes += statSync(generate(dir, f.sample, f.out, perFile[i]!)).size;
    });
    console.log(`frameworks import: ${total.toLocaleString('en')} rows (${perFile[0]!.toLocaleString('en')} legislation, ${perFile[1]!.toLocaleString('en')} support instruments), ${mb(bytes).toFixed(1)} MB of CSV, made from test/fixtures/eurofound`);

    const results = new Map<Phase, PhaseResult>();
    for (const phase of PHASES) results.set(phase, await inChild(phase, dir));

    const label: Record<Phase, string> = {
      parse: 'parse only (readline + csv-parse)',
      clean: 'read + clean (HTML, mojibake, vocabularies)',
      raw: 'read + clean + raw better-sqlite3 inserts',
      import: 'passerelle import, empty database',
      reimport: 'passerelle import, same files again',
    };
    console.log(`  ${'phase'.padEnd(46)}${'rows/s'.padStart(10)}${'time, s'.padStart(10)}${'peak RSS, MB'.padStart(14)}${'peak heap, MB'.padStart(15)}${'live heap, MB'.padStart(15)}`);
    for (const r of results.values()) {
      const rate = (r.rows / r.ms) * 1000;
      console.log(`  ${label[r.phase].padEnd(46)}${Math.round(rate).toLocaleString('en').padStart(10)}${(r.ms / 1000).toFixed(1).padStart(10)}${r.maxRssMb.toFixed(0).padStart(14)}${r.peakHeapMb.toFixed(0).padStart(15)}${r.liveHeapMb.toFixed(0).padStart(15)}${r.note ? `   (${r.note})` : ''}`);
    }
    const rate = (p: Phase) => results.get(p)!.rows / results.get(p)!.ms;
    const pct = (a: Phase, b: Phase) => `${((rate(a) / rate(b)) * 100).toFixed(1)} %`;
    console.log(`  import / parse only: ${pct('import', 'parse')} · import / read + clean: ${pct('import', 'clean')} · import / raw inserts: ${pct('import', 'raw')} · re-import / raw inserts: ${pct('reimport', 'raw')}`);
    const imported = results.get('import')!;
    console.log(
      `  streamed: ${mb(bytes).toFixed(0)} MB of CSV imported with a live heap of at most ${imported.liveHeapMb.toFixed(0)} MB (after a full GC every ${CHECKPOINT.toLocaleString('en')} rows) ` +
        `and a peak RSS of ${imported.maxRssMb.toFixed(0)} MB, ${(imported.maxRssMb - results.get('raw')!.maxRssMb).toFixed(0)} MB more than the raw inserts (Prisma's client, and the garbage of its batches before V8 collects it: peak against live heap); database ${mb(statSync(join(dir, 'import.db')).size).toFixed(0)} MB`,
    );
    console.log(`  load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (figures vary with what else runs)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const phaseArg = process.argv.indexOf('--phase');
if (phaseArg > 0) {
  const result = await runPhase(process.argv[phaseArg + 1] as Phase, process.argv[phaseArg + 2]!);
  process.send!(result, () => process.exit(0));
} else {
  await main();
}
