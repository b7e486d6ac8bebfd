/**
 * The rule of a vote and the ballot under it: defaults as documented in rules.ts, and every refusal
 * with its error key.
 */
import { describe, expect, it } from 'vitest';
import { ACTOR_TYPES } from '../../../src/core/vocabulary.js';
import { BallotInput, DEFAULT_COLLEGES, Rule, type RuleInput } from '../../../src/core/votes/rules.js';

/** Issues of a failed parse as `path: message`. */
function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string[] {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

describe('Rule', () => {
  it.each<[string, RuleInput, { threshold: number; strict: boolean }]>([
    ['no threshold: more than half', { kind: 'majority' }, { threshold: 0.5, strict: true }],
    ['a threshold alone: at least that share', { kind: 'consent', threshold: 2 / 3 }, { threshold: 2 / 3, strict: false }],
    ['at least half, said explicitly', { kind: 'majority', threshold: 0.5, strict: false }, { threshold: 0.5, strict: false }],
    ['more than 60 %', { kind: 'majority', threshold: 0.6, strict: true }, { threshold: 0.6, strict: true }],
    ['unanimity', { kind: 'consent', threshold: 1 }, { threshold: 1, strict: false }],
  ])('%s', (_, input, expected) => {
    expect(Rule.parse(input)).toMatchObject({ ...expected, abstentions: 'counted' });
  });

  it('multi-college defaults: majority inside the four colleges of the issue, quorum per college', () => {
    const rule = Rule.parse({ kind: 'multiCollege', quorum: { share: 0.3 } });
    expect(rule).toMatchObject({
      base: 'majority',
      threshold: 0.5,
      strict: true,
      fallbackCollege: 'experts-others',
      emptyColleges: 'ignored',
      quorum: { share: 0.3, per: 'college' },
    });
    expect(rule.kind === 'multiCollege' && rule.colleges.map((c) => [c.id, c.label, c.actorTypes])).toEqual([
      ['employers', 'Employers', ['employer']],
      ['employee-representatives', 'Employee representatives', ['union']],
      ['public-authorities', 'Public authorities', ['public-authority', 'local-authority', 'employment-service']],
      ['experts-others', 'Experts and others', ['expert', 'consultant', 'other']],
    ]);
  });

  it('the default colleges hold every actor type exactly once', () => {
    expect(DEFAULT_COLLEGES.flatMap((c) => c.actorTypes).sort()).toEqual([...ACTOR_TYPES].sort());
  });

  it('a quorum is overall by default, and per college only in the multi-college rule', () => {
    expect(Rule.parse({ kind: 'majority', quorum: { share: 0.5 } })).toMatchObject({ quorum: { share: 0.5, per: 'overall' } });
    expect(Rule.parse({ kind: 'multiCollege', quorum: { share: 0.5, per: 'overall' } })).toMatchObject({ quorum: { per: 'overall' } });
    expect(Rule.safeParse({ kind: 'consent', quorum: { share: 0.5, per: 'college' } }).success).toBe(false);
  });

  it.each<[string, unknown, string[]]>([
    ['a zero threshold', { kind: 'majority', threshold: 0 }, ['threshold: errors.threshold']],
    ['a threshold above 1', { kind: 'consent', threshold: 1.5 }, ['threshold: errors.threshold']],
    ['more than 100 %', { kind: 'majority', threshold: 1, strict: true }, ['threshold: errors.threshold']],
    ['a zero quorum', { kind: 'majority', quorum: { share: 0 } }, ['quorum.share: errors.quorum']],
    ['one ranked option', { kind: 'ranked', options: ['current'] }, ['options: errors.rankedOptions']],
    ['a ranked option twice', { kind: 'ranked', options: ['current', 'A1', 'A1'] }, ['options: errors.optionDuplicate']],
    ['a blank ranked option', { kind: 'ranked', options: ['current', ' '] }, ['options.1: errors.optionId']],
    [
      'an actor type in two colleges',
      { kind: 'multiCollege', colleges: [{ id: 'a', label: 'A', actorTypes: ['union'] }, { id: 'b', label: 'B', actorTypes: ['union', 'other'] }], fallbackCollege: 'b' },
      ['colleges: errors.collegeActorType'],
    ],
    [
      'two colleges with one id',
      { kind: 'multiCollege', colleges: [{ id: 'a', label: 'A', actorTypes: ['union'] }, { id: 'a', label: 'B', actorTypes: ['other'] }], fallbackCollege: 'a' },
      ['colleges: errors.collegeDuplicate'],
    ],
    ['a fallback that is not a college', { kind: 'multiCollege', fallbackCollege: 'press' }, ['fallbackCollege: errors.collegeUnknown']],
    [
      'an unknown actor type',
      { kind: 'multiCollege', colleges: [{ id: 'all', label: 'All', actorTypes: ['journalist'] }], fallbackCollege: 'all' },
      ['colleges.0.actorTypes.0: errors.actorType'],
    ],
  ])('refuses %s', (_, input, expected) => {
    expect(issues(Rule.safeParse(input))).toEqual(expected);
  });
});

describe('BallotInput', () => {
  const consent = BallotInput(Rule.parse({ kind: 'consent' }));
  const majority = BallotInput(Rule.parse({ kind: 'majority' }));
  const ranked = BallotInput(Rule.parse({ kind: 'ranked', options: ['current', 'A1', 'A2'] }));
  const collegeConsent = BallotInput(Rule.parse({ kind: 'multiCollege', base: 'consent' }));

  it.each<[string, ReturnType<typeof BallotInput>, unknown]>([
    ['consent agree without a reason', consent, { voterId: 'U1', choice: 'agree' }],
    ['consent block with a reason', consent, { voterId: 'U1', choice: 'block', reason: 'Breaks the agreement of 2019' }],
    ['majority abstain', majority, { voterId: 'U1', choice: 'abstain' }],
    ['a full ranking', ranked, { voterId: 'U1', choice: ['A2', 'current', 'A1'] }],
    ['a partial ranking', ranked, { voterId: 'U1', choice: ['A1'] }],
    ['multi-college (consent) block with a reason', collegeConsent, { voterId: 'U1', choice: 'block', reason: 'No' }],
  ])('accepts %s', (_, schema, ballot) => {
    expect(schema.safeParse(ballot).success).toBe(true);
  });

  it.each<[string, ReturnType<typeof BallotInput>, unknown, string[]]>([
    ['a block without a reason', consent, { voterId: 'U1', choice: 'block' }, ['reason: errors.blockReason']],
    ['a block with a blank reason', consent, { voterId: 'U1', choice: 'block', reason: ' \n ' }, ['reason: errors.blockReason']],
    ['a multi-college block without a reason', collegeConsent, { voterId: 'U1', choice: 'block' }, ['reason: errors.blockReason']],
    ['a choice of another rule', majority, { voterId: 'U1', choice: 'block', reason: 'x' }, ['choice: errors.voteChoice']],
    ['a ranking under consent', consent, { voterId: 'U1', choice: ['agree'] }, ['choice: errors.voteChoice']],
    ['an empty ranking', ranked, { voterId: 'U1', choice: [] }, ['choice: errors.rankingEmpty']],
    ['a text ranked twice', ranked, { voterId: 'U1', choice: ['A1', 'current', 'A1'] }, ['choice: errors.rankingDuplicate']],
    ['an unknown text', ranked, { voterId: 'U1', choice: ['A1', 'A9'] }, ['choice: errors.voteChoice']],
    ['one text instead of a ranking', ranked, { voterId: 'U1', choice: 'A1' }, ['choice: errors.voteChoice']],
    ['a reason too long', majority, { voterId: 'U1', choice: 'reject', reason: 'x'.repeat(2001) }, ['reason: errors.tooLong']],
    ['a blank voter and a bare block, both at once', consent, { voterId: ' ', choice: 'block' }, ['voterId: errors.required', 'reason: errors.blockReason']],
  ])('refuses %s', (_, schema, ballot, expected) => {
    expect(issues(schema.safeParse(ballot))).toEqual(expected);
  });

  it('trims the reason and drops an empty one', () => {
    expect(majority.parse({ voterId: 'U1', choice: 'reject', reason: '  too vague ' }).reason).toBe('too vague');
    expect(majority.parse({ voterId: 'U1', choice: 'reject', reason: '' }).reason).toBeUndefined();
  });
});
