/**
 * Instant-runoff voting (IRV) between the current text of a clause and its amendments.
 *
 * Why IRV: the issue asks for the rounds to be shown, and IRV is the ranked method whose rounds a
 * channel can follow (bars per round, one text out each time). It satisfies later-no-harm: ranking
 * an amendment second can never hurt your first choice, so members can rank every text honestly.
 * A points-per-rank count (Loomio's ranked choice sums a score per rank: result columns `score` and
 * `average` in loomio/loomio app/models/poll.rb) rewards burying a rival. With two texts IRV is plain
 * majority. With three or four, IRV elects the text that beats every other head to head (the
 * Condorcet winner, when there is one) unless that compromise text has the fewest first preferences
 * and goes out early: the centre squeeze, the known cost of IRV.
 *
 * Counting. Each round, a ballot counts for its highest-ranked text still in the count; a ballot with
 * none left is exhausted. A text with more than half of the non-exhausted ballots wins. Otherwise the
 * text with the fewest votes is eliminated, and its ballots pass to their next preference.
 *
 * Ties for the fewest votes:
 * 1. earlier rounds, most recent first: the tied text with fewer votes in the latest round where they
 *    differ is eliminated (in round 1 there is none; for the last two texts this is "fewest votes in
 *    the previous round", and round 1 counts first preferences);
 * 2. if three or more texts are still in the count: option order, the tied text listed last in the
 *    rule's options is eliminated (list the current text first and amendments in filing order, so the
 *    latest amendment gives way first). It only decides which text leaves the count, never between
 *    the last two;
 * 3. two texts left, equal in every round: the outcome is a tie, and nothing is adopted.
 */

export interface Round {
  /** Votes of each text still in the count, in option order. */
  counts: Record<string, number>;
  /** Ballots with no text left in the count. */
  exhausted: number;
  /** The text eliminated at the end of this round; null in the last round. */
  eliminated: string | null;
  /** How a tie for the fewest votes was broken, when there was one. */
  tieBreak?: 'earlier-rounds' | 'option-order';
}

export interface RunoffResult {
  rounds: Round[];
  winner: string | null;
  /** The two texts of an unbreakable last-two tie. */
  tied: string[] | null;
}

export function instantRunoff(options: readonly string[], rankings: readonly (readonly string[])[]): RunoffResult {
  const rounds: Round[] = [];
  if (rankings.length === 0) return { rounds, winner: null, tied: null };
  const continuing = [...options];
  for (;;) {
    const inCount = new Set(continuing);
    const votes = new Map(continuing.map((o) => [o, 0]));
    let exhausted = 0;
    for (const ranking of rankings) {
      const top = ranking.find((o) => inCount.has(o));
      if (top === undefined) exhausted++;
      else votes.set(top, votes.get(top)! + 1);
    }
    const round: Round = { counts: Object.fromEntries(votes), exhausted, eliminated: null };
    rounds.push(round);

    const active = rankings.length - exhausted;
    if (active === 0) return { rounds, winner: null, tied: null };
    const count = (o: string) => votes.get(o)!;
    const leader = continuing.reduce((a, b) => (count(b) > count(a) ? b : a));
    if (count(leader) * 2 > active) return { rounds, winner: leader, tied: null };

    const fewest = Math.min(...continuing.map(count));
    let tied = continuing.filter((o) => count(o) === fewest);
    if (tied.length > 1) {
      tied = byEarlierRounds(tied, rounds);
      if (tied.length === 1) round.tieBreak = 'earlier-rounds';
      else if (continuing.length === 2) return { rounds, winner: null, tied };
      else {
        tied = [tied[tied.length - 1]];
        round.tieBreak = 'option-order';
      }
    }
    round.eliminated = tied[0];
    continuing.splice(continuing.indexOf(tied[0]), 1);
  }
}

/** Narrows texts tied for the fewest votes by the latest earlier round where their votes differ. */
function byEarlierRounds(tied: string[], rounds: Round[]): string[] {
  for (let k = rounds.length - 2; k >= 0; k--) {
    const counts = rounds[k].counts;
    const fewest = Math.min(...tied.map((o) => counts[o]));
    const narrowed = tied.filter((o) => counts[o] === fewest);
    if (narrowed.length < tied.length) {
      tied = narrowed;
      if (tied.length === 1) break;
    }
  }
  return tied;
}
