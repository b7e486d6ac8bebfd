/**
 * `passerelle export frameworks --format json|csv [--country FR] [--kind legislation]`: the national
 * frameworks inventory, by country, kind and name, for the secretariat. Streamed: pages of the
 * database are written as they are read.
 */
import { once } from 'node:events';
import { pipeline, Readable, type Writable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { Actor, FrameworkEntry } from '../core/frameworks/frameworks.js';
import { FRAMEWORK_KINDS } from '../core/frameworks/vocabulary.js';
import { COUNTRIES, normaliseCountry } from '../core/vocabulary.js';
import type { CliIo } from './main.js';
import { openMigratedDb } from './database.js';
import { parseInput } from './usage-error.js';

export const FRAMEWORK_EXPORT_FORMATS = ['json', 'csv'] as const;

const Options = z
  .object({
    format: z
      .enum(FRAMEWORK_EXPORT_FORMATS, { error: (issue) => `must be ${FRAMEWORK_EXPORT_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}` })
      .default('json'),
    country: z
      .string()
      .transform((value, ctx) => {
        const code = normaliseCountry(value);
        if ((COUNTRIES as readonly string[]).includes(code)) return code;
        ctx.addIssue({ code: 'custom', message: `must be a country code such as FR, SE or UK, not ${JSON.stringify(value)}` });
        return z.NEVER;
      })
      .optional(),
    kind: z.enum(FRAMEWORK_KINDS, { error: (issue) => `must be ${FRAMEWORK_KINDS.join(', ')}, not ${JSON.stringify(issue.input)}` }).optional(),
  })
  .strict();

/** One exported entry. */
export interface FrameworkRecord {
  id: number;
  source: string;
  country: string;
  kind: string;
  nameOriginal: string | null;
  nameEnglish: string;
  phase: string | null;
  category: string | null;
  actors: Actor[];
  thresholds: string | null;
  description: string;
  sourceUrl: string | null;
  importedAt: string;
  updatedAt: string;
}

export function frameworkRecord(e: FrameworkEntry, actors: Actor[]): FrameworkRecord {
  return {
    id: e.id,
    source: e.source,
    country: e.country,
    kind: e.kind,
    nameOriginal: e.nameOriginal,
    nameEnglish: e.nameEnglish,
    phase: e.phase,
    category: e.category,
    actors,
    thresholds: e.thresholds,
    description: e.description,
    sourceUrl: e.sourceUrl,
    importedAt: e.importedAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export const FRAMEWORK_CSV_COLUMNS = [
  'id', 'source', 'country', 'kind', 'name_original', 'name_english', 'phase', 'category', 'actors', 'thresholds', 'description', 'source_url', 'imported_at', 'updated_at',
] as const;

/** A record as a CSV row: actors as `type (comment); type`, empty cells for null. */
export function frameworkCsvRow(r: FrameworkRecord): Record<(typeof FRAMEWORK_CSV_COLUMNS)[number], string> {
  return {
    id: String(r.id),
    source: r.source,
    country: r.country,
    kind: r.kind,
    name_original: r.nameOriginal ?? '',
    name_english: r.nameEnglish,
    phase: r.phase ?? '',
    category: r.category ?? '',
    actors: r.actors.map((a) => (a.comment ? `${a.type} (${a.comment.replace(/\s+/g, ' ')})` : a.type)).join('; '),
    thresholds: r.thresholds ?? '',
    description: r.description,
    source_url: r.sourceUrl ?? '',
    imported_at: r.importedAt,
    updated_at: r.updatedAt,
  };
}

async function* mapped<T, U>(items: AsyncIterable<T>, f: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield f(item);
}

async function* jsonChunks(records: AsyncIterable<FrameworkRecord>): AsyncGenerator<string> {
  let first = true;
  for await (const record of records) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

function csvChunks(records: AsyncIterable<FrameworkRecord>): AsyncIterable<string | Buffer> {
  // quote_record_delimiter: a field holding a lone \n is quoted too (csv-stringify quotes only \r\n once record_delimiter is set).
  const stringifier = stringify({ header: true, columns: [...FRAMEWORK_CSV_COLUMNS], record_delimiter: 'windows', quote_record_delimiter: true });
  pipeline(Readable.from(mapped(records, frameworkCsvRow)), stringifier, () => {});
  return stringifier;
}

export function registerExportFrameworks(exportCommand: Command, io: CliIo): void {
  exportCommand
    .command('frameworks')
    .description('the national frameworks inventory (legislation, support instruments…), by country, kind and name')
    .option('--format <format>', `${FRAMEWORK_EXPORT_FORMATS.join(' or ')} (default: json)`)
    .option('--country <code>', 'only this country (FR, SE, UK…)')
    .option('--kind <kind>', `only this kind: ${FRAMEWORK_KINDS.join(', ')}`)
    .action(async (raw: unknown) => {
      const options = parseInput(Options, raw);
      const env = loadEnv(io.env);
      const [{ actorsOf, entriesForExport }] = await Promise.all([
        import('../core/frameworks/frameworks.js'),
      ]);
      const db = await openMigratedDb(env, io);
      try {
        const records = mapped(entriesForExport(db, { country: options.country, kind: options.kind }), (e) => frameworkRecord(e, actorsOf(e)));
        for await (const chunk of options.format === 'csv' ? csvChunks(records) : jsonChunks(records)) {
          if (!io.stdout.write(chunk)) await once(io.stdout as Writable, 'drain');
        }
      } finally {
        await db.$disconnect();
      }
    });
}
