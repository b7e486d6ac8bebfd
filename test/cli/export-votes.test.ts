import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformsFile } from '../../src/config/platforms.js';
import { ClauseInput, createClause, proposeAmendment } from '../../src/core/clauses/clauses.js';
import { ClauseRef } from '../../src/core/clauses/numbering.js';
import { addMembers, createGroup } from '../../src/core/groups.js';
import { identify, setProfile } from '../../src/core/members.js';
import { PlatformDirectory } from '../../src/core/platforms.js';
import type { ActorType } from '../../src/core/vocabulary.js';
import { castBallot, closeVote, openVote, type VoteSettings } from '../../src/core/votes/votes.js';
import { openDb } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { parseCsv, passerelle, PLATFORMS_FILE } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-cli-export-votes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dbFile = join(tmp, 'seeded.db');
const vars = { DATABASE_URL: `file:${dbFile}` };
const CLOSED_AT = '2026-03-10T12:00:00.000Z';

/** Vote ids, by name; the members; the voter keys of the anonymous vote's ballots. */
const votes: Record<string, number> = {};
const members = { ana: { id: 0, name: 'Ana Ferreira', externalId: 'U0ANA01' }, bob: { id: 0, name: 'Bob Martin', externalId: 'U0BOB02' } };
let anonymousKeys: string[] = [];
let amendment = 0;

const exportJson = async (...args: string[]) => {
  const result = await passerelle(['export', 'votes', ...args], vars);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Array<Record<string, any>>;
};

beforeAll(async () => {
  await migrate(dbFile);
  const db = openDb(dbFile);
  try {
    const platforms = new PlatformDirectory(loadPlatformsFile(PLATFORMS_FILE));
    const fr = platforms.get('FR')!;
    const member = async (externalId: string, displayName: string, actorType: ActorType, organisation: string) =>
      setProfile(db, (await identify(db, { channel: 'slack', workspace: 'T01', externalId, displayName })).id, { actorType, organisation, country: 'FR', language: 'fr' });
    const ana = await member(members.ana.externalId, members.ana.name, 'union', 'CGT');
    const bob = await member(members.bob.externalId, members.bob.name, 'employer', 'Acme');
    members.ana.id = ana.id;
    members.bob.id = bob.id;
    const group = await createGroup(db, 'FR', ana, { name: 'Anticipation', scope: 'platform' });
    await addMembers(db, { platformId: 'FR', groupName: 'Anticipation', by: ana, mentions: [members.bob.externalId], where: { channel: 'slack', workspace: 'T01' } });

    const clause = (stage: string, title: string) => createClause(db, { platformId: 'FR', author: ana, input: ClauseInput.parse({ stage, title, text: `${title}: text`, groupId: group.id }) });
    await clause('anticipation', 'Open and hidden'); // FR-1.1
    await clause('preparation', 'Early information'); // FR-2.1
    await clause('preparation', 'Secret ballot'); // FR-2.2
    await clause('implementation', 'Ranked texts'); // FR-3.1
    amendment = (await proposeAmendment(db, { ref: ClauseRef.parse('FR-3.1'), author: bob, input: { text: 'Better text', reason: 'Clearer' } })).id;

    const settings = (rule: object, more: Partial<VoteSettings> = {}): VoteSettings => ({
      rule: rule as never,
      eligibility: 'group',
      anonymous: false,
      resultsHidden: false,
      reasonRequired: false,
      closesAt: new Date(Date.now() + 3_600_000),
      ...more,
    });
    const vote = async (name: string, ref: string, s: VoteSettings, choices: Array<[typeof ana, string | string[], string?]>, close = true) => {
      const v = await openVote(db, { ref: ClauseRef.parse(ref), by: ana, platform: fr, channel: 'slack', conversationId: 'C01FRANCE', settings: s });
      votes[name] = v.id;
      for (const [who, choice, reason] of choices) await castBallot(db, { voteId: v.id, member: who, choice, reason, platforms });
      return close ? closeVote(db, platforms, v.id, new Date(CLOSED_AT)) : undefined;
    };

    // FR-2.1: a vote without quorum (back to draft), then a named multi-college vote that adopts it.
    expect((await vote('noQuorum', 'FR-2.1', settings({ kind: 'majority', quorum: { share: 1 } }), [[ana, 'approve']]))?.outcome).toBe('no-quorum');
    const colleges = await vote('colleges', 'FR-2.1', settings({ kind: 'multiCollege', base: 'majority', threshold: 0.5 }), [
      [ana, 'approve', 'Workers must know first'],
      [bob, 'reject'],
    ]);
    expect(colleges?.outcome).toBe('rejected');
    // FR-2.2: a named vote without quorum, then an anonymous one.
    await vote('named22', 'FR-2.2', settings({ kind: 'majority', quorum: { share: 1 } }), [[bob, 'abstain']]);
    await vote('anonymous', 'FR-2.2', settings({ kind: 'majority' }, { anonymous: true }), [
      [ana, 'approve', 'A reason of Ana'],
      [bob, 'approve'],
    ], false);
    anonymousKeys = (await db.ballot.findMany({ where: { voteId: votes.anonymous }, select: { voterKey: true } })).map((b) => b.voterKey);
    expect(anonymousKeys).toHaveLength(2);
    expect((await closeVote(db, platforms, votes.anonymous!, new Date(CLOSED_AT)))?.outcome).toBe('adopted');
    // FR-1.1: open, results hidden, one ballot of two.
    await vote('hidden', 'FR-1.1', settings({ kind: 'majority' }, { resultsHidden: true }), [[bob, 'reject', 'Too early']], false);
    // FR-3.1: ranked, the amendment wins.
    expect(
      (await vote('ranked', 'FR-3.1', settings({ kind: 'ranked' }), [
        [ana, [`A${amendment}`, 'current']],
        [bob, [`A${amendment}`]],
      ]))?.winner,
    ).toBe(`A${amendment}`);
  } finally {
    await db.$disconnect();
  }
});

