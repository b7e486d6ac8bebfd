/**
 * `passerelle export observations`: the observations of the database, as JSON or CSV on stdout,
 * for the secretariat. Withdrawn observations are never exported; those kept for the secretariat
 * only with --include-confidential.
 */
import { once } from 'node:events';
import { pipeline, Readable, type Writable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { ObservationDetails } from '../core/observations.js';
import { formerMemberName, isForgotten } from '../core/data-rights/former.js';
import type { CliIo } from './main.js';
import { checkPlatformOption, openMigratedDb } from './database.js';
import { parseInput, UsageError } from './usage-error.js';
import { CODE_FORMATS } from '../exports/code-document.js';
import { registerExportVotes } from './export-votes.js';
import { registerExportRecords } from './export-records.js';
import { registerExportFrameworks } from './export-frameworks.js';

export const EXPORT_FORMATS = ['json', 'csv'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day (YYYY-MM-DD, midnight UTC) or an ISO 8601 date-time with its offset. */
const Since = z
  .string()
  .trim()
  .refine((v) => z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a date; write it as YYYY-MM-DD (e.g. 2026-01-31, from midnight UTC) or as an ISO date-time (e.g. 2026-01-31T09:00:00+01:00)`,
  })
  .transform((v) => new Date(DAY.test(v) ? `${v}T00:00:00Z` : v));

const ExportOptions = z
  .object({
    format: z
      .enum(EXPORT_FORMATS, {
        error: (issue) => `must be ${EXPORT_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}`,
      })
      .default('json'),
    platform: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2,8}$/, 'must be a platform id: 2 to 8 letters, such as FR or INT')
      .optional(),
    since: Since.optional(),
    includeConfidential: z.boolean().default(false),
  })
  .strict();

/** One exported observation. */
export interface ObservationRecord {
  id: number;
  platform: string;
  text: string;
  dimensions: string[];
  stage: string | null;
  case: string | null;
  confidentiality: string;
  innovative: boolean;
  language: string;
  author: { displayName: string | null; actorType: string | null; organisation: string | null; country: string | null };
  createdAt: string;
  editedAt: string | null;
  sourceLink: string | null;
}

/** `dimensions`: the observation's, in their canonical order (`dimensionsOf`). */
export function observationRecord(o: ObservationDetails, dimensions: string[]): ObservationRecord {
  return {
    id: o.id,
    platform: o.platformId,
    text: o.text,
    dimensions,
    stage: o.stage,
    case: o.case?.ref ?? null,
    confidentiality: o.confidentiality,
    innovative: o.innovative,
    language: o.language,
    // A member who asked to be forgotten (`me forget`) is "former member (union, FR)", nothing more.
    author: isForgotten(o.author)
      ? { displayName: formerMemberName(o.author), actorType: o.author.actorType, organisation: null, country: o.author.country }
      : {
          displayName: o.author.displayName,
          actorType: o.author.actorType,
          organisation: o.author.organisation,
          country: o.author.country,
        },
    createdAt: o.createdAt.toISOString(),
    editedAt: o.editedAt?.toISOString() ?? null,
    sourceLink: o.sourceLink,
  };
}

/** The CSV columns, in order: the JSON fields, flattened. */
export const CSV_COLUMNS = [
  'id',
  'platform',
  'text',
  'dimensions',
  'stage',
  'case',
  'confidentiality',
  'innovative',
  'language',
  'author_name',
  'author_actor_type',
  'author_organisation',
  'author_country',
  'created_at',
  'edited_at',
  'source_link',
] as const;

/** A record as a CSV row: every cell a string, empty for null, dimensions joined with `;`. */
export function csvRow(r: ObservationRecord): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    id: String(r.id),
    platform: r.platform,
    text: r.text,
    dimensions: r.dimensions.join(';'),
    stage: r.stage ?? '',
    case: r.case ?? '',
    confidentiality: r.confidentiality,
    innovative: String(r.innovative),
    language: r.language,
    author_name: r.author.displayName ?? '',
    author_actor_type: r.author.actorType ?? '',
    author_organisation: r.author.organisation ?? '',
    author_country: r.author.country ?? '',
    created_at: r.createdAt,
    edited_at: r.editedAt ?? '',
    source_link: r.sourceLink ?? '',
  };
}

/** A JSON array, one element a line, produced element by element. */
async function* jsonChunks(records: AsyncIterable<ObservationRecord>): AsyncGenerator<string> {
  let first = true;
  for await (const record of records) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

/** RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line break. */
function csvChunks(records: AsyncIterable<ObservationRecord>): AsyncIterable<string | Buffer> {
  const stringifier = stringify({ header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
  // pipeline destroys both streams on an error in either, so reading the stringifier rejects with it.
  pipeline(Readable.from(mapped(records, csvRow)), stringifier, () => {});
  return stringifier;
}

/** Writes the chunks one by one, waiting whenever `out` asks to. */
async function writeAll(out: Writable | NodeJS.WritableStream, chunks: AsyncIterable<string | Buffer>) {
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out as Writable, 'drain');
  }
}

async function* mapped<T, U>(items: AsyncIterable<T>, f: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield f(item);
}

/** The options of `export code`; `languages`: those with a locale file (templates/i18n.ts, loaded only when the command runs). */
const codeOptions = (languages: readonly string[]) =>
  z
    .object({
      code: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2,8}$/, 'must be a platform id: 2 to 8 letters, such as FR or INT'),
      format: z
        .enum(CODE_FORMATS, {
          error: (issue) => `must be ${CODE_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}`,
        })
        .default('md'),
      out: z.string().trim().min(1, 'must name a file').optional(),
      language: z
        .string()
        .trim()
        .toLowerCase()
        .refine((v) => languages.includes(v), {
          error: (issue) => `must be one of ${languages.join(', ')}, not ${JSON.stringify(issue.input)}`,
        })
        .optional(),
    })
    .strict();

export function registerExport(program: Command, io: CliIo): void {
  const exportCommand = program
    .command('export')
    .description('write data of the database to stdout');

  exportCommand
    .command('observations')
    .description('the observations, oldest first (withdrawn ones are left out)')
    .option('--format <format>', `${EXPORT_FORMATS.join(' or ')} (default: json)`)
    .option('--platform <id>', 'only this platform (an id of the platforms file, e.g. FR)')
    .option('--since <date>', 'only those filed on or after this day (YYYY-MM-DD, UTC) or ISO date-time')
    .option('--include-confidential', 'also those kept for the secretariat only')
    .action(async (raw: unknown) => {
      const options = parseInput(ExportOptions, raw);
      const env = loadEnv(io.env);
      await checkPlatformOption(env, options.platform);

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ dimensionsOf, observationsForExport }] = await Promise.all([
        import('../core/observations.js'),
      ]);
      const db = await openMigratedDb(env, io);
      try {
        const observations = observationsForExport(db, {
          platformId: options.platform,
          since: options.since,
          includeConfidential: options.includeConfidential,
        });
        const records = mapped(observations, (o) => observationRecord(o, dimensionsOf(o)));
        await writeAll(io.stdout, options.format === 'csv' ? csvChunks(records) : jsonChunks(records));
      } finally {
        await db.$disconnect();
      }
    });

  exportCommand
    .command('code')
    .description('a code of conduct (INT: the international recommendations) as a document: adopted clauses by stage, with their adoption records')
    .argument('<code>', 'the platform id of the code (an id of the platforms file, e.g. FR or INT)')
    .option('--format <format>', `${CODE_FORMATS.join(' or ')} (default: md)`)
    .option('--out <file>', 'write the document to this file instead of stdout')
    .option('--language <lang>', "the document's language, one with a locale file (en, fr, de, sv, nl…) (default: the platform's first language)")
    .action(async (code: unknown, raw: Record<string, unknown>) => {
      const { LANGUAGES, pickLanguage, translator } = await import('../../templates/i18n.js');
      const options = parseInput(codeOptions(LANGUAGES), { ...raw, code });
      const env = loadEnv(io.env);
      const { loadPlatformsFile } = await import('../config/platforms.js');
      const platforms = loadPlatformsFile(env.PLATFORMS_FILE);
      const platform = platforms.find((p) => p.id === options.code);
      if (!platform) {
        throw new UsageError(
          [`there is no platform ${options.code} in ${env.PLATFORMS_FILE}`],
          `Use one of: ${platforms.map((p) => p.id).join(', ')}.`,
        );
      }

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ buildCodeDocument, loadCodeDocument }, { writeFile }] = await Promise.all([
        import('../exports/code-document.js'),
        import('node:fs/promises'),
      ]);
      const db = await openMigratedDb(env, io);
      // The platform's first language; English if it has no locale file.
      const language = options.language ?? pickLanguage(platform.languages[0]);
      let document: string;
      try {
        document = buildCodeDocument({ ...(await loadCodeDocument(db, platform)), language }, options.format, translator(language));
      } finally {
        await db.$disconnect();
      }
      if (options.out) await writeFile(options.out, document, 'utf8');
      else if (!io.stdout.write(document)) await once(io.stdout as Writable, 'drain');
    });

  registerExportVotes(exportCommand, io);
  registerExportRecords(exportCommand, io);
  registerExportFrameworks(exportCommand, io);
}
