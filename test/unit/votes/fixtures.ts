/** Builders for the vote tests: a few lines of votes instead of arrays of ballots. */
import type { Ballot, Voter } from '../../../src/core/votes/tally.js';

export interface Electorate {
  eligible: Voter[];
  ballots: Ballot[];
}

/**
 * Members of one actor type who cast `choices` (e.g. `{ agree: 3, block: 1 }`), plus `silent` members
 * who did not vote. Blocks get the reason `reason <n>`. Ids are unique per `prefix`.
 */
export function group(choices: Record<string, number>, opts: { actorType?: string | null; silent?: number; prefix?: string } = {}): Electorate {
  const { actorType = 'other', silent = 0, prefix = actorType ?? 'none' } = opts;
  const eligible: Voter[] = [];
  const ballots: Ballot[] = [];
  let n = 0;
  for (const [choice, count] of Object.entries(choices)) {
    for (let i = 0; i < count; i++) {
      const voterId = `${prefix}-${++n}`;
      eligible.push({ voterId, actorType });
      ballots.push(choice === 'block' ? { voterId, choice, reason: `reason ${n}` } : { voterId, choice });
    }
  }
  for (let i = 0; i < silent; i++) eligible.push({ voterId: `${prefix}-${++n}`, actorType });
  return { eligible, ballots };
}

/** Several groups as one electorate. */
export function merge(...parts: Electorate[]): Electorate {
  return { eligible: parts.flatMap((p) => p.eligible), ballots: parts.flatMap((p) => p.ballots) };
}

/** Ranked ballots: `[['A1', 'current'], 3]` is three members ranking A1 then current. */
export function rankings(...lines: Array<[string[], number]>): Electorate {
  const eligible: Voter[] = [];
  const ballots: Ballot[] = [];
  for (const [ranking, count] of lines) {
    for (let i = 0; i < count; i++) {
      const voterId = `r-${eligible.length + 1}`;
      eligible.push({ voterId, actorType: 'expert' });
      ballots.push({ voterId, choice: ranking });
    }
  }
  return { eligible, ballots };
}