describe('passerelle export votes', () => {
  it('exports every vote on the clause, oldest first, with the outcome, participation, counts and colleges of a closed one (JSON by default)', async () => {
    const records = await exportJson('fr-2.1');
    expect(records.map((r) => r.id)).toEqual([votes.noQuorum, votes.colleges]);
    expect(records[0]).toMatchObject({ clause: 'FR-2.1', rule: 'majority', status: 'closed', outcome: 'no-quorum', quorumMet: false, participation: { cast: 1, eligible: 2, share: 0.5 } });
    const record = records[1]!;
    expect(Object.keys(record)).toEqual([
      'id',
      'clause',
      'rule',
      'eligibility',
      'anonymous',
      'resultsHidden',
      'status',
      'openedAt',
      'closesAt',
      'closedAt',
      'outcome',
      'participation',
      'quorumMet',
      'counts',
      'colleges',
      'rounds',
      'winner',
    ]);
    expect(record).toMatchObject({
      id: votes.colleges,
      clause: 'FR-2.1',
      rule: 'multiCollege',
      eligibility: 'group',
      anonymous: false,
      resultsHidden: false,
      status: 'closed',
      closedAt: CLOSED_AT,
      outcome: 'rejected',
      participation: { cast: 2, eligible: 2, share: 1 },
      quorumMet: true,
      counts: { approve: 1, reject: 1, abstain: 0 },
      rounds: null,
      winner: null,
    });
    expect(record.openedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record.colleges).toEqual([
      { id: 'employers', label: 'Employers', outcome: 'rejected', cast: 1, eligible: 1, counts: { approve: 0, reject: 1, abstain: 0 } },
      { id: 'employee-representatives', label: 'Employee representatives', outcome: 'adopted', cast: 1, eligible: 1, counts: { approve: 1, reject: 0, abstain: 0 } },
      { id: 'public-authorities', label: 'Public authorities', outcome: 'empty', cast: 0, eligible: 0, counts: { approve: 0, reject: 0, abstain: 0 } },
      { id: 'experts-others', label: 'Experts and others', outcome: 'empty', cast: 0, eligible: 0, counts: { approve: 0, reject: 0, abstain: 0 } },
    ]);
    expect(record).not.toHaveProperty('ballots');
    expect(JSON.stringify(records)).not.toContain(members.ana.name);
  });

  it('gives the rounds and the winner of a ranked vote', async () => {
    const [record] = await exportJson('FR-3.1');
    expect(record).toMatchObject({ rule: 'ranked', outcome: 'adopted', winner: `A${amendment}`, counts: { current: 0, [`A${amendment}`]: 2 }, colleges: null });
    expect(record!.rounds).toEqual([{ counts: { current: 0, [`A${amendment}`]: 2 }, exhausted: 0, eliminated: null }]);
  });

  it('gives only the participation of an open vote whose results are hidden', async () => {
    const result = await passerelle(['export', 'votes', 'FR-1.1'], vars);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [record] = JSON.parse(result.stdout) as Array<Record<string, any>>;
    expect(record).toMatchObject({
      id: votes.hidden,
      status: 'open',
      resultsHidden: true,
      closedAt: null,
      outcome: null,
      quorumMet: null,
      participation: { cast: 1, eligible: 2, share: 0.5 },
      counts: null,
      colleges: null,
      rounds: null,
    });
    expect(result.stdout).not.toMatch(/reject|approve|Too early/);

    // With --voters: who has voted, not what.
    const [withVoters] = await exportJson('FR-1.1', '--voters');
    expect(withVoters!.counts).toBeNull();
    expect(withVoters!.ballots).toEqual([{ name: members.bob.name, actorType: 'employer', choice: null, reason: null, castAt: expect.any(String), updatedAt: expect.any(String) }]);
  });

  it('adds the ballots of named votes with --voters: member, actor type, choice, reason, times', async () => {
    const records = await exportJson('FR-2.1', '--voters');
    expect(records[0]!.ballots).toEqual([{ name: members.ana.name, actorType: 'union', choice: 'approve', reason: null, castAt: expect.any(String), updatedAt: expect.any(String) }]);
    expect(records[1]!.ballots).toEqual([
      { name: members.ana.name, actorType: 'union', choice: 'approve', reason: 'Workers must know first', castAt: expect.any(String), updatedAt: expect.any(String) },
      { name: members.bob.name, actorType: 'employer', choice: 'reject', reason: null, castAt: expect.any(String), updatedAt: expect.any(String) },
    ]);
    expect(records[1]!.ballots[0].castAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const [ranked] = await exportJson('FR-3.1', '--voters');
    expect(ranked!.ballots.map((b: { choice: unknown }) => b.choice)).toEqual([[`A${amendment}`, 'current'], [`A${amendment}`]]);
  });

  it('refuses --voters when a vote on the clause is anonymous: exit 2, nothing on stdout, no --out file', async () => {
    const out = join(tmp, 'never-written.json');
    for (const format of ['json', 'csv']) {
      const result = await passerelle(['export', 'votes', 'FR-2.2', '--voters', '--format', format, '--out', out], vars);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `passerelle export votes: vote #${votes.anonymous} on FR-2.2 is anonymous: no record links a member to a choice. Export without --voters for its tallies and participation.\n`,
      );
      expect(existsSync(out)).toBe(false);
      for (const leak of [members.ana.name, members.bob.name, members.ana.externalId, members.bob.externalId, 'A reason of Ana', ...anonymousKeys]) {
        expect(result.stderr).not.toContain(leak);
      }
    }
  });

  it('exports the tallies and participation of an anonymous vote without --voters, and nothing that names a voter', async () => {
    const out = join(tmp, 'anonymous.json');
    const result = await passerelle(['export', 'votes', 'FR-2.2', '--out', out], vars);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const text = readFileSync(out, 'utf8');
    const records = JSON.parse(text) as Array<Record<string, any>>;
    expect(records.map((r) => r.id)).toEqual([votes.named22, votes.anonymous]);
    expect(records[1]).toMatchObject({ anonymous: true, outcome: 'adopted', participation: { cast: 2, eligible: 2 }, counts: { approve: 2, reject: 0, abstain: 0 } });
    const csv = await passerelle(['export', 'votes', 'FR-2.2', '--format', 'csv'], vars);
    expect(csv.code).toBe(0);
    for (const output of [text, csv.stdout]) {
      for (const leak of [members.ana.name, members.bob.name, members.ana.externalId, members.bob.externalId, 'A reason of Ana', 'Ana', 'Bob', ...anonymousKeys]) {
        expect(output).not.toContain(leak);
      }
      expect(output).not.toMatch(/voter|member|ballot/i);
    }
    // No member id: nothing but the vote's own fields, none of which is a member's.
    for (const record of records) {
      expect(record).not.toHaveProperty('ballots');
      expect(Object.keys(record)).not.toContain('openedBy');
    }
  });

  it('writes CSV: one row per vote and option, per college and option, per round and option (and per ballot with --voters)', async () => {
    const result = await passerelle(['export', 'votes', 'FR-2.1', '--format', 'csv'], vars);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/\r\n$/);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual([
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
    ]);
    const objects = rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i]])));
    // No quorum: 3 options; multi-college: 3 options overall + 4 colleges × 3 options.
    expect(objects).toHaveLength(3 + 3 + 12);
    expect(objects[0]).toMatchObject({ vote_id: String(votes.noQuorum), section: 'total', outcome: 'no-quorum', quorum_met: 'false', eligible: '2', cast: '1', option: 'approve', count: '1' });
    const colleges = objects.filter((o) => o.vote_id === String(votes.colleges));
    expect(colleges.filter((o) => o.section === 'total').map((o) => [o.option, o.count])).toEqual([
      ['approve', '1'],
      ['reject', '1'],
      ['abstain', '0'],
    ]);
    expect(colleges.find((o) => o.section === 'college' && o.college_id === 'employers' && o.option === 'reject')).toMatchObject({
      clause: 'FR-2.1',
      rule: 'multiCollege',
      anonymous: 'false',
      status: 'closed',
      closed_at: CLOSED_AT,
      outcome: 'rejected',
      college_label: 'Employers',
      college_outcome: 'rejected',
      round: '',
      eligible: '1',
      cast: '1',
      count: '1',
    });

    // An open vote with hidden results: one row, participation only.
    const hidden = parseCsv((await passerelle(['export', 'votes', 'FR-1.1', '--format', 'csv'], vars)).stdout);
    expect(hidden).toHaveLength(2);
    expect(Object.fromEntries(hidden[0]!.map((c, i) => [c, hidden[1]![i]]))).toMatchObject({ status: 'open', section: 'total', eligible: '2', cast: '1', option: '', count: '', outcome: '' });

    // Ranked: the rounds; with --voters, one row per ballot, a ranking joined with ' > '.
    const ranked = parseCsv((await passerelle(['export', 'votes', 'FR-3.1', '--format', 'csv', '--voters'], vars)).stdout);
    const [rankedHeader, ...rankedRows] = ranked;
    expect(rankedHeader!.slice(-6)).toEqual(['voter_name', 'voter_actor_type', 'choice', 'reason', 'cast_at', 'updated_at']);
    const rankedObjects = rankedRows.map((row) => Object.fromEntries(rankedHeader!.map((column, i) => [column, row[i]])));
    expect(rankedObjects.filter((o) => o.section === 'round').map((o) => [o.round, o.option, o.count])).toEqual([
      ['1', 'current', '0'],
      ['1', `A${amendment}`, '2'],
    ]);
    expect(rankedObjects.filter((o) => o.section === 'ballot').map((o) => [o.voter_name, o.voter_actor_type, o.choice])).toEqual([
      [members.ana.name, 'union', `A${amendment} > current`],
      [members.bob.name, 'employer', `A${amendment}`],
    ]);
    expect(rankedObjects.every((o) => o.winner === `A${amendment}`)).toBe(true);
  });
});

