/**
 * Reads the CSV exports of Eurofound's European Restructuring Monitor databases (restructuring-
 * related legislation, restructuring support instruments) into framework entries, row by row, as a
 * stream: `~`-separated, every field quoted with `""` for a quote, a BOM, one line per record
 * (line breaks inside text are the literal `\r\n`), HTML and mojibake in the text (./text.ts).
 *
 * Each line is parsed on its own with csv-parse: a broken quote or a lost column spoils its row
 * only, which is reported with its number and field while the rows around it are read. (Parsing the
 * whole stream at once, csv-parse can skip a bad record too, but a quote left open swallows the
 * next line and the error names the line where it was noticed.)
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { Country } from '../vocabulary.js';
import { firstLink, plainName, plainText } from './text.js';
import {
  CATEGORY_SEPARATOR,
  countryCode,
  instrumentCategory,
  regulationType,
  type FrameworkKind,
  type FrameworkPhase,
} from './vocabulary.js';

export const EUROFOUND_FORMATS = ['eurofound-legislation', 'eurofound-instruments'] as const;
export type EurofoundFormat = (typeof EUROFOUND_FORMATS)[number];

export interface Actor {
  type: string;
  comment?: string;
}

/** A framework entry as imported (the columns of FrameworkEntry that an import writes). */
export interface FrameworkInput {
  source: string;
  sourceKey: string;
  country: Country;
  kind: FrameworkKind;
  nameOriginal: string | null;
  nameEnglish: string;
  description: string;
  phase: FrameworkPhase | null;
  category: string | null;
  actors: Actor[];
  thresholds: string | null;
  sourceUrl: string | null;
}

/** Why a row was left out: its field (as the format's documentation names it) when one is to blame. */
export interface RowProblem {
  field?: string;
  reason: string;
}

/** `row`: the record's number, from 1, the header not counted (the line number is row + 1). */
export type ReadRow = { row: number; entry: FrameworkInput } | { row: number; problem: RowProblem };

/** The file cannot be read as the format at all (its header): nothing is imported. */
export class FormatError extends Error {}

interface Layout {
  /** The fields, named as the format's documentation names them (the header has `name` twice, and SQL for three). */
  fields: readonly string[];
  /** The header as exported; null where the export wrote something else (SQL expressions). */
  header: ReadonlyArray<string | null>;
  entry(f: Record<string, string>): FrameworkInput | RowProblem;
}

const LEGISLATION_FIELDS = ['name', 'english_name', 'description', 'article', 'comments', 'url', 'source', 'country', 'phase', 'funding', 'involvements', 'thresholds', 'type'] as const;
const INSTRUMENT_FIELDS = [
  'name', 'english_name', 'country', 'coverage', 'main_characteristics', 'effectiveness', 'strengths', 'weakness', 'example', 'phase',
  'categories', 'fundings', 'involvements', 'source', 'url',
] as const;

/** A stable key for an entry across imports: the source has no ids. */
export function sourceKeyOf(parts: ReadonlyArray<string | null>): string {
  const norm = (s: string | null) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  return createHash('sha256').update(JSON.stringify(parts.map(norm))).digest('hex').slice(0, 32);
}

/** "No information available.", "N.A.": nothing said. */
const NOTHING = /^(no information available|n\.?\s?a\.?|none|-)?\.?$/i;

/** Plain text, or '' when the field says nothing. */
const said = (field: string | undefined): string => {
  const text = plainText(field ?? '');
  return NOTHING.test(text) ? '' : text;
};

/** The entry's description: the main text, then the other texts of the row under their headings. */
function describe(main: string, sections: Array<[string, string]>): string {
  return [main, ...sections.filter(([, text]) => text).map(([heading, text]) => `${heading}: ${text}`)].filter(Boolean).join('\n\n');
}

function phaseOf(field: string): FrameworkPhase | null | RowProblem {
  const value = plainName(field).toLowerCase();
  if (!value) return null;
  if (value === 'anticipation' || value === 'management') return value;
  return { field: 'phase', reason: `unknown phase ${JSON.stringify(plainName(field))} (Anticipation or Management)` };
}

function countryOf(field: string): Country | RowProblem {
  const name = plainName(field);
  const code = countryCode(name);
  if (code) return code;
  return { field: 'country', reason: name ? `unknown country ${JSON.stringify(name)} (write it in English, as in "France" or "United Kingdom")` : 'no country' };
}

