/**
 * `passerelle export votes FR-2.1`: every vote on one clause (open or closed, oldest first), as
 * pretty JSON (one record a vote) or CSV, for the secretariat.
 *
 * - A closed vote gives its stored result (src/core/votes/tally.ts `Result`): outcome, participation,
 *   quorum, counts per option, per college (multi-college) and the rounds and winner (ranked).
 * - An open vote gives its participation (ballots cast ÷ members who may vote now), and its counts so
 *   far (ranked: first preferences), unless its results are hidden: then participation only.
 * - `--voters` adds the ballots of named votes (member, actor type, choice, reason, times); for an open
 *   vote whose results are hidden, who has voted but not the choice nor the reason. It is refused
 *   (exit 2, nothing written) when any vote on the clause is anonymous: no export links a member to a
 *   choice of an anonymous vote.
 *
 * CSV, one flat table in long form (RFC 4180, CRLF), every row carrying its vote's columns; `section`
 * says what the row counts:
 * - `total`: one row per option of the vote (option, count), with its eligible and cast; an open vote
 *   with hidden results has a single `total` row, option and count empty;
 * - `college`: one row per college and option (multi-college, closed), with the college's eligible
 *   and cast;
 * - `round`: one row per instant-runoff round and option still in the count (ranked, closed);
 * - `ballot` (with --voters): one row per ballot, a ranking written `current > A2`.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import { ClauseRef } from '../core/clauses/numbering.js';
import type { Db } from '../core/groups.js';
import { optionsOf, type Rule } from '../core/votes/rules.js';
import { electorateSize } from '../core/votes/votes.js';
import type { Outcome, Result, Round } from '../core/votes/tally.js';
import type { Clause, Vote } from '../db/client.js';
import type { CliIo } from './main.js';
import { openMigratedDb } from './database.js';
import { parseInput, UsageError } from './usage-error.js';

export const VOTES_FORMATS = ['json', 'csv'] as const;

const VotesOptions = z
  .object({
    format: z
      .enum(VOTES_FORMATS, {
        error: (issue) => `must be ${VOTES_FORMATS.join(' or ')}, not ${JSON.stringify(issue.input)}`,
      })
      .default('json'),
    voters: z.boolean().default(false),
    out: z.string().trim().min(1, 'must name a file').optional(),
  })
  .strict();

/** The clause argument: ClauseRef, with a message for the command line (ClauseRef's is a locale key). */
const ClauseArg = z.string().transform((value, ctx) => {
  const parsed = ClauseRef.safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not a clause number: write the code, the stage (1 to 4) and the clause's number, e.g. FR-2.3`,
  });
  return z.NEVER;
});

export interface CollegeRecord {
  id: string;
  label: string;
  outcome: string;
  cast: number;
  eligible: number;
  counts: Record<string, number>;
}

export interface BallotRecord {
  name: string | null;
  actorType: string | null;
  /** The option; for a ranked vote the ranking, best first. Null while an open vote's results are hidden. */
  choice: string | string[] | null;
  reason: string | null;
  /** When the member first voted; `updatedAt`: when they last changed it (the same when they never did). */
  castAt: string;
  updatedAt: string;
}

/** One exported vote. */
export interface VoteRecord {
  id: number;
  clause: string;
  /** The rule's kind: consent, majority, ranked or multiCollege. */
  rule: Rule['kind'];
  eligibility: string;
  anonymous: boolean;
  resultsHidden: boolean;
  status: 'open' | 'closed';
  openedAt: string;
  closesAt: string;
  closedAt: string | null;
  /** Null while the vote is open. */
  outcome: Outcome | null;
  /** share = cast ÷ eligible (0 when nobody may vote). */
  participation: { cast: number; eligible: number; share: number };
  /** Null while the vote is open. */
  quorumMet: boolean | null;
  /** Votes per option (ranked: first preferences); null while an open vote's results are hidden. */
  counts: Record<string, number> | null;
  /** Multi-college, once closed; otherwise null. */
  colleges: CollegeRecord[] | null;
  /** Ranked, once closed; otherwise null. */
  rounds: Round[] | null;
  winner: string | null;
  /** With --voters only. */
  ballots?: BallotRecord[];
}

interface BallotRow {
  voterKey: string;
  choice: unknown;
  reason: string | null;
  castAt: Date;
  updatedAt: Date;
}

/**
 * A vote as exported. `eligible`: for an open vote, how many may vote now; `ballots`: its ballot rows;
 * `voters`: the named ballots with their members, when asked for (never for an anonymous vote).
 */
