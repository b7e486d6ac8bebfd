/**
 * `passerelle export cases | indicators | practices`: the cases (ERM factsheets with their counts),
 * the indicator records of the cases (with the efficiency derived from each), and the innovative
 * practices with their transferability assessments — as JSON (an array, one record a line) or CSV
 * (RFC 4180, CRLF, a header row), on stdout or to --out.
 *
 * - cases: oldest first; observation counts leave withdrawn observations out.
 * - indicators: one record per dated record, by case then date; rates are shares (0.7 = 70 %),
 *   euros per worker rounded to the cent.
 * - practices: oldest first, each with its sources and its assessments (JSON: nested; CSV: one row
 *   per assessment in long form, the practice's columns repeated, and one row with empty assessment
 *   columns for a practice not assessed yet). Assessors are named as in the observations export (a
 *   member who asked to be forgotten is "former member (…)").
 *
 * `--platform FR` keeps one platform's cases, indicators (of its cases) and practices.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import type { PrismaClient } from '../db/client.js';
import type { CliIo } from './main.js';
import { checkPlatformOption, openMigratedDb } from './database.js';
import { parseInput } from './usage-error.js';

export const RECORD_FORMATS = ['json', 'csv'] as const;
export const RECORD_KINDS = ['cases', 'indicators', 'practices'] as const;
type Kind = (typeof RECORD_KINDS)[number];

const RecordOptions = z
  .object({
    format: z
      .enum(RECORD_FORMATS, { error: (issue) => `must be ${RECORD_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}` })
      .default('json'),
    platform: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2,8}$/, 'must be a platform id: 2 to 8 letters, such as FR or INT')
      .optional(),
    out: z.string().trim().min(1, 'must name a file').optional(),
  })
  .strict();
type RecordOptions = z.output<typeof RecordOptions>;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const round = (v: number | null, digits: number) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// ---------------------------------------------------------------- cases

export interface CaseRecord {
  ref: string;
  platform: string;
  company: string;
  anonymised: boolean;
  group: string | null;
  country: string;
  nutsRegion: string | null;
  naceSection: string | null;
  type: string;
  affectedUnit: string | null;
  headcountBefore: number | null;
  jobsAffected: number | null;
  announcedOn: string | null;
  effectStart: string | null;
  effectEnd: string | null;
  sources: string[];
  observations: { total: number; workers: number; territory: number; company: number };
  indicatorRecords: number;
  latestIndicatorsOn: string | null;
  createdAt: string;
}

async function caseRecords(db: PrismaClient, platformId: string | undefined): Promise<CaseRecord[]> {
  const cases = await db.case.findMany({ where: platformId ? { platformId } : {}, orderBy: { id: 'asc' } });
  const ids = cases.map((c) => c.id);
  const live = { caseId: { in: ids }, withdrawnAt: null };
  const [totals, dimensions, indicators] = await Promise.all([
    db.observation.groupBy({ by: ['caseId'], where: live, _count: { _all: true } }),
    db.observationDimension.findMany({ where: { observation: live }, select: { dimension: true, observation: { select: { caseId: true } } } }),
    db.caseIndicator.groupBy({ by: ['caseId'], where: { caseId: { in: ids } }, _count: { _all: true }, _max: { measuredOn: true } }),
  ]);
  return cases.map((c) => {
    const dims = dimensions.filter((d) => d.observation.caseId === c.id);
    const ind = indicators.find((i) => i.caseId === c.id);
    return {
      ref: c.ref,
      platform: c.platformId,
      company: c.company,
      anonymised: c.anonymised,
      group: c.groupName,
      country: c.country,
      nutsRegion: c.nutsRegion,
      naceSection: c.naceSection,
      type: c.type,
      affectedUnit: c.affectedUnit,
      headcountBefore: c.headcountBefore,
      jobsAffected: c.jobsAffected,
      announcedOn: day(c.announcedOn),
      effectStart: day(c.effectStart),
      effectEnd: day(c.effectEnd),
      sources: strings(c.sources),
      observations: {
        total: totals.find((t) => t.caseId === c.id)?._count._all ?? 0,
        workers: dims.filter((d) => d.dimension === 'workers').length,
        territory: dims.filter((d) => d.dimension === 'territory').length,
        company: dims.filter((d) => d.dimension === 'company').length,
      },
      indicatorRecords: ind?._count._all ?? 0,
      latestIndicatorsOn: day(ind?._max.measuredOn ?? null),
      createdAt: c.createdAt.toISOString(),
    };
  });
}

const CASE_COLUMNS = [
  'ref', 'platform', 'company', 'anonymised', 'group', 'country', 'nuts_region', 'nace_section', 'type', 'affected_unit',
  'headcount_before', 'jobs_affected', 'announced_on', 'effect_start', 'effect_end', 'sources',
  'observations', 'observations_workers', 'observations_territory', 'observations_company',
  'indicator_records', 'latest_indicators_on', 'created_at',
] as const;

const cell = (v: string | number | boolean | null | undefined) => (v === null || v === undefined ? '' : String(v));

function caseRow(r: CaseRecord): string[] {
  return [
    r.ref, r.platform, r.company, cell(r.anonymised), cell(r.group), r.country, cell(r.nutsRegion), cell(r.naceSection), r.type, cell(r.affectedUnit),
    cell(r.headcountBefore), cell(r.jobsAffected), cell(r.announcedOn), cell(r.effectStart), cell(r.effectEnd), r.sources.join(' '),
    cell(r.observations.total), cell(r.observations.workers), cell(r.observations.territory), cell(r.observations.company),
    cell(r.indicatorRecords), cell(r.latestIndicatorsOn), r.createdAt,
  ];
}

// ---------------------------------------------------------------- indicators

export interface IndicatorRecord {
  case: string;
  platform: string;
  measuredOn: string;
  supportCosts: number | null;
  severanceCosts: number | null;
  publicFunding: number | null;
  workersAffected: number | null;
  reemployed6m: number | null;
  reemployed12m: number | null;
  inTraining: number | null;
  jobsSaved: number | null;
  jobsCreated: number | null;
  efficiency: {
    reemploymentRate6m: number | null;
    reemploymentRate12m: number | null;
    inWorkOrTraining: number | null;
    costPerReemployed: number | null;
    publicFundingPerReemployed: number | null;
    /** Which cost lines costPerReemployed adds up, and which re-employment figure it divides by. */
    costLines: string[];
    reemployedAt: string | null;
  };
  recordedAt: string;
}

