/**
 * `passerelle export cases | indicators | practices`, run as a child process (the real launcher) on a
 * database seeded through the core: JSON and CSV, --platform, --out, and wrong input (exit 2,
 * nothing on stdout).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsFile } from '../../src/config/platforms.js';
import { createCase } from '../../src/core/cases.js';
import { recordIndicators } from '../../src/core/indicators.js';
import { identify, setProfile } from '../../src/core/members.js';
import { fileObservation, ObservationInput } from '../../src/core/observations.js';
import { assessPractice, AssessmentInput } from '../../src/core/practices/assessments.js';
import { createPractice, PracticeInput } from '../../src/core/practices/practices.js';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { parseCsv, passerelle, PLATFORMS_FILE } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-export-practices-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dbFile = join(tmp, 'seeded.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
const run = async (...args: string[]) => {
  const result = await passerelle(['export', ...args], vars);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
};
const json = async (...args: string[]) => JSON.parse(await run(...args, '--format', 'json')) as Array<Record<string, any>>;
const csv = async (...args: string[]) => parseCsv(await run(...args, '--format', 'csv'));

/** A frame with every kind of CSV quoting. */
const FRAME = 'Accord de méthode, "cellule de reclassement";\nconvention avec la région';

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const platforms = loadPlatformsFile(PLATFORMS_FILE);
    const [fr, uk, se] = ['FR', 'UK', 'SE'].map((id) => platforms.find((p) => p.id === id)!);
    const ana = await setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U01', displayName: 'Ana Ferreira' })).id, {
      actorType: 'union', organisation: 'CGT', country: 'FR', language: 'fr',
    });
    const sam = await identify(db, { channel: 'slack', workspace: 'T01', externalId: 'U02', displayName: 'Sam Jones' });
    const eva = await setProfile(db, (await identify(db, { channel: 'teams', workspace: 'tenant', externalId: 'aad-eva', displayName: 'Eva Ek' })).id, {
      actorType: 'employer', country: 'SE', language: 'sv',
    });

    await createCase(db, 'FR', ana.id, {
      ref: 'ACME-2026', company: 'Acme', anonymised: false, country: 'FR', type: 'closure', sources: ['https://news.example/acme'],
      headcountBefore: 1200, jobsAffected: 400, announcedOn: new Date('2025-01-10T00:00:00Z'),
    });
    await createCase(db, 'UK', sam.id, { ref: 'MILL-2025', company: 'Mill Ltd', anonymised: false, country: 'UK', type: 'relocation', sources: [] });
    const now = new Date('2026-06-01T12:00:00Z');
    await recordIndicators(db, {
      caseRef: 'ACME-2026', platform: fr!, member: ana, now,
      input: { measuredOn: '2025-12-31', figures: { supportCosts: 1_000_000, severanceCosts: 2_000_000, workersAffected: 300, reemployed6m: 120, inTraining: 60 } },
    });
    await recordIndicators(db, {
      caseRef: 'ACME-2026', platform: fr!, member: ana, now,
      input: { measuredOn: '2026-05-31', figures: { supportCosts: 1_500_000, severanceCosts: 2_000_000, publicFunding: 700_000, workersAffected: 300, reemployed12m: 210, inTraining: 30 } },
    });
    const origin = { channel: 'slack' as const, workspace: 'T01', conversationId: 'C01UNITEDK' };
    const { observation } = await fileObservation(db, {
      platform: uk!, author: sam, origin, input: ObservationInput.parse({ text: 'A transfer pool', dimensions: ['workers'], innovative: true, caseRef: 'MILL-2025' }),
    });

    const p1 = await createPractice(db, {
      platform: uk!, author: sam,
      input: PracticeInput.parse({
        title: 'Job-to-job transfer pool', description: 'Placed before notice ended', country: 'UK', sector: 'C', frame: FRAME,
        actors: ['union', 'employer'], results: '180 of 220 placed', observationIds: [observation.id], caseRefs: ['MILL-2025'],
      }),
    });
    await createPractice(db, {
      platform: fr!, author: ana,
      input: PracticeInput.parse({ title: 'Regional skills pact', description: 'Region and unions', country: 'FR', frame: 'Code du travail', actors: ['local-authority'] }),
    });
    await assessPractice(db, {
      ref: p1.ref, country: 'FR', member: ana, platform: fr!,
      input: AssessmentInput.parse({ verdict: 'with-adaptation', helping: 'PSE', hindering: 'No employer-funded transition fund', carriers: ['union', 'employment-service'] }),
    });
    await assessPractice(db, {
      ref: p1.ref, country: 'SE', member: eva, platform: se!,
      input: AssessmentInput.parse({ verdict: 'as-is', helping: 'Job security councils', carriers: ['employer', 'union'] }),
    });
  } finally {
    await db.$disconnect();
  }
});

