/**
 * `passerelle import frameworks FILE --format eurofound-legislation|eurofound-instruments`: the
 * national frameworks inventory from the CSV exports of Eurofound's European Restructuring Monitor,
 * read as a stream and written in batches. A progress bar on stderr when it is a terminal; then a
 * report on stdout: rows read, created, updated, unchanged, and each row left out with its reason.
 * Importing the same file again creates nothing: each entry is known by a hash of its country and
 * names (and type, for legislation, whose rows describe one law per type).
 *
 * Exit codes: 0 the file was read (rows left out are in the report), 1 failed, 2 wrong input (an
 * option, a missing file, a header that is not the format's: nothing was written).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import { EUROFOUND_FORMATS } from '../core/frameworks/eurofound.js';
import type { ImportReport } from '../core/frameworks/import.js';
import type { CliIo } from './main.js';
import { openMigratedDb } from './database.js';
import { parseInput, UsageError } from './usage-error.js';

const ImportOptions = z
  .object({
    file: z.string().trim().min(1, 'must name a file'),
    format: z.enum(EUROFOUND_FORMATS, {
      error: (issue) => (issue.input === undefined ? `is required: ${EUROFOUND_FORMATS.join(' or ')}` : `must be ${EUROFOUND_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}`),
    }),
    batchSize: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();

const n = (x: number) => x.toLocaleString('en');

/** The report: one line of counts, then the rows left out, one a line. */
export function importReportText(file: string, format: string, r: ImportReport): string {
  const lines = [
    `${file} (${format}): ${n(r.rows)} rows read — created ${n(r.created)}, updated ${n(r.updated)}, unchanged ${n(r.unchanged)}, skipped ${n(r.skipped.length)}`,
  ];
  if (r.skipped.length) {
    lines.push('Skipped rows (row numbers count from 1 after the header; the line number is one more):');
    for (const s of r.skipped) lines.push(`  row ${s.row}${s.field ? `, field ${s.field}` : ''}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerImport(program: Command, io: CliIo): void {
  const importCommand = program.command('import').description('read data into the database from a file');

  importCommand
    .command('frameworks')
    .description("the national frameworks inventory from a CSV export of Eurofound's European Restructuring Monitor (legislation or support instruments); importing a file again updates, never duplicates")
    .argument('<file>', 'the CSV export (~-separated, as Eurofound exports it)')
    .option('--format <format>', EUROFOUND_FORMATS.join(' or '))
    .option('--batch-size <n>', 'entries written per transaction (default: 500)')
    .action(async (file: unknown, raw: Record<string, unknown>) => {
      const options = parseInput(ImportOptions, { ...raw, file });
      const size = await stat(options.file).then(
        (s) => (s.isFile() ? s.size : undefined),
        () => undefined,
      );
      if (size === undefined) throw new UsageError([`${options.file}: no such file`], 'Name the CSV file exported from Eurofound (e.g. regulations.csv).');
      const env = loadEnv(io.env);

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ readEurofound, FormatError }, { importFrameworks }] = await Promise.all([
        import('../core/frameworks/eurofound.js'),
        import('../core/frameworks/import.js'),
      ]);
      const db = await openMigratedDb(env, io);

      // Its bytesRead tells the progress (a 'data' listener would start the flow before readline listens).
      const input = createReadStream(options.file);
      const bar = (io.stderr as NodeJS.WriteStream).isTTY ? await progressBar(io.stderr, size) : undefined;
      let report: ImportReport;
      try {
        report = await importFrameworks(db, options.format, readEurofound(input, options.format), {
          batchSize: options.batchSize,
          onBatch: (r) => bar?.update(Math.min(input.bytesRead, size), { rows: n(r.rows) }),
        });
        bar?.update(size, { rows: n(report.rows) });
      } catch (error) {
        if (error instanceof FormatError) throw new UsageError([`${options.file}: ${error.message}`]);
        throw error;
      } finally {
        bar?.stop();
        input.destroy();
        await db.$disconnect();
      }
      io.stdout.write(importReportText(options.file, options.format, report));
    });
}

/** A progress bar over the file's bytes (the number of rows is not known before the end). */
async function progressBar(stream: NodeJS.WritableStream, total: number) {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: 'importing {bar} {percentage}% | {rows} rows | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { rows: '0' });
  return bar;
}
