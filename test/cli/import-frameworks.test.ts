/**
 * `passerelle import frameworks` and `passerelle export frameworks` through the real launcher, on the
 * Eurofound samples of test/fixtures/eurofound/ and on files built from them here: broken ones (a
 * broken quote, a lost column, an unknown country, an unknown type, a truncated last line) and one of
 * several thousand rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { openDb } from '../../src/db/client.js';
import { cliEnv, parseCsv, passerelle } from './run-cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/eurofound/', import.meta.url));
const REGULATIONS = join(FIXTURES, 'regulations-sample.csv');
const INSTRUMENTS = join(FIXTURES, 'instruments-sample.csv');

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-frameworks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let databases = 0;
/** A fresh database file and the variables that point the CLI at it. */
function freshDb(): { dbFile: string; vars: Record<string, string> } {
  const dbFile = join(tmp, `frameworks-${++databases}.db`);
  return { dbFile, vars: { DATABASE_URL: `file:${dbFile}` } };
}

/** The lines of a sample: the header (with its BOM) and the 25 rows, without the final newline. */
const linesOf = (file: string) => readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');

/** Writes a file made of `lines` (header first) under tmp. */
function fileOf(name: string, lines: string[], finalNewline = true): string {
  const file = join(tmp, name);
  writeFileSync(file, lines.join('\n') + (finalNewline ? '\n' : ''));
  return file;
}

/** The quoted fields of a line and back (the samples quote every field; `""` inside stays as it is). */
const fieldsOf = (line: string) => line.slice(1, -1).split('"~"');
const lineOf = (fields: string[]) => `"${fields.join('"~"')}"`;

const importing = (vars: Record<string, string>, file: string, format: string) => passerelle(['import', 'frameworks', file, '--format', format], vars);

async function exportJson(vars: Record<string, string>, ...args: string[]): Promise<Array<Record<string, any>>> {
  const result = await passerelle(['export', 'frameworks', '--format', 'json', ...args], vars);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Array<Record<string, any>>;
}

async function entryCount(dbFile: string): Promise<number> {
  const db = openDb(dbFile);
  try {
    return await db.frameworkEntry.count();
  } finally {
    await db.$disconnect();
  }
}

