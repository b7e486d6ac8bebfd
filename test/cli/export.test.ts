import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsFile } from '../../src/config/platforms.js';
import { createCase } from '../../src/core/cases.js';
import { identify, setProfile } from '../../src/core/members.js';
import { fileObservation, ObservationInput, withdrawObservation, type Origin } from '../../src/core/observations.js';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { parseCsv, passerelle, PLATFORMS_FILE } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dbFile = join(tmp, 'seeded.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
const exportJson = async (...args: string[]) => {
  const result = await passerelle(['export', 'observations', '--format', 'json', ...args], vars);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Array<Record<string, any>>;
};

/** A text that needs every kind of CSV quoting. */
const TRICKY = 'Works council consulted early, "cellule de reclassement" opened;\nsecond line with ünïcödé';
const ids: Record<string, number> = {};

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const platforms = loadPlatformsFile(PLATFORMS_FILE);
    const fr = platforms.find((p) => p.id === 'FR')!;
    const be = platforms.find((p) => p.id === 'BE')!;
    const ana = await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U01', displayName: 'Ana Ferreira' });
    const author = await setProfile(db, ana.id, { actorType: 'union', organisation: 'CGT Métallurgie', country: 'FR', language: 'fr' });
    const bob = await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U02' });
    await createCase(db, 'FR', ana.id, { ref: 'ACME-2026', company: 'Acme', anonymised: false, country: 'FR', type: 'closure', sources: [] });

    const origin = (conversationId: string, n: number): Origin => ({
      channel: 'slack',
      workspace: 'T01',
      conversationId,
      sourceKey: `slack:T01:${conversationId}:${n}`,
      sourceLink: `https://acme.slack.com/archives/${conversationId}/p${n}`,
    });
    const file = async (name: string, platform: typeof fr, who: typeof author, createdAt: string, input: ObservationInput) => {
      const { observation } = await fileObservation(db, {
        platform,
        author: who,
        origin: origin(platform.slack.channels[0]!, Object.keys(ids).length + 1),
        input: ObservationInput.parse(input),
      });
      await db.observation.update({ where: { id: observation.id }, data: { createdAt: new Date(createdAt) } });
      ids[name] = observation.id;
    };

    await file('old', fr, author, '2026-01-15T10:00:00.000Z', { text: 'Early warning at the regional council', dimensions: ['territory'] });
    await file('tricky', fr, author, '2026-02-01T08:30:00.000Z', {
      text: TRICKY,
      dimensions: ['workers', 'territory'],
      stage: 'anticipation',
      caseRef: 'ACME-2026',
      innovative: true,
      language: 'en',
    });
    await file('belgian', be, bob, '2026-02-03T12:00:00.000Z', { text: 'Dienst voor arbeidsbemiddeling ter plaatse', dimensions: ['workers'], confidentiality: 'public' });
    await file('secret', fr, author, '2026-02-04T12:00:00.000Z', { text: 'Buyer in talks, not yet public', dimensions: ['company'], confidentiality: 'secretariat' });
    await file('withdrawn', fr, author, '2026-02-05T12:00:00.000Z', { text: 'Posted by mistake', dimensions: ['company'] });
    await withdrawObservation(db, { id: ids.withdrawn!, memberId: ana.id, platform: fr });
  } finally {
    await db.$disconnect();
  }
});

