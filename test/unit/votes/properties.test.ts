/**
 * Properties of the tally over random rules, electorates and ballots: it never throws, what it counts
 * adds up, participation stays within [0, 1], and the order of the ballots never matters (duplicates
 * aside: the last ballot of a voter wins, which the last property pins down).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTOR_TYPES } from '../../../src/core/vocabulary.js';
import { Rule, optionsOf, type RuleInput } from '../../../src/core/votes/rules.js';
import { tally, type Ballot, type Voter } from '../../../src/core/votes/tally.js';

const share = fc.integer({ min: 1, max: 100 }).map((n) => n / 100);
const decision = { threshold: fc.option(share, { nil: undefined }), abstentions: fc.constantFrom('counted' as const, 'excluded' as const) };
const quorum = fc.option(fc.record({ share }), { nil: undefined });

const ruleInput: fc.Arbitrary<RuleInput> = fc.oneof(
  fc.record({ kind: fc.constant('consent' as const), ...decision, quorum }),
  fc.record({ kind: fc.constant('majority' as const), ...decision, quorum }),
  fc.record({
    kind: fc.constant('multiCollege' as const),
    base: fc.constantFrom('consent' as const, 'majority' as const),
    ...decision,
    emptyColleges: fc.constantFrom('ignored' as const, 'rejects' as const),
    quorum: fc.option(fc.record({ share, per: fc.constantFrom('college' as const, 'overall' as const) }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('ranked' as const),
    options: fc.integer({ min: 2, max: 5 }).map((n) => ['current', ...Array.from({ length: n - 1 }, (_, i) => `A${i + 1}`)]),
    quorum,
  }),
);

/** A vote: a rule, the eligible members, and ballots from some of them (and from outsiders). */
const vote = ruleInput.map((input) => Rule.parse(input)).chain((rule) => {
  const options = optionsOf(rule);
  const choice: fc.Arbitrary<string | string[]> =
    rule.kind === 'ranked' ? fc.shuffledSubarray([...options], { minLength: 1 }) : fc.constantFrom(...options);
  const ballot = (voterId: string) =>
    fc.record({ voterId: fc.constant(voterId), choice, reason: fc.option(fc.constantFrom('Not consulted', 'Too vague', 'Breaks the law'), { nil: undefined }) });
  const eligible = fc.uniqueArray(
    fc.record({ voterId: fc.integer({ min: 1, max: 60 }).map((n) => `U${n}`), actorType: fc.constantFrom<string | null>(...ACTOR_TYPES, null, 'journalist') }),
    { maxLength: 40, selector: (v) => v.voterId },
  );
  return eligible.chain((voters: Voter[]) => {
    const ids = voters.map((v) => v.voterId);
    const voterIds = fc.uniqueArray(fc.oneof(ids.length ? fc.constantFrom(...ids) : fc.constant('X0'), fc.constantFrom('X1', 'X2')), { maxLength: 45 });
    const ballots = voterIds.chain((vs) => (vs.length ? fc.tuple(...vs.map(ballot)) : fc.constant([]))) as fc.Arbitrary<Ballot[]>;
    return fc.record({ rule: fc.constant(rule), eligible: fc.constant(voters), ballots });
  });
});

describe('tally properties', () => {
  it('never throws; counts add up to the ballots cast; participation is within [0, 1]', () => {
    fc.assert(
      fc.property(vote, ({ rule, eligible, ballots }) => {
        const r = tally(rule, eligible, ballots);
        const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
        expect(sum(r.counts)).toBe(r.cast);
        expect(r.cast + r.ignored.ineligible + r.ignored.invalid + r.ignored.duplicates).toBe(ballots.length);
        expect(r.ignored.duplicates).toBe(0);
        expect(r.participation).toBeGreaterThanOrEqual(0);
        expect(r.participation).toBeLessThanOrEqual(1);
        for (const round of r.rounds ?? []) expect(sum(round.counts) + round.exhausted).toBe(r.cast);
        if (r.colleges) {
          expect(r.colleges.reduce((a, c) => a + c.cast, 0)).toBe(r.cast);
          expect(r.colleges.reduce((a, c) => a + c.eligible, 0)).toBe(r.eligible);
          for (const c of r.colleges) expect(c.participation).toBeLessThanOrEqual(1);
        }
        if (r.outcome === 'adopted' && r.decision) expect(r.decision.counts.block ?? 0).toBe(0);
        if (r.winner) {
          const last = r.rounds!.at(-1)!;
          expect(last.counts[r.winner] * 2).toBeGreaterThan(r.cast - last.exhausted);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order of the ballots', () => {
    const shuffled = vote.chain((v) =>
      fc.record({ v: fc.constant(v), order: fc.shuffledSubarray(v.ballots, { minLength: v.ballots.length, maxLength: v.ballots.length }) }),
    );
    fc.assert(
      fc.property(shuffled, ({ v, order }) => {
        expect(tally(v.rule, v.eligible, order)).toEqual(tally(v.rule, v.eligible, v.ballots));
      }),
      { numRuns: 400 },
    );
  });

  it('with duplicates, counts only the last ballot of each voter', () => {
    const withRepeats = vote.chain((v) =>
      fc.record({ v: fc.constant(v), earlier: fc.subarray(v.ballots), replacement: fc.shuffledSubarray(v.ballots) }),
    );
    fc.assert(
      fc.property(withRepeats, ({ v, earlier, replacement }) => {
        // Earlier ballots are superseded by the vote's own ballots, which come last.
        const stale = [...earlier, ...replacement].map((b) => ({ ...b, reason: 'stale' }));
        const once = tally(v.rule, v.eligible, v.ballots);
        const repeated = tally(v.rule, v.eligible, [...stale, ...v.ballots]);
        const eligibleIds = new Set(v.eligible.map((e) => e.voterId));
        expect(repeated.ignored.duplicates).toBe(stale.filter((b) => eligibleIds.has(b.voterId)).length);
        expect({ ...repeated, ignored: null }).toEqual({ ...once, ignored: null });
      }),
      { numRuns: 300 },
    );
  });
});