describe('passerelle import frameworks: the Eurofound samples', () => {
  const { dbFile, vars } = freshDb();

  it('imports the 25 legislation rows, with country codes, plain text and the type, and reports them', async () => {
    const result = await importing(vars, REGULATIONS, 'eurofound-legislation');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${REGULATIONS} (eurofound-legislation): 25 rows read — created 25, updated 0, unchanged 0, skipped 0\n`);
    // No terminal: no progress bar, only the migration note of a new database.
    expect(result.stderr).not.toContain('importing');

    const entries = await exportJson(vars);
    expect(entries).toHaveLength(25);
    expect(new Set(entries.map((e) => e.country))).toEqual(new Set(['BE', 'FR', 'DE', 'SE', 'UK']));
    const wage = entries.find((e) => e.country === 'FR' && e.category === 'wage guarantee in case of insolvency')!;
    expect(wage).toMatchObject({ source: 'eurofound-legislation', kind: 'legislation', nameOriginal: 'Code du travail', nameEnglish: 'Labour Code', phase: 'management' });
    for (const e of entries) {
      expect(e.description).not.toMatch(/<\/?[a-z]+[ >]|&[a-z]+;|\\r\\n/); // no markup, entity or literal \r\n left
      expect(e.actors.length).toBeGreaterThan(0);
    }
    // Belgium's collective agreement n° 9, and the entities of its text decoded.
    const cct = entries.find((e) => e.nameEnglish.startsWith('National and intersectoral Collective Agreement n°9'))!;
    expect(cct).toMatchObject({ country: 'BE', kind: 'collective-agreement', phase: 'anticipation' });
    expect(cct.description).toContain('cross-sectoral agreement n°15');
    // "other#comment" involvements keep their comment; thresholds read as label: value.
    expect(entries.flatMap((e) => e.actors).some((a) => a.type === 'other' && a.comment)).toBe(true);
    const thresholds = entries.map((e) => e.thresholds);
    expect(thresholds).toContain('company size by number of employees: 20; number of affected employees: 10');
    expect(thresholds).toContain('company size by number of employees: 100'); // an empty value is left out
    expect(thresholds).toContain('number of affected employees: 1/3 of workforce');
    expect(thresholds).toContain(null); // both empty
    expect(entries.every((e) => e.sourceUrl === null || /^https?:\/\//.test(e.sourceUrl))).toBe(true);
  });

  it('imports the 25 support instruments, repairing the mojibake of their names', async () => {
    const result = await importing(vars, INSTRUMENTS, 'eurofound-instruments');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('25 rows read — created 25, updated 0, unchanged 0, skipped 0');

    const instruments = await exportJson(vars, '--kind', 'support-instrument');
    expect(instruments).toHaveLength(25);
    const brg = instruments.find((e) => e.nameEnglish === 'Business Region Gothenburg (BRG)')!;
    expect(brg).toMatchObject({ country: 'SE', nameOriginal: 'Business Region Göteborg AB', category: 'territorial coordination; attracting investors', phase: 'anticipation' });
    expect(JSON.stringify(instruments)).not.toMatch(/Γ[©§£¶]|β€/);
    const partial = instruments.find((e) => e.nameEnglish === 'Partial activity')!;
    expect(partial.category).toBe('support of smes; training; working time flexibility; income support for workers');
    expect(partial.description).toContain('Coverage: ');
    expect(partial.actors).toContainEqual({ type: 'national government', comment: expect.any(String) });
  });

  it('imports the same files again without a duplicate: everything unchanged', async () => {
    const again = await importing(vars, REGULATIONS, 'eurofound-legislation');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('25 rows read — created 0, updated 0, unchanged 25, skipped 0');
    expect((await importing(vars, INSTRUMENTS, 'eurofound-instruments')).stdout).toContain('created 0, updated 0, unchanged 25, skipped 0');
    expect(await entryCount(dbFile)).toBe(50);
  });

  it('updates the entries a new export describes otherwise, and only those', async () => {
    const lines = linesOf(REGULATIONS);
    const fields = fieldsOf(lines[4]!); // row 4
    fields[2] = '<p>A new description of the French rules.</p>';
    lines[4] = lineOf(fields);
    const before = await exportJson(vars, '--country', 'FR');
    const result = await importing(vars, fileOf('regulations-updated.csv', lines), 'eurofound-legislation');
    expect(result.stdout).toContain('25 rows read — created 0, updated 1, unchanged 24, skipped 0');
    const after = await exportJson(vars, '--country', 'FR');
    const changed = after.filter((e, i) => JSON.stringify(e) !== JSON.stringify(before[i]));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ nameEnglish: 'Labour Code', category: "public authorities' information and consultation on dismissals" });
    expect(changed[0]!.description).toMatch(/^A new description of the French rules\./);
    expect(await entryCount(dbFile)).toBe(50);
  });
});

describe('passerelle import frameworks: bad rows', () => {
  /** The legislation sample with five faults; the other 20 rows are good. */
  function brokenRegulations(): string {
    const lines = linesOf(REGULATIONS);
    // Row 2: a country the ERM does not have.
    let f = fieldsOf(lines[2]!);
    f[7] = 'Atlantis';
    lines[2] = lineOf(f);
    // Row 3: the last column lost.
    f = fieldsOf(lines[3]!);
    lines[3] = lineOf(f.slice(0, 12));
    // Row 5: an unknown type.
    f = fieldsOf(lines[5]!);
    f[12] = 'flexicurity';
    lines[5] = lineOf(f);
    // Row 7: a quote inside the description that is not doubled.
    f = fieldsOf(lines[7]!);
    f[2] = `The "works council" must be informed. ${f[2]}`;
    lines[7] = lineOf(f);
    // Row 25: the file cut in the middle of the last line.
    lines[25] = lines[25]!.slice(0, Math.floor(lines[25]!.length / 2));
    return fileOf('regulations-broken.csv', lines, false);
  }

  it('reports each bad row with its number, field and reason, and keeps the good rows', async () => {
    const { dbFile, vars } = freshDb();
    const file = brokenRegulations();
    const result = await importing(vars, file, 'eurofound-legislation');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${file} (eurofound-legislation): 25 rows read — created 20, updated 0, unchanged 0, skipped 5`);
    expect(lines.slice(2)).toEqual([
      '  row 2, field country: unknown country "Atlantis" (write it in English, as in "France" or "United Kingdom")',
      '  row 3, field type: missing: the row has 12 fields, 13 expected (a lost column or ~, or a truncated line?)',
      '  row 5, field type: unknown type "flexicurity" (one of the 19 legislation types of the ERM, e.g. "severance pay/redundancy compensation")',
      '  row 7, field description: broken quote (column 3): a quote inside a field must be doubled ("") and the closing quote be followed by ~',
      expect.stringMatching(/^ {2}row 25, field \w+: the line ends inside a quoted field \(column \d+\): its closing quote is missing \(a truncated line\?\)$/),
    ]);
    expect(await entryCount(dbFile)).toBe(20);
  });

  it('damages nothing already stored: the entries of the bad rows stay as they were', async () => {
    const { vars } = freshDb();
    await importing(vars, REGULATIONS, 'eurofound-legislation');
    const before = await exportJson(vars);
    const result = await importing(vars, brokenRegulations(), 'eurofound-legislation');
    expect(result.stdout).toContain('25 rows read — created 0, updated 0, unchanged 20, skipped 5');
    expect(await exportJson(vars)).toEqual(before);
  });

  it('leaves out an instrument of an unknown category, and a row listed twice', async () => {
    const { dbFile, vars } = freshDb();
    const lines = linesOf(INSTRUMENTS);
    const f = fieldsOf(lines[4]!);
    f[10] = 'advice*magic wands';
    lines[4] = lineOf(f);
    lines.push(lines[9]!);
    const result = await importing(vars, fileOf('instruments-broken.csv', lines), 'eurofound-instruments');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('26 rows read — created 24, updated 0, unchanged 0, skipped 2');
    expect(result.stdout).toContain('  row 4, field categories: unknown category "magic wands" (one of the 22 support-instrument categories of the ERM, e.g. "training")');
    expect(result.stdout).toContain('  row 26: the same entry as row 9 (same country, names)');
    expect(await entryCount(dbFile)).toBe(24);
  });

  it('refuses a file whose header is not the format named, writing nothing (exit 2)', async () => {
    const { dbFile, vars } = freshDb();
    const wrong = await importing(vars, REGULATIONS, 'eurofound-instruments');
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain(
      `passerelle import frameworks: ${REGULATIONS}: line 1 (the header): the header is that of eurofound-legislation, not eurofound-instruments: import it with --format eurofound-legislation`,
    );
    const headless = fileOf('no-header.csv', linesOf(REGULATIONS).slice(1));
    const noHeader = await importing(vars, headless, 'eurofound-legislation');
    expect(noHeader.code).toBe(2);
    expect(noHeader.stderr).toContain('line 1 (the header): the header is not that of eurofound-legislation: 13 columns (');
    const empty = await importing(vars, fileOf('empty.csv', [], false), 'eurofound-legislation');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the file is empty: no header');
    expect(await entryCount(dbFile)).toBe(0);
  });
});

