/**
 * Consent, majority and multi-college tallies on tables of cases with known outcomes, and the sifting
 * of ballots (ineligible, invalid, duplicates) common to every rule.
 */
import { describe, expect, it } from 'vitest';
import { Rule, type RuleInput } from '../../../src/core/votes/rules.js';
import { tally, type Outcome } from '../../../src/core/votes/tally.js';
import { group, merge, type Electorate } from './fixtures.js';

const run = (rule: RuleInput, e: Electorate) => tally(Rule.parse(rule), e.eligible, e.ballots);

describe('consent', () => {
  it.each<[string, RuleInput, Electorate, Outcome, number]>([
    ['agreement, no block', { kind: 'consent' }, group({ agree: 3, disagree: 1 }), 'adopted', 0.75],
    ['one block among many agrees', { kind: 'consent' }, group({ agree: 10, block: 1 }), 'rejected', 10 / 11],
    ['a block under unanimity of the others', { kind: 'consent', threshold: 0.5 }, group({ agree: 3, block: 1 }), 'rejected', 0.75],
    ['threshold exactly met (at least 60 %)', { kind: 'consent', threshold: 0.6 }, group({ agree: 3, disagree: 2 }), 'adopted', 0.6],
    ['threshold exactly met but strict (more than 60 %)', { kind: 'consent', threshold: 0.6, strict: true }, group({ agree: 3, disagree: 2 }), 'rejected', 0.6],
    ['two thirds exactly', { kind: 'consent', threshold: 2 / 3 }, group({ agree: 2, disagree: 1 }), 'adopted', 2 / 3],
    ['56 % exactly (14/25, where 0.56 × 25 > 14 in floating point)', { kind: 'consent', threshold: 0.56 }, group({ agree: 14, disagree: 11 }), 'adopted', 0.56],
    ['just under the threshold (13/24)', { kind: 'consent', threshold: 0.56 }, group({ agree: 13, disagree: 11 }), 'rejected', 13 / 24],
    ['abstentions counted (default): 2 of 4 is not more than half', { kind: 'consent' }, group({ agree: 2, abstain: 2 }), 'rejected', 0.5],
    ['abstentions excluded: 2 of 2', { kind: 'consent', abstentions: 'excluded' }, group({ agree: 2, abstain: 2 }), 'adopted', 1],
    ['everyone abstains, abstentions excluded: no base', { kind: 'consent', abstentions: 'excluded' }, group({ abstain: 3 }), 'rejected', 0],
    ['quorum not met (4 of 10 < 50 %)', { kind: 'consent', quorum: { share: 0.5 } }, group({ agree: 4 }, { silent: 6 }), 'no-quorum', 1],
    ['quorum exactly met (5 of 10)', { kind: 'consent', quorum: { share: 0.5 } }, group({ agree: 5 }, { silent: 5 }), 'adopted', 1],
    ['abstentions make the quorum', { kind: 'consent', quorum: { share: 0.5 } }, group({ agree: 2, abstain: 3 }, { silent: 5 }), 'rejected', 0.4],
    ['quorum met, a block', { kind: 'consent', quorum: { share: 0.5 } }, group({ agree: 5, block: 1 }, { silent: 2 }), 'rejected', 5 / 6],
  ])('%s', (_, rule, electorate, outcome, share) => {
    const result = run(rule, electorate);
    expect(result.outcome).toBe(outcome);
    expect(result.decision!.share).toBeCloseTo(share, 12);
  });

  it('reports counts, participation and the reasons of blocks (sorted, without voters)', () => {
    const e = merge(group({ agree: 4, abstain: 1 }, { silent: 2 }), { eligible: [{ voterId: 'B', actorType: 'union' }, { voterId: 'A', actorType: 'expert' }], ballots: [
      { voterId: 'B', choice: 'block', reason: 'Zero consultation of the works council' },
      { voterId: 'A', choice: 'block', reason: ' Against ILO convention 158 ' },
    ] });
    const result = run({ kind: 'consent', quorum: { share: 0.5 } }, e);
    expect(result).toMatchObject({
      outcome: 'rejected',
      counts: { agree: 4, abstain: 1, disagree: 0, block: 2 },
      eligible: 9,
      cast: 7,
      quorumMet: true,
      decision: { base: 7, blocked: true, thresholdMet: true, blocks: ['Against ILO convention 158', 'Zero consultation of the works council'] },
    });
    expect(result.participation).toBeCloseTo(7 / 9, 12);
    expect(JSON.stringify(result)).not.toMatch(/"(A|B)"/);
  });
});