describe('passerelle export votes, wrong input (exit 2, nothing written)', () => {
  const untouched = join(tmp, 'never', 'created.db');
  const wrong = async (args: string[], env: Record<string, string> = { DATABASE_URL: `file:${untouched}` }) => {
    const result = await passerelle(['export', 'votes', ...args], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(existsSync(untouched)).toBe(false);
    return result.stderr;
  };

  it('explains the form of a clause number', async () => {
    const stderr = await wrong(['FR-9']);
    expect(stderr).toContain('passerelle export votes: "FR-9" is not a clause number: write the code, the stage (1 to 4) and the clause\'s number, e.g. FR-2.3');
    expect(stderr).toContain('passerelle export votes --help');
    expect(await wrong(['FR-5.1'])).toContain('"FR-5.1" is not a clause number');
  });

  it('names the accepted formats, and reports every problem at once', async () => {
    expect(await wrong(['FR-2.1', '--format', 'xml'])).toContain('--format: must be json or csv, not "xml"');
    const stderr = await wrong(['FR-9', '--format', 'xml']);
    expect(stderr).toContain('"FR-9" is not a clause number');
    expect(stderr).toContain('--format: must be json or csv');
  });

  it('says there is no such clause, and how to find the clauses, writing no file', async () => {
    const out = join(tmp, 'no-clause.json');
    const stderr = await wrong(['FR-4.9', '--out', out], vars);
    expect(stderr).toContain('passerelle export votes: there is no clause FR-4.9\n');
    expect(stderr).toContain('`/passerelle code FR`');
    expect(existsSync(out)).toBe(false);
    expect(await wrong(['ZZ-1.1'])).toContain('there is no platform ZZ');
  });

  it('needs the clause', async () => {
    expect(await wrong([])).toContain("missing required argument 'clause'");
  });
});