async function indicatorRecords(db: PrismaClient, platformId: string | undefined): Promise<IndicatorRecord[]> {
  const { efficiencyOf, figuresOf } = await import('../core/indicators.js');
  const rows = await db.caseIndicator.findMany({ orderBy: [{ caseId: 'asc' }, { measuredOn: 'asc' }, { id: 'asc' }] });
  const cases = await db.case.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.caseId))] } }, select: { id: true, ref: true, platformId: true } });
  return rows.flatMap((r) => {
    const c = cases.find((x) => x.id === r.caseId);
    if (!c || (platformId && c.platformId !== platformId)) return [];
    const figures = figuresOf(r);
    const e = efficiencyOf(figures);
    return [
      {
        case: c.ref,
        platform: c.platformId,
        measuredOn: day(r.measuredOn)!,
        ...figures,
        efficiency: {
          reemploymentRate6m: round(e.reemploymentRate6m, 4),
          reemploymentRate12m: round(e.reemploymentRate12m, 4),
          inWorkOrTraining: round(e.inWorkOrTraining, 4),
          costPerReemployed: round(e.costPerReemployed, 2),
          publicFundingPerReemployed: round(e.publicFundingPerReemployed, 2),
          costLines: e.costLines,
          reemployedAt: e.reemployedAt,
        },
        recordedAt: r.createdAt.toISOString(),
      },
    ];
  });
}

const INDICATOR_COLUMNS = [
  'case', 'platform', 'measured_on', 'support_costs', 'severance_costs', 'public_funding', 'workers_affected', 'reemployed_6m', 'reemployed_12m',
  'in_training', 'jobs_saved', 'jobs_created', 'reemployment_rate_6m', 'reemployment_rate_12m', 'in_work_or_training', 'cost_per_reemployed',
  'public_funding_per_reemployed', 'cost_lines', 'reemployed_at', 'recorded_at',
] as const;

function indicatorRow(r: IndicatorRecord): string[] {
  const e = r.efficiency;
  return [
    r.case, r.platform, r.measuredOn, cell(r.supportCosts), cell(r.severanceCosts), cell(r.publicFunding), cell(r.workersAffected), cell(r.reemployed6m), cell(r.reemployed12m),
    cell(r.inTraining), cell(r.jobsSaved), cell(r.jobsCreated), cell(e.reemploymentRate6m), cell(e.reemploymentRate12m), cell(e.inWorkOrTraining), cell(e.costPerReemployed),
    cell(e.publicFundingPerReemployed), e.costLines.join(';'), cell(e.reemployedAt), r.recordedAt,
  ];
}

// ---------------------------------------------------------------- practices