describe('majority', () => {
  it.each<[string, RuleInput, Electorate, Outcome]>([
    ['a tie at exactly 50 %, more than half required (default)', { kind: 'majority' }, group({ approve: 2, reject: 2 }), 'rejected'],
    ['a tie at exactly 50 %, at least half required', { kind: 'majority', threshold: 0.5 }, group({ approve: 2, reject: 2 }), 'adopted'],
    ['a clear majority', { kind: 'majority' }, group({ approve: 3, reject: 2 }), 'adopted'],
    ['half with an abstention counted (2/5)', { kind: 'majority', threshold: 0.5 }, group({ approve: 2, reject: 2, abstain: 1 }), 'rejected'],
    ['half with the abstention excluded (2/4, at least half)', { kind: 'majority', threshold: 0.5, abstentions: 'excluded' }, group({ approve: 2, reject: 2, abstain: 1 }), 'adopted'],
    ['half with the abstention excluded (2/4, more than half)', { kind: 'majority', abstentions: 'excluded' }, group({ approve: 2, reject: 2, abstain: 1 }), 'rejected'],
    ['two thirds reached (6/9)', { kind: 'majority', threshold: 2 / 3 }, group({ approve: 6, reject: 3 }), 'adopted'],
    ['two thirds missed (5/8)', { kind: 'majority', threshold: 2 / 3 }, group({ approve: 5, reject: 3 }), 'rejected'],
    ['quorum missed by one', { kind: 'majority', quorum: { share: 0.75 } }, group({ approve: 2 }, { silent: 1 }), 'no-quorum'],
  ])('%s', (_, rule, electorate, outcome) => {
    expect(run(rule, electorate).outcome).toBe(outcome);
  });
});

describe('multi-college', () => {
  const employers = (c: Record<string, number>, silent = 0) => group(c, { actorType: 'employer', silent });
  const unions = (c: Record<string, number>, silent = 0) => group(c, { actorType: 'union', silent });
  const publics = (c: Record<string, number>, silent = 0) => group(c, { actorType: 'local-authority', silent });
  const experts = (c: Record<string, number>, silent = 0) => group(c, { actorType: 'consultant', silent });

  it.each<[string, RuleInput, Electorate, Outcome, Record<string, string>]>([
    [
      'every college reaches its threshold',
      { kind: 'multiCollege' },
      merge(employers({ approve: 2, reject: 1 }), unions({ approve: 3 }), publics({ approve: 1 }), experts({ approve: 2, reject: 1 })),
      'adopted',
      { employers: 'adopted', 'employee-representatives': 'adopted', 'public-authorities': 'adopted', 'experts-others': 'adopted' },
    ],
    [
      'the overall majority agrees (12/15) but the employers miss their threshold',
      { kind: 'multiCollege' },
      merge(employers({ approve: 1, reject: 3 }), unions({ approve: 5 }), publics({ approve: 3 }), experts({ approve: 3 })),
      'rejected',
      { employers: 'rejected', 'employee-representatives': 'adopted', 'public-authorities': 'adopted', 'experts-others': 'adopted' },
    ],
    [
      'a college misses its quorum although all its voters approve',
      { kind: 'multiCollege', quorum: { share: 0.5 } },
      merge(employers({ approve: 1 }, 3), unions({ approve: 2 }), publics({ approve: 1 }, 1), experts({ approve: 2 })),
      'no-quorum',
      { employers: 'no-quorum', 'employee-representatives': 'adopted', 'public-authorities': 'adopted', 'experts-others': 'adopted' },
    ],
    [
      'an overall quorum is met even though one college is thin',
      { kind: 'multiCollege', quorum: { share: 0.5, per: 'overall' } },
      merge(employers({ approve: 1 }, 3), unions({ approve: 4 }), publics({ approve: 2 }), experts({ approve: 2 })),
      'adopted',
      { employers: 'adopted', 'employee-representatives': 'adopted', 'public-authorities': 'adopted', 'experts-others': 'adopted' },
    ],
    [
      'a college without members is skipped (default)',
      { kind: 'multiCollege' },
      merge(employers({ approve: 1 }), unions({ approve: 1 }), experts({ approve: 1 })),
      'adopted',
      { employers: 'adopted', 'employee-representatives': 'adopted', 'public-authorities': 'empty', 'experts-others': 'adopted' },
    ],
    [
      'a college without members rejects when the rule says so',
      { kind: 'multiCollege', emptyColleges: 'rejects' },
      merge(employers({ approve: 1 }), unions({ approve: 1 }), experts({ approve: 1 })),
      'rejected',
      { employers: 'adopted', 'employee-representatives': 'adopted', 'public-authorities': 'empty', 'experts-others': 'adopted' },
    ],
    [
      'consent inside colleges: one block in one college rejects',
      { kind: 'multiCollege', base: 'consent' },
      merge(employers({ agree: 3 }), unions({ agree: 2, block: 1 }), publics({ agree: 1 }), experts({ agree: 2 })),
      'rejected',
      { employers: 'adopted', 'employee-representatives': 'rejected', 'public-authorities': 'adopted', 'experts-others': 'adopted' },
    ],
  ])('%s', (_, rule, electorate, outcome, colleges) => {
    const result = run(rule, electorate);
    expect(result.outcome).toBe(outcome);
    expect(Object.fromEntries(result.colleges!.map((c) => [c.id, c.outcome]))).toEqual(colleges);
  });

  it('reports tallies, participation and quorum per college, and the overall decision', () => {
    const e = merge(employers({ approve: 1, reject: 3 }), unions({ approve: 5 }, 5), publics({ approve: 3 }), experts({ approve: 3 }));
    const result = run({ kind: 'multiCollege', quorum: { share: 0.5 } }, e);
    expect(result).toMatchObject({ outcome: 'rejected', eligible: 20, cast: 15, quorumMet: true, decision: { share: 0.8, thresholdMet: true } });
    const unionsResult = result.colleges!.find((c) => c.id === 'employee-representatives')!;
    expect(unionsResult).toMatchObject({ label: 'Employee representatives', eligible: 10, cast: 5, participation: 0.5, quorumMet: true, counts: { approve: 5, reject: 0, abstain: 0 } });
    expect(result.colleges!.find((c) => c.id === 'employers')).toMatchObject({ share: 0.25, thresholdMet: false });
  });

  it('puts members without an actor type, or with an unknown one, in the fallback college', () => {
    const e = merge(group({ approve: 1 }, { actorType: null, prefix: 'n' }), group({ reject: 1 }, { actorType: 'journalist' }));
    const result = run(
      {
        kind: 'multiCollege',
        colleges: [
          { id: 'social-partners', label: 'Social partners', actorTypes: ['employer', 'union'] },
          { id: 'others', label: 'Others', actorTypes: [] },
        ],
        fallbackCollege: 'others',
      },
      e,
    );
    expect(result.colleges!.map((c) => [c.id, c.eligible, c.counts.approve, c.counts.reject])).toEqual([
      ['social-partners', 0, 0, 0],
      ['others', 2, 1, 1],
    ]);
    expect(result.outcome).toBe('rejected');
  });
});