export function voteRecord(
  vote: Pick<Vote, 'id' | 'rule' | 'eligibility' | 'anonymous' | 'resultsHidden' | 'status' | 'createdAt' | 'closesAt' | 'closedAt' | 'result'>,
  ref: string,
  live: { eligible: number; ballots: readonly Pick<BallotRow, 'choice'>[] },
  voters?: BallotRecord[],
): VoteRecord {
  const rule = vote.rule as unknown as Rule;
  const result = vote.status === 'closed' ? (vote.result as unknown as Result | null) : null;
  const common = {
    id: vote.id,
    clause: ref,
    rule: rule.kind,
    eligibility: vote.eligibility,
    anonymous: vote.anonymous,
    resultsHidden: vote.resultsHidden,
    status: vote.status === 'closed' ? ('closed' as const) : ('open' as const),
    openedAt: vote.createdAt.toISOString(),
    closesAt: vote.closesAt.toISOString(),
    closedAt: vote.closedAt?.toISOString() ?? null,
  };
  const withVoters = (r: VoteRecord): VoteRecord => (voters ? { ...r, ballots: voters } : r);
  if (result) {
    return withVoters({
      ...common,
      outcome: result.outcome,
      participation: { cast: result.cast, eligible: result.eligible, share: result.participation },
      quorumMet: result.quorumMet,
      counts: result.counts,
      colleges: result.colleges?.map((c) => ({ id: c.id, label: c.label, outcome: c.outcome, cast: c.cast, eligible: c.eligible, counts: c.counts })) ?? null,
      rounds: result.rounds ?? null,
      winner: result.winner ?? null,
    });
  }
  // Open: what the vote card shows (ranked ballots count for their first preference).
  const cast = live.ballots.length;
  let counts: Record<string, number> | null = null;
  if (!vote.resultsHidden) {
    counts = Object.fromEntries(optionsOf(rule).map((o) => [o, 0]));
    for (const b of live.ballots) {
      const choice = Array.isArray(b.choice) ? String(b.choice[0]) : String(b.choice);
      counts[choice] = (counts[choice] ?? 0) + 1;
    }
  }
  return withVoters({
    ...common,
    outcome: null,
    participation: { cast, eligible: live.eligible, share: live.eligible === 0 ? 0 : cast / live.eligible },
    quorumMet: null,
    counts,
    colleges: null,
    rounds: null,
    winner: null,
  });
}

/** The CSV columns, in order; the voter columns only with --voters. */
export const CSV_COLUMNS = [
  'vote_id',
  'clause',
  'rule',
  'eligibility',
  'anonymous',
  'results_hidden',
  'status',
  'opened_at',
  'closes_at',
  'closed_at',
  'outcome',
  'quorum_met',
  'winner',
  'section',
  'college_id',
  'college_label',
  'college_outcome',
  'round',
  'eligible',
  'cast',
  'option',
  'count',
] as const;
export const CSV_VOTER_COLUMNS = ['voter_name', 'voter_actor_type', 'choice', 'reason', 'cast_at', 'updated_at'] as const;

type CsvRow = Record<string, string>;
const cell = (v: string | number | boolean | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** A vote as CSV rows (see the top of the file). */
export function csvRows(r: VoteRecord): CsvRow[] {
  const vote: CsvRow = {
    vote_id: cell(r.id),
    clause: r.clause,
    rule: r.rule,
    eligibility: r.eligibility,
    anonymous: cell(r.anonymous),
    results_hidden: cell(r.resultsHidden),
    status: r.status,
    opened_at: r.openedAt,
    closes_at: r.closesAt,
    closed_at: cell(r.closedAt),
    outcome: cell(r.outcome),
    quorum_met: cell(r.quorumMet),
    winner: cell(r.winner),
  };
  const rows: CsvRow[] = [];
  const participation = { eligible: cell(r.participation.eligible), cast: cell(r.participation.cast) };
  if (r.counts) for (const [option, count] of Object.entries(r.counts)) rows.push({ ...vote, section: 'total', ...participation, option, count: cell(count) });
  else rows.push({ ...vote, section: 'total', ...participation });
  for (const c of r.colleges ?? []) {
    const college = { college_id: c.id, college_label: c.label, college_outcome: c.outcome, eligible: cell(c.eligible), cast: cell(c.cast) };
    for (const [option, count] of Object.entries(c.counts)) rows.push({ ...vote, section: 'college', ...college, option, count: cell(count) });
  }
  (r.rounds ?? []).forEach((round, i) => {
    for (const [option, count] of Object.entries(round.counts)) rows.push({ ...vote, section: 'round', round: cell(i + 1), option, count: cell(count) });
  });
  for (const b of r.ballots ?? []) {
    rows.push({
      ...vote,
      section: 'ballot',
      voter_name: cell(b.name),
      voter_actor_type: cell(b.actorType),
      choice: Array.isArray(b.choice) ? b.choice.join(' > ') : cell(b.choice),
      reason: cell(b.reason),
      cast_at: b.castAt,
      updated_at: b.updatedAt,
    });
  }
  return rows;
}

/** RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line break. */
export function votesCsv(records: readonly VoteRecord[], voters: boolean): string {
  const columns = voters ? [...CSV_COLUMNS, ...CSV_VOTER_COLUMNS] : [...CSV_COLUMNS];
  const rows = records.flatMap(csvRows).map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? ''])));
  return stringify(rows, { header: true, columns, record_delimiter: 'windows' });
}