describe('passerelle export observations', () => {
  it('gives [] for a database that does not exist yet (migrating it first)', async () => {
    const fresh = join(tmp, 'fresh', 'empty.db');
    const result = await passerelle(['export', 'observations', '--format', 'json'], { DATABASE_URL: `file:${fresh}` });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(existsSync(fresh)).toBe(true);
  });

  it('exports every field as JSON, oldest first, without confidential or withdrawn observations', async () => {
    const rows = await exportJson();
    expect(rows.map((r) => r.id)).toEqual([ids.old, ids.tricky, ids.belgian]);
    expect(rows[1]).toEqual({
      id: ids.tricky,
      platform: 'FR',
      text: TRICKY,
      dimensions: ['workers', 'territory'],
      stage: 'anticipation',
      case: 'ACME-2026',
      confidentiality: 'platform',
      innovative: true,
      language: 'en',
      author: { displayName: 'Ana Ferreira', actorType: 'union', organisation: 'CGT Métallurgie', country: 'FR' },
      createdAt: '2026-02-01T08:30:00.000Z',
      editedAt: null,
      sourceLink: expect.stringMatching(/^https:\/\/acme\.slack\.com\/archives\/C01FRANCE\/p\d+$/),
    });
    expect(rows[2]).toMatchObject({
      platform: 'BE',
      case: null,
      stage: null,
      innovative: false,
      language: 'fr',
      confidentiality: 'public',
      author: { displayName: null, actorType: null, organisation: null, country: null },
    });
  });

  it('is JSON by default', async () => {
    const result = await passerelle(['export', 'observations'], vars);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(3);
  });

  it('filters by --platform (in any case) and --since', async () => {
    const idsOf = async (...args: string[]) => (await exportJson(...args)).map((r) => r.id);
    // One after the other: every export migrates first, and concurrent migrations of one file can fail (SQLITE_BUSY).
    expect(await idsOf('--platform', 'BE')).toEqual([ids.belgian]);
    expect(await idsOf('--platform', 'fr')).toEqual([ids.old, ids.tricky]);
    expect(await idsOf('--since', '2026-01-31')).toEqual([ids.tricky, ids.belgian]);
    expect(await idsOf('--since', '2026-02-01T09:00:00+01:00')).toEqual([ids.tricky, ids.belgian]);
    expect(await idsOf('--since', '2026-02-02', '--platform', 'FR')).toEqual([]);
  });

  it('includes observations kept for the secretariat only with --include-confidential, never withdrawn ones', async () => {
    const rows = await exportJson('--include-confidential');
    expect(rows.map((r) => r.id)).toEqual([ids.old, ids.tricky, ids.belgian, ids.secret]);
    expect(rows[3]).toMatchObject({ confidentiality: 'secretariat', dimensions: ['company'] });
  });

  it('writes RFC 4180 CSV: header row, CRLF, quoted fields that round-trip', async () => {
    const result = await passerelle(['export', 'observations', '--format', 'csv'], vars);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual([
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
    ]);
    expect(rows).toHaveLength(3);
    const tricky = Object.fromEntries(header!.map((column, i) => [column, rows[1]![i]]));
    expect(tricky).toMatchObject({
      id: String(ids.tricky),
      text: TRICKY,
      dimensions: 'workers;territory',
      case: 'ACME-2026',
      innovative: 'true',
      author_name: 'Ana Ferreira',
      author_actor_type: 'union',
      author_organisation: 'CGT Métallurgie',
      created_at: '2026-02-01T08:30:00.000Z',
      edited_at: '',
    });
    // The quoting itself: the whole field in quotes, the inner quotes doubled, the line break kept.
    expect(result.stdout).toContain('"Works council consulted early, ""cellule de reclassement"" opened;\nsecond line with ünïcödé"');
    expect(Object.fromEntries(header!.map((column, i) => [column, rows[2]![i]]))).toMatchObject({ stage: '', case: '', author_name: '', innovative: 'false' });
  });

  it('writes only the header for no observation', async () => {
    const result = await passerelle(['export', 'observations', '--format', 'csv', '--since', '2030-01-01'], vars);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^id,platform,text,.*,source_link\r\n$/);
  });
});

describe('passerelle export observations, wrong input (exit 2, nothing written)', () => {
  const untouched = join(tmp, 'never', 'created.db');
  const wrong = async (...args: string[]) => {
    const result = await passerelle(['export', 'observations', ...args], { DATABASE_URL: `file:${untouched}` });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(existsSync(untouched)).toBe(false);
    return result.stderr;
  };

  it('names the accepted formats', async () => {
    const stderr = await wrong('--format', 'xml');
    expect(stderr).toContain('--format: must be json or csv, not "xml"');
    expect(stderr).toContain('passerelle export observations --help');
  });

  it('lists the platforms of the platforms file for an unknown one', async () => {
    const stderr = await wrong('--platform', 'ZZ');
    expect(stderr).toContain('there is no platform ZZ');
    expect(stderr).toContain('FR, BE, DE, SE, UK, INT');
    expect(await wrong('--platform', 'not a platform')).toContain('--platform: must be a platform id');
  });

  it('refuses a date that does not exist or is not written as one', async () => {
    expect(await wrong('--since', '2026-02-30')).toContain('--since: "2026-02-30" is not a date; write it as YYYY-MM-DD');
    expect(await wrong('--since', '31/01/2026')).toContain('--since: "31/01/2026" is not a date');
  });

  it('reports every problem at once', async () => {
    const stderr = await wrong('--format', 'xml', '--since', 'yesterday');
    expect(stderr).toContain('--format');
    expect(stderr).toContain('--since');
  });

  it('refuses unknown options, a missing value and extra arguments', async () => {
    expect(await wrong('--formt', 'csv')).toMatch(/unknown option '--formt'[\s\S]*Did you mean --format\?/);
    expect(await wrong('--since')).toContain("option '--since <date>' argument missing");
    expect(await wrong('everything')).toContain('too many arguments');
  });
});