/** `a*b*other#comment`: the involved actors, each with its comment if any. */
function actorsOf(field: string): Actor[] {
  const actors: Actor[] = [];
  for (const item of field.split('*')) {
    const [type, ...comment] = item.split('#');
    const name = plainName(type ?? '').toLowerCase();
    if (!name) continue;
    const text = plainText(comment.join('#'));
    actors.push(text ? { type: name, comment: text } : { type: name });
  }
  return actors;
}

/** `label#value*label#value` → `label: value; label: value`, leaving out empty values. */
function thresholdsOf(field: string): string | null {
  const parts = field
    .split('*')
    .map((item) => {
      const [label, ...value] = item.split('#');
      const v = plainName(value.join('#'));
      return v ? `${plainName(label ?? '')}: ${v}` : '';
    })
    .filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

/** The names of a row; a row with an original name only is listed under it in English too. */
function namesOf(f: Record<string, string>): { nameOriginal: string | null; nameEnglish: string } | RowProblem {
  const original = plainName(f.name ?? '');
  const english = plainName(f.english_name ?? '');
  if (!english && !original) return { field: 'english_name', reason: 'the row has no name (name and english_name are empty)' };
  return { nameOriginal: original || null, nameEnglish: english || original };
}

const isProblem = (x: unknown): x is RowProblem => typeof x === 'object' && x !== null && 'reason' in x;

const COLLECTIVE_AGREEMENT = /collective (labour )?agreement|convention collective|collectieve arbeidsovereenkomst|tarifvertrag|kollektivavtal/i;

const LEGISLATION: Layout = {
  fields: LEGISLATION_FIELDS,
  header: ['name', 'english_name', 'description', 'article', 'comments', 'url', 'source', 'name', 'phase', 'funding', 'involvements', 'thresholds', 'type'],
  entry(f) {
    const country = countryOf(f.country!);
    if (isProblem(country)) return country;
    const names = namesOf(f);
    if (isProblem(names)) return names;
    const typeText = plainName(f.type!);
    if (!typeText) return { field: 'type', reason: 'no type' };
    const type = regulationType(typeText);
    if (!type) return { field: 'type', reason: `unknown type ${JSON.stringify(typeText)} (one of the 19 legislation types of the ERM, e.g. "severance pay/redundancy compensation")` };
    const phase = phaseOf(f.phase!);
    if (isProblem(phase)) return phase;
    const funding = said(f.funding);
    return {
      source: 'eurofound-legislation',
      sourceKey: sourceKeyOf([country, names.nameOriginal, names.nameEnglish, type]),
      country,
      kind: COLLECTIVE_AGREEMENT.test(`${names.nameEnglish} ${names.nameOriginal ?? ''}`) ? 'collective-agreement' : 'legislation',
      ...names,
      description: describe(said(f.description), [
        ['Articles', said(f.article)],
        ['Comments', said(f.comments)],
        ['Funding', funding],
      ]),
      phase,
      category: type,
      actors: actorsOf(f.involvements!),
      thresholds: thresholdsOf(f.thresholds!),
      sourceUrl: firstLink(f.url!) ?? firstLink(f.source!) ?? null,
    };
  },
};

const INSTRUMENTS: Layout = {
  fields: INSTRUMENT_FIELDS,
  header: ['name', 'english_name', 'country', 'coverage', 'main_characteristics', 'effectiveness', 'strengths', 'weakness', 'example', 'phase', null, null, null, 'source', 'url'],
  entry(f) {
    const country = countryOf(f.country!);
    if (isProblem(country)) return country;
    const names = namesOf(f);
    if (isProblem(names)) return names;
    const categories: string[] = [];
    for (const item of f.categories!.split('*')) {
      const text = plainName(item);
      if (!text) continue;
      const category = instrumentCategory(text);
      if (!category) return { field: 'categories', reason: `unknown category ${JSON.stringify(text)} (one of the 22 support-instrument categories of the ERM, e.g. "training")` };
      if (!categories.includes(category)) categories.push(category);
    }
    const phase = phaseOf(f.phase!);
    if (isProblem(phase)) return phase;
    const fundings = f.fundings!.split('*').map(plainName).filter((x) => x && !NOTHING.test(x));
    return {
      source: 'eurofound-instruments',
      sourceKey: sourceKeyOf([country, names.nameOriginal, names.nameEnglish]),
      country,
      kind: 'support-instrument',
      ...names,
      description: describe(said(f.main_characteristics), [
        ['Coverage', said(f.coverage)],
        ['Effectiveness', said(f.effectiveness)],
        ['Strengths', said(f.strengths)],
        ['Weaknesses', said(f.weakness)],
        ['Example', said(f.example)],
        ['Funding', fundings.join(', ')],
      ]),
      phase,
      category: categories.length ? categories.join(CATEGORY_SEPARATOR) : null,
      actors: actorsOf(f.involvements!),
      thresholds: null,
      sourceUrl: firstLink(f.url!) ?? firstLink(f.source!) ?? null,
    };
  },
};

const LAYOUTS: Record<EurofoundFormat, Layout> = { 'eurofound-legislation': LEGISLATION, 'eurofound-instruments': INSTRUMENTS };

/** One line as its fields, or what is wrong with its quoting. */
function cells(line: string, fields: readonly string[]): string[] | RowProblem {
  try {
    return (parse(line, { delimiter: '~', quote: '"', escape: '"', relax_quotes: false, relax_column_count: true }) as string[][])[0] ?? [];
  } catch (error) {
    const e = error as { code?: string; column?: number | string; message: string };
    const index = typeof e.column === 'number' ? e.column : undefined;
    const at = index !== undefined ? { field: fields[index] ?? `column ${index + 1}`, where: ` (column ${index + 1})` } : { field: undefined, where: '' };
    switch (e.code) {
      case 'CSV_INVALID_CLOSING_QUOTE':
        return { field: at.field, reason: `broken quote${at.where}: a quote inside a field must be doubled ("") and the closing quote be followed by ~` };
      case 'CSV_QUOTE_NOT_CLOSED':
        return { field: at.field, reason: `the line ends inside a quoted field${at.where}: its closing quote is missing (a truncated line?)` };
      case 'INVALID_OPENING_QUOTE':
        return { field: at.field, reason: `broken quote${at.where}: a quote in a field that does not start with one` };
      default:
        return { field: at.field, reason: `unreadable line${at.where}: ${e.message}` };
    }
  }
}

/** The header's fault, if it is not the format's; `other` is the other format, to say which one the file looks like. */
function headerProblem(header: string[], layout: Layout, format: EurofoundFormat): string | undefined {
  const norm = (s: string) => s.trim().toLowerCase();
  const fits = (l: Layout) => header.length === l.header.length && l.header.every((h, i) => h === null || norm(header[i]!) === h);
  if (fits(layout)) return undefined;
  const other = (Object.entries(LAYOUTS) as Array<[EurofoundFormat, Layout]>).find(([f, l]) => f !== format && fits(l));
  if (other) return `the header is that of ${other[0]}, not ${format}: import it with --format ${other[0]}`;
  const expected = layout.header.map((h) => h ?? '…').join('~');
  return `the header is not that of ${format}: ${header.length} columns (${header.slice(0, 16).join('~')}), expected ${layout.header.length} (${expected})`;
}

/**
 * The rows of an export, in order, each an entry or the reason it is left out. Throws FormatError,
 * before any row, when the header is not the format's.
 */
export async function* readEurofound(input: Readable, format: EurofoundFormat): AsyncGenerator<ReadRow> {
  const layout = LAYOUTS[format];
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo += 1;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (lineNo === 1) {
        const header = cells(line, layout.fields);
        if (isProblem(header)) throw new FormatError(`line 1 (the header): ${header.reason}`);
        const problem = headerProblem(header, layout, format);
        if (problem) throw new FormatError(`line 1 (the header): ${problem}`);
        continue;
      }
      if (line.trim() === '') continue;
      const row = lineNo - 1;
      const values = cells(line, layout.fields);
      if (isProblem(values)) {
        yield { row, problem: values };
        continue;
      }
      if (values.length !== layout.fields.length) {
        const missing = layout.fields[values.length];
        yield {
          row,
          problem:
            values.length < layout.fields.length
              ? { field: missing, reason: `missing: the row has ${values.length} fields, ${layout.fields.length} expected (a lost column or ~, or a truncated line?)` }
              : { field: undefined, reason: `${values.length} fields, ${layout.fields.length} expected (an extra ~ outside quotes?)` },
        };
        continue;
      }
      const fields: Record<string, string> = {};
      layout.fields.forEach((name, i) => (fields[name] = values[i]!));
      const entry = layout.entry(fields);
      yield isProblem(entry) ? { row, problem: entry } : { row, entry };
    }
    if (lineNo === 0) throw new FormatError('the file is empty: no header');
  } finally {
    lines.close();
  }
}