export interface AssessmentRecord {
  country: string;
  verdict: string;
  helping: string | null;
  hindering: string | null;
  carriers: string[];
  assessor: { displayName: string | null; actorType: string | null; country: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface PracticeRecord {
  ref: string;
  platform: string;
  title: string;
  description: string;
  country: string;
  sector: string | null;
  frame: string;
  actors: string[];
  results: string | null;
  observations: number[];
  cases: string[];
  createdAt: string;
  updatedAt: string;
  assessments: AssessmentRecord[];
}

async function practiceRecords(db: PrismaClient, platformId: string | undefined): Promise<PracticeRecord[]> {
  const { formerMemberName, isForgotten } = await import('../core/data-rights/former.js');
  const practices = await db.practice.findMany({
    where: platformId ? { platformId } : {},
    orderBy: { id: 'asc' },
    include: { sources: { orderBy: { id: 'asc' } }, assessments: { orderBy: [{ country: 'asc' }, { id: 'asc' }] } },
  });
  const caseIds = [...new Set(practices.flatMap((p) => p.sources.flatMap((s) => (s.caseId ? [s.caseId] : []))))];
  const memberIds = [...new Set(practices.flatMap((p) => p.assessments.map((a) => a.assessorId)))];
  const [cases, members] = await Promise.all([
    db.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, ref: true } }),
    db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, displayName: true, actorType: true, country: true, forgottenAt: true } }),
  ]);
  return practices.map((p) => ({
    ref: p.ref,
    platform: p.platformId,
    title: p.title,
    description: p.description,
    country: p.country,
    sector: p.sector,
    frame: p.frame,
    actors: strings(p.actors),
    results: p.results,
    observations: p.sources.flatMap((s) => (s.observationId ? [s.observationId] : [])),
    cases: p.sources.flatMap((s) => (s.caseId ? [cases.find((c) => c.id === s.caseId)?.ref ?? `#${s.caseId}`] : [])),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    assessments: p.assessments.map((a) => {
      const m = members.find((x) => x.id === a.assessorId);
      return {
        country: a.country,
        verdict: a.verdict,
        helping: a.helping,
        hindering: a.hindering,
        carriers: strings(a.carriers),
        assessor: m
          ? { displayName: isForgotten(m) ? formerMemberName(m) : m.displayName, actorType: m.actorType, country: m.country }
          : { displayName: null, actorType: null, country: null },
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      };
    }),
  }));
}

const PRACTICE_COLUMNS = [
  'ref', 'platform', 'title', 'description', 'country', 'sector', 'frame', 'actors', 'results', 'observations', 'cases', 'created_at',
  'assessment_country', 'assessment_verdict', 'assessment_helping', 'assessment_hindering', 'assessment_carriers',
  'assessor_name', 'assessor_actor_type', 'assessor_country', 'assessed_at', 'assessment_updated_at',
] as const;

function practiceRows(p: PracticeRecord): string[][] {
  const head = [
    p.ref, p.platform, p.title, p.description, p.country, cell(p.sector), p.frame, p.actors.join(';'), cell(p.results),
    p.observations.join(';'), p.cases.join(';'), p.createdAt,
  ];
  if (p.assessments.length === 0) return [[...head, ...Array(PRACTICE_COLUMNS.length - head.length).fill('')]];
  return p.assessments.map((a) => [
    ...head, a.country, a.verdict, cell(a.helping), cell(a.hindering), a.carriers.join(';'),
    cell(a.assessor.displayName), cell(a.assessor.actorType), cell(a.assessor.country), a.createdAt, a.updatedAt,
  ]);
}

// ---------------------------------------------------------------- the commands

/** A JSON array, one record a line. */
const jsonOf = (records: readonly unknown[]) => (records.length ? `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n` : '[]\n');
const csvOf = (columns: readonly string[], rows: string[][]) => stringify([[...columns], ...rows], { record_delimiter: 'windows' });

async function render(db: PrismaClient, kind: Kind, options: RecordOptions): Promise<string> {
  const csv = options.format === 'csv';
  if (kind === 'cases') {
    const records = await caseRecords(db, options.platform);
    return csv ? csvOf(CASE_COLUMNS, records.map(caseRow)) : jsonOf(records);
  }
  if (kind === 'indicators') {
    const records = await indicatorRecords(db, options.platform);
    return csv ? csvOf(INDICATOR_COLUMNS, records.map(indicatorRow)) : jsonOf(records);
  }
  const records = await practiceRecords(db, options.platform);
  return csv ? csvOf(PRACTICE_COLUMNS, records.flatMap(practiceRows)) : jsonOf(records);
}

const DESCRIPTIONS: Record<Kind, string> = {
  cases: 'the restructuring cases (ERM factsheets) with their observation counts and latest indicators date, oldest first',
  indicators: "the cases' indicator records (costs, results) with the efficiency derived from each, by case and date",
  practices: 'the innovative practices with their sources and their transferability assessments, oldest first',
};

export function registerExportRecords(exportCommand: Command, io: CliIo): void {
  for (const kind of RECORD_KINDS) {
    exportCommand
      .command(kind)
      .description(DESCRIPTIONS[kind])
      .option('--format <format>', `${RECORD_FORMATS.join(' or ')} (default: json)`)
      .option('--platform <id>', 'only this platform (an id of the platforms file, e.g. FR)')
      .option('--out <file>', 'write the export to this file instead of stdout')
      .action(async (raw: unknown) => {
        const options = parseInput(RecordOptions, raw);
        const env = loadEnv(io.env);
        await checkPlatformOption(env, options.platform);
        // Loaded here, not above, so that other commands and --help start quickly.
        const [{ writeFile }] = await Promise.all([import('node:fs/promises')]);
        const db = await openMigratedDb(env, io);
        let output: string;
        try {
          output = await render(db, kind, options);
        } finally {
          await db.$disconnect();
        }
        if (options.out) await writeFile(options.out, output, 'utf8');
        else if (!io.stdout.write(output)) await once(io.stdout as Writable, 'drain');
      });
  }
}
