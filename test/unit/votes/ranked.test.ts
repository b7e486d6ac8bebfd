/**
 * Ranked choice between the current text and its amendments: instant-runoff, with every round and
 * the documented tie-break (earlier rounds, then option order, else a tie).
 */
import { describe, expect, it } from 'vitest';
import { Rule } from '../../../src/core/votes/rules.js';
import { tally, type Outcome, type Round } from '../../../src/core/votes/tally.js';
import { rankings, type Electorate } from './fixtures.js';

const THREE = ['current', 'A1', 'A2'];
const FOUR = ['current', 'A1', 'A2', 'A3'];
const run = (options: string[], e: Electorate, quorum?: number) =>
  tally(Rule.parse({ kind: 'ranked', options, ...(quorum ? { quorum: { share: quorum } } : {}) }), e.eligible, e.ballots);

describe('ranked choice (instant-runoff)', () => {
  it.each<[string, string[], Electorate, Outcome, string | null, Round[]]>([
    [
      'a first-round majority',
      THREE,
      rankings([['current'], 3], [['A1', 'current'], 1], [['A2'], 1]),
      'adopted',
      'current',
      [{ counts: { current: 3, A1: 1, A2: 1 }, exhausted: 0, eliminated: null }],
    ],
    [
      'eliminations over several rounds: the first-round leader loses',
      FOUR,
      rankings([['current'], 6], [['A1', 'A2'], 4], [['A2', 'A1'], 3], [['A3', 'A2'], 2]),
      'adopted',
      'A2',
      [
        { counts: { current: 6, A1: 4, A2: 3, A3: 2 }, exhausted: 0, eliminated: 'A3' },
        { counts: { current: 6, A1: 4, A2: 5 }, exhausted: 0, eliminated: 'A1' },
        { counts: { current: 6, A2: 9 }, exhausted: 0, eliminated: null },
      ],
    ],
    [
      'a first-round tie for last, broken by option order; the eliminated ballots exhaust',
      THREE,
      rankings([['current'], 3], [['A1'], 2], [['A2'], 2]),
      'adopted',
      'current',
      [
        { counts: { current: 3, A1: 2, A2: 2 }, exhausted: 0, eliminated: 'A2', tieBreak: 'option-order' },
        { counts: { current: 3, A1: 2 }, exhausted: 2, eliminated: null },
      ],
    ],
    [
      'a three-way first-round tie: the latest amendment gives way',
      THREE,
      rankings([['current', 'A1'], 2], [['A1', 'current'], 2], [['A2', 'A1'], 2]),
      'adopted',
      'A1',
      [
        { counts: { current: 2, A1: 2, A2: 2 }, exhausted: 0, eliminated: 'A2', tieBreak: 'option-order' },
        { counts: { current: 2, A1: 4 }, exhausted: 0, eliminated: null },
      ],
    ],
    [
      'a last-two tie, broken by the previous round',
      THREE,
      rankings([['current'], 4], [['A1'], 3], [['A2', 'A1'], 1], [['A2'], 1]),
      'adopted',
      'current',
      [
        { counts: { current: 4, A1: 3, A2: 2 }, exhausted: 0, eliminated: 'A2' },
        { counts: { current: 4, A1: 4 }, exhausted: 1, eliminated: 'A1', tieBreak: 'earlier-rounds' },
        { counts: { current: 4 }, exhausted: 5, eliminated: null },
      ],
    ],
    [
      'a tie for last broken by an earlier round, not by option order',
      FOUR,
      rankings([['current'], 6], [['A3'], 3], [['A1'], 2], [['A2', 'A1'], 1]),
      'adopted',
      'current',
      [
        { counts: { current: 6, A1: 2, A2: 1, A3: 3 }, exhausted: 0, eliminated: 'A2' },
        { counts: { current: 6, A1: 3, A3: 3 }, exhausted: 0, eliminated: 'A1', tieBreak: 'earlier-rounds' },
        { counts: { current: 6, A3: 3 }, exhausted: 3, eliminated: null },
      ],
    ],
    [
      'a last-two tie that no earlier round breaks',
      THREE,
      rankings([['current'], 2], [['A1'], 2], [['A2', 'current'], 1], [['A2', 'A1'], 1]),
      'tie',
      null,
      [
        { counts: { current: 2, A1: 2, A2: 2 }, exhausted: 0, eliminated: 'A2', tieBreak: 'option-order' },
        { counts: { current: 3, A1: 3 }, exhausted: 0, eliminated: null },
      ],
    ],
    [
      'two texts, equal from the start',
      ['current', 'A1'],
      rankings([['current', 'A1'], 2], [['A1'], 2]),
      'tie',
      null,
      [{ counts: { current: 2, A1: 2 }, exhausted: 0, eliminated: null }],
    ],
  ])('%s', (_, options, electorate, outcome, winner, rounds) => {
    const result = run(options, electorate);
    expect(result.outcome).toBe(outcome);
    expect(result.winner).toBe(winner);
    expect(result.rounds).toEqual(rounds);
  });

  it('names the tied texts of an unbreakable tie', () => {
    expect(run(['current', 'A1'], rankings([['current'], 1], [['A1'], 1])).tied).toEqual(['current', 'A1']);
  });

  it('reports first preferences as the counts, and ignores malformed rankings', () => {
    const e = rankings([['A1', 'current'], 2], [['current'], 1]);
    e.eligible.push({ voterId: 'bad', actorType: 'union' }, { voterId: 'bad2', actorType: 'union' });
    e.ballots.push({ voterId: 'bad', choice: ['A1', 'A1'] }, { voterId: 'bad2', choice: 'A1' });
    const result = run(THREE, e);
    expect(result).toMatchObject({ outcome: 'adopted', winner: 'A1', counts: { current: 1, A1: 2, A2: 0 }, cast: 3, eligible: 5, ignored: { invalid: 2 } });
  });

  it('shows the rounds but names no winner when the quorum is missed', () => {
    const e = rankings([['A1'], 2]);
    e.eligible.push({ voterId: 'silent', actorType: 'other' }, { voterId: 'silent2', actorType: 'other' }, { voterId: 'silent3', actorType: 'other' });
    const result = run(THREE, e, 0.5);
    expect(result).toMatchObject({ outcome: 'no-quorum', winner: null, quorumMet: false, participation: 0.4 });
    expect(result.rounds).toHaveLength(1);
  });
});