describe('passerelle export cases', () => {
  it('gives each case with its factsheet, observation counts and latest indicators date (JSON and CSV)', async () => {
    const cases = await json('cases');
    expect(cases.map((c) => c.ref)).toEqual(['ACME-2026', 'MILL-2025']);
    expect(cases[0]).toMatchObject({
      platform: 'FR', company: 'Acme', headcountBefore: 1200, jobsAffected: 400, announcedOn: '2025-01-10', sources: ['https://news.example/acme'],
      observations: { total: 0, workers: 0, territory: 0, company: 0 }, indicatorRecords: 2, latestIndicatorsOn: '2026-05-31',
    });
    expect(cases[1]).toMatchObject({ platform: 'UK', type: 'relocation', observations: { total: 1, workers: 1 }, indicatorRecords: 0, latestIndicatorsOn: null });

    const rows = await csv('cases', '--platform', 'uk');
    expect(rows[0]).toEqual([
      'ref', 'platform', 'company', 'anonymised', 'group', 'country', 'nuts_region', 'nace_section', 'type', 'affected_unit',
      'headcount_before', 'jobs_affected', 'announced_on', 'effect_start', 'effect_end', 'sources',
      'observations', 'observations_workers', 'observations_territory', 'observations_company',
      'indicator_records', 'latest_indicators_on', 'created_at',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 3)).toEqual(['MILL-2025', 'UK', 'Mill Ltd']);
  });
});

describe('passerelle export indicators', () => {
  it('gives every record with the efficiency derived from it', async () => {
    const records = await json('indicators');
    expect(records.map((r) => r.measuredOn)).toEqual(['2025-12-31', '2026-05-31']);
    expect(records[0]).toMatchObject({
      case: 'ACME-2026', platform: 'FR', supportCosts: 1_000_000, reemployed12m: null,
      efficiency: { reemploymentRate6m: 0.4, reemploymentRate12m: null, inWorkOrTraining: 0.6, costPerReemployed: 25000, costLines: ['supportCosts', 'severanceCosts'], reemployedAt: '6m' },
    });
    expect(records[1]!.efficiency).toEqual({
      reemploymentRate6m: null, reemploymentRate12m: 0.7, inWorkOrTraining: 0.8, costPerReemployed: 16666.67, publicFundingPerReemployed: 3333.33,
      costLines: ['supportCosts', 'severanceCosts'], reemployedAt: '12m',
    });

    const rows = await csv('indicators');
    const header = rows[0]!;
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    expect(rows).toHaveLength(3);
    expect(at(rows[2]!, 'measured_on')).toBe('2026-05-31');
    expect(at(rows[2]!, 'reemployed_6m')).toBe('');
    expect(at(rows[2]!, 'cost_per_reemployed')).toBe('16666.67');
    expect(at(rows[2]!, 'cost_lines')).toBe('supportCosts;severanceCosts');
    expect(await json('indicators', '--platform', 'UK')).toEqual([]);
  });
});

describe('passerelle export practices', () => {
  it('gives each practice with its sources and assessments (nested in JSON, one row per assessment in CSV)', async () => {
    const practices = await json('practices');
    expect(practices.map((p) => p.ref)).toEqual(['P-1', 'P-2']);
    expect(practices[0]).toMatchObject({
      platform: 'UK', title: 'Job-to-job transfer pool', country: 'UK', sector: 'C', frame: FRAME, actors: ['employer', 'union'],
      observations: [1], cases: ['MILL-2025'],
    });
    expect(practices[0]!.assessments).toEqual([
      expect.objectContaining({ country: 'FR', verdict: 'with-adaptation', helping: 'PSE', hindering: 'No employer-funded transition fund', carriers: ['union', 'employment-service'], assessor: { displayName: 'Ana Ferreira', actorType: 'union', country: 'FR' } }),
      expect.objectContaining({ country: 'SE', verdict: 'as-is', hindering: null, carriers: ['employer', 'union'], assessor: { displayName: 'Eva Ek', actorType: 'employer', country: 'SE' } }),
    ]);
    expect(practices[1]).toMatchObject({ ref: 'P-2', platform: 'FR', assessments: [], observations: [], cases: [] });

    const out = join(tmp, 'practices.csv');
    expect(await run('practices', '--format', 'csv', '--out', out)).toBe('');
    const rows = parseCsv(readFileSync(out, 'utf8'));
    const header = rows[0]!;
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    expect(header.slice(0, 3)).toEqual(['ref', 'platform', 'title']);
    expect(header).toContain('assessment_verdict');
    // P-1 twice (FR, SE), P-2 once with empty assessment columns; the frame survives its quotes and line break.
    expect(rows.slice(1).map((r) => [r[0], at(r, 'assessment_country'), at(r, 'assessment_verdict')])).toEqual([
      ['P-1', 'FR', 'with-adaptation'],
      ['P-1', 'SE', 'as-is'],
      ['P-2', '', ''],
    ]);
    expect(at(rows[1]!, 'frame')).toBe(FRAME);
    expect(at(rows[1]!, 'assessment_carriers')).toBe('union;employment-service');
    expect(at(rows[2]!, 'assessor_name')).toBe('Eva Ek');

    expect((await json('practices', '--platform', 'FR')).map((p) => p.ref)).toEqual(['P-2']);
  });

  it('refuses wrong input with exit code 2 and writes nothing', async () => {
    const wrong = async (...args: string[]) => {
      const result = await passerelle(['export', ...args], vars);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      return result.stderr;
    };
    expect(await wrong('practices', '--format', 'xml')).toContain('--format: must be json or csv, not "xml"');
    const unknown = await wrong('indicators', '--platform', 'ZZ');
    expect(unknown).toContain('--platform: there is no platform ZZ in');
    expect(unknown).toContain('Use one of: FR, BE, DE, SE, UK, INT, DEMO.');
    expect(await wrong('cases', '--since', '2026-01-01')).toContain("unknown option '--since'");
  });
});