/** Ids per query: SQLite caps the bound parameters of one statement. */
const IDS_PER_QUERY = 500;

/** The named ballots of a vote with their members, first cast first. */
async function namedBallots(db: Db, vote: Pick<Vote, 'status' | 'resultsHidden'>, ballots: readonly BallotRow[]): Promise<BallotRecord[]> {
  const ids = [...new Set(ballots.map((b) => Number(b.voterKey)).filter(Number.isInteger))];
  const members = new Map<number, { displayName: string | null; actorType: string | null }>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const found = await db.member.findMany({ where: { id: { in: ids.slice(i, i + IDS_PER_QUERY) } }, select: { id: true, displayName: true, actorType: true } });
    for (const m of found) members.set(m.id, m);
  }
  // While the results of an open vote are hidden, who has voted, not what.
  const hidden = vote.status !== 'closed' && vote.resultsHidden;
  return [...ballots]
    .sort((a, b) => a.castAt.getTime() - b.castAt.getTime() || Number(a.voterKey) - Number(b.voterKey))
    .map((b) => {
      const member = members.get(Number(b.voterKey));
      return {
        name: member?.displayName ?? null,
        actorType: member?.actorType ?? null,
        choice: hidden ? null : (b.choice as string | string[]),
        reason: hidden ? null : b.reason,
        castAt: b.castAt.toISOString(),
        updatedAt: b.updatedAt.toISOString(),
      };
    });
}

/** `passerelle export votes`, under `passerelle export`. */
export function registerExportVotes(exportCommand: Command, io: CliIo): void {
  exportCommand
    .command('votes')
    .description('the votes on a clause, open or closed: rule, participation, outcome, counts (per college, ranked rounds)')
    .argument('<clause>', 'the clause number, e.g. FR-2.1')
    .option('--format <format>', `${VOTES_FORMATS.join(' or ')} (default: json)`)
    .option('--voters', 'also the ballots of named votes: who chose what (refused if a vote on the clause is anonymous)')
    .option('--out <file>', 'write the export to this file instead of stdout')
    .action(async (clauseArg: unknown, raw: Record<string, unknown>) => {
      // Every problem of the input at once: the clause number, then the options.
      const problems: string[] = [];
      const parsedRef = ClauseArg.safeParse(clauseArg);
      if (!parsedRef.success) problems.push(...parsedRef.error.issues.map((i) => i.message));
      let options: z.output<typeof VotesOptions> | undefined;
      try {
        options = parseInput(VotesOptions, raw);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.problems);
      }
      if (problems.length || !parsedRef.success || !options) throw new UsageError(problems);
      const ref = parsedRef.data;

      const env = loadEnv(io.env);
      const { loadPlatformsFile } = await import('../config/platforms.js');
      const platforms = loadPlatformsFile(env.PLATFORMS_FILE);
      if (!platforms.some((p) => p.id === ref.code)) {
        throw new UsageError(
          [`there is no clause ${ref.ref}: there is no platform ${ref.code} in ${env.PLATFORMS_FILE}`],
          `A clause number starts with the id of its platform: ${platforms.map((p) => p.id).join(', ')}.`,
        );
      }

      // Loaded here, not above, so that other commands and --help start quickly.
      const [{ writeFile }] = await Promise.all([import('node:fs/promises')]);
      const db = await openMigratedDb(env, io);
      let output: string;
      try {
        const clause = await db.clause.findUnique({
          where: { code_stage_number: { code: ref.code, stage: ref.stage, number: ref.number } },
          include: {
            votes: {
              orderBy: { id: 'asc' },
              include: { ballots: { select: { voterKey: true, choice: true, reason: true, castAt: true, updatedAt: true } } },
            },
          },
        });
        if (!clause) {
          throw new UsageError(
            [`there is no clause ${ref.ref}`],
            `To see the clauses of the ${ref.code} code, type \`/passerelle code ${ref.code}\` in a chat channel of Passerelle.`,
          );
        }
        if (options.voters) {
          const anonymous = clause.votes.find((v) => v.anonymous);
          if (anonymous) {
            throw new UsageError([
              `vote #${anonymous.id} on ${ref.ref} is anonymous: no record links a member to a choice. Export without --voters for its tallies and participation.`,
            ]);
          }
        }
        const records: VoteRecord[] = [];
        for (const vote of clause.votes) {
          const eligible = vote.status === 'closed' ? 0 : await electorateSize(db, vote, clause);
          const voters = options.voters && !vote.anonymous ? await namedBallots(db, vote, vote.ballots) : undefined;
          records.push(voteRecord(vote, ref.ref, { eligible, ballots: vote.ballots }, voters));
        }
        output = options.format === 'csv' ? votesCsv(records, options.voters) : `${JSON.stringify(records, null, 2)}\n`;
      } finally {
        await db.$disconnect();
      }
      // Written only once complete: an error above leaves no file.
      if (options.out) await writeFile(options.out, output, 'utf8');
      else if (!io.stdout.write(output)) await once(io.stdout as Writable, 'drain');
    });
}