describe('passerelle import frameworks: arguments', () => {
  const { vars } = freshDb();

  it('exits with 2 and says what to fix: unknown --format, no --format, missing file, no file', async () => {
    const unknown = await passerelle(['import', 'frameworks', REGULATIONS, '--format', 'eurofound'], vars);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('passerelle import frameworks: --format: must be eurofound-legislation or eurofound-instruments, not "eurofound"');

    const none = await passerelle(['import', 'frameworks', REGULATIONS], vars);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--format: is required: eurofound-legislation or eurofound-instruments');

    const missing = await passerelle(['import', 'frameworks', join(tmp, 'nope.csv'), '--format', 'eurofound-legislation'], vars);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`passerelle import frameworks: ${join(tmp, 'nope.csv')}: no such file`);

    const noFile = await passerelle(['import', 'frameworks', '--format', 'eurofound-legislation'], vars);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("missing required argument 'file'");
    for (const r of [unknown, none, missing, noFile]) expect(r.stdout).toBe('');
  });
});

describe('passerelle import frameworks: several thousand rows', () => {
  const ROWS = 4_000;

  /** ROWS distinct legislation rows made from the 25 of the sample, each name numbered. */
  function bigFile(): string {
    const [header, ...rows] = linesOf(REGULATIONS);
    const lines = [header!];
    for (let i = 0; i < ROWS; i++) {
      const f = fieldsOf(rows[i % rows.length]!);
      f[0] = `${f[0]} (${i + 1})`;
      f[1] = `${f[1]} (${i + 1})`;
      lines.push(lineOf(f));
    }
    return fileOf('regulations-big.csv', lines);
  }

  it('imports them all, then finds them all unchanged', async () => {
    const { dbFile, vars } = freshDb();
    const file = bigFile();
    const first = await importing(vars, file, 'eurofound-legislation');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`4,000 rows read — created 4,000, updated 0, unchanged 0, skipped 0`);
    const second = await importing(vars, file, 'eurofound-legislation');
    expect(second.stdout).toContain(`4,000 rows read — created 0, updated 0, unchanged 4,000, skipped 0`);
    expect(await entryCount(dbFile)).toBe(ROWS);
    const fr = await exportJson(vars, '--country', 'FR');
    expect(fr).toHaveLength((ROWS / 25) * 5);
  }, 120_000);
});