describe('ballots that do not count', () => {
  const rule = { kind: 'consent' } as const;

  it('ignores ballots from non-eligible voters, and says how many', () => {
    const e = group({ agree: 2 });
    const result = run(rule, { eligible: e.eligible, ballots: [...e.ballots, { voterId: 'intruder', choice: 'block', reason: 'x' }] });
    expect(result).toMatchObject({ outcome: 'adopted', cast: 2, counts: { block: 0 }, ignored: { ineligible: 1, invalid: 0, duplicates: 0 } });
  });

  it('keeps the last of a voter’s ballots', () => {
    const e = group({ agree: 3 });
    const changed = [...e.ballots, { voterId: 'other-1', choice: 'disagree' }, { voterId: 'other-1', choice: 'block', reason: 'Changed my mind' }];
    const result = run(rule, { eligible: e.eligible, ballots: changed });
    expect(result).toMatchObject({ outcome: 'rejected', cast: 3, counts: { agree: 2, disagree: 0, block: 1 }, ignored: { duplicates: 2 } });
  });

  it('ignores an invalid ballot, which does not replace a valid one', () => {
    const e = group({ agree: 1 });
    const result = run(rule, { eligible: e.eligible, ballots: [...e.ballots, { voterId: 'other-1', choice: 'maybe' }] });
    expect(result).toMatchObject({ outcome: 'adopted', cast: 1, ignored: { invalid: 1, duplicates: 0 } });
  });

  it('still counts a block that reaches the tally without a reason (BallotInput refuses it earlier)', () => {
    const result = run(rule, { eligible: [{ voterId: 'U1', actorType: null }], ballots: [{ voterId: 'U1', choice: 'block' }] });
    expect(result).toMatchObject({ outcome: 'rejected', counts: { block: 1 }, decision: { blocks: [] } });
  });

  it('counts a voter listed twice among the eligible once', () => {
    const result = run(rule, { eligible: [{ voterId: 'U1', actorType: null }, { voterId: 'U1', actorType: 'union' }], ballots: [] });
    expect(result.eligible).toBe(1);
  });
});

describe('an empty vote', () => {
  it.each<[RuleInput, Outcome]>([
    [{ kind: 'consent' }, 'rejected'],
    [{ kind: 'majority', threshold: 0.1 }, 'rejected'],
    [{ kind: 'majority', quorum: { share: 0.1 } }, 'no-quorum'],
    [{ kind: 'multiCollege' }, 'rejected'],
    [{ kind: 'multiCollege', quorum: { share: 0.1 } }, 'no-quorum'],
    [{ kind: 'ranked', options: ['current', 'A1'] }, 'rejected'],
  ])('%j: %s, with zero participation', (rule, outcome) => {
    for (const eligible of [[], group({}, { silent: 3 }).eligible]) {
      const result = run(rule, { eligible, ballots: [] });
      expect(result).toMatchObject({ outcome, cast: 0, participation: 0, eligible: eligible.length });
      expect(Object.values(result.counts).every((n) => n === 0)).toBe(true);
    }
  });
});