describe('passerelle import frameworks: the progress bar', () => {
  /** What a terminal would receive. */
  class FakeTerminal extends Writable {
    readonly isTTY = true;
    readonly columns = 120;
    text = '';
    override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void) {
      this.text += String(chunk);
      done();
    }
  }

  it('draws a progress bar on stderr when it is a terminal, and clears it before the report', async () => {
    const { vars } = freshDb();
    const stdout = new FakeTerminal();
    const stderr = new FakeTerminal();
    const code = await runCli(['import', 'frameworks', REGULATIONS, '--format', 'eurofound-legislation', '--batch-size', '5'], { stdout, stderr, env: cliEnv(vars) });
    expect(code).toBe(0);
    expect(stderr.text).toMatch(/importing [█░]+ \d+% \| \d+ rows \| /);
    expect(stderr.text).toContain('\x1B[?25h'); // the cursor shown again
    expect(stdout.text).toBe(`${REGULATIONS} (eurofound-legislation): 25 rows read — created 25, updated 0, unchanged 0, skipped 0\n`);
  });
});

describe('passerelle export frameworks', () => {
  const { vars } = freshDb();

  it('writes the inventory as CSV (RFC 4180) and JSON, filtered by country or kind', async () => {
    await importing(vars, REGULATIONS, 'eurofound-legislation');
    await importing(vars, INSTRUMENTS, 'eurofound-instruments');

    const csv = await passerelle(['export', 'frameworks', '--format', 'csv'], vars);
    expect(csv.code).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header).toEqual(['id', 'source', 'country', 'kind', 'name_original', 'name_english', 'phase', 'category', 'actors', 'thresholds', 'description', 'source_url', 'imported_at', 'updated_at']);
    expect(rows).toHaveLength(50);
    // By country, kind, name.
    const keys = rows.map((r) => `${r[2]}|${r[3]}|${r[5]}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const json = await exportJson(vars);
    expect(rows.map((r) => Number(r[0]))).toEqual(json.map((e) => e.id));
    const withComment = json.find((e) => e.actors.some((a: { comment?: string }) => a.comment))!;
    const row = rows.find((r) => Number(r[0]) === withComment.id)!;
    expect(row[10]).toBe(withComment.description);
    expect(row[8]).toContain(' (');

    expect(await exportJson(vars, '--country', 'se')).toHaveLength(10);
    expect((await exportJson(vars, '--country', 'UK', '--kind', 'legislation')).every((e) => e.country === 'UK' && e.kind === 'legislation')).toBe(true);

    const bad = await passerelle(['export', 'frameworks', '--format', 'xml'], vars);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format: must be json or csv, not "xml"');
    const badCountry = await passerelle(['export', 'frameworks', '--country', 'Atlantis'], vars);
    expect(badCountry.code).toBe(2);
    expect(badCountry.stderr).toContain('--country: must be a country code such as FR, SE or UK, not "Atlantis"');
  });
});
