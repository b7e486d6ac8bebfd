/**
 * Tally time for 10,000 ballots under the multi-college rule (issue 4): random actor types and
 * choices from a fixed seed. Prints the first (cold) tally, as when a vote closes, and the median of
 * 20 runs after a warm-up. Prints only; `npx tsx bench/tally.ts`.
 */
import { performance } from 'node:perf_hooks';
import { ACTOR_TYPES } from '../src/core/vocabulary.js';
import { Rule } from '../src/core/votes/rules.js';
import { tally, type Ballot, type Voter } from '../src/core/votes/tally.js';

const BALLOTS = 10_000;
const ELIGIBLE = 12_000;
const RUNS = 20;
const WARM_UP = 30;

/** mulberry32: a small seeded generator, so that every run tallies the same vote. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20260404);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
const actorTypes: Array<string | null> = [...ACTOR_TYPES, null];
const eligible: Voter[] = Array.from({ length: ELIGIBLE }, (_, i) => ({ voterId: `U${i}`, actorType: pick(actorTypes) }));
const ballots: Ballot[] = eligible.slice(0, BALLOTS).map((v) => {
  const choice = next() < 0.6 ? 'approve' : pick(['reject', 'abstain']);
  return { voterId: v.voterId, choice, reason: choice === 'reject' ? 'Too vague on redeployment' : undefined };
});
const rule = Rule.parse({ kind: 'multiCollege', base: 'majority', quorum: { share: 0.5 } });

const coldStart = performance.now();
let result = tally(rule, eligible, ballots);
const cold = performance.now() - coldStart;
for (let i = 0; i < WARM_UP; i++) result = tally(rule, eligible, ballots);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  result = tally(rule, eligible, ballots);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;

console.log(`tally: ${BALLOTS.toLocaleString('en')} ballots, ${ELIGIBLE.toLocaleString('en')} eligible, multi-college (majority, quorum 50 % per college)`);
console.log(`outcome ${result.outcome}; colleges ${result.colleges!.map((c) => `${c.id} ${c.outcome} ${(c.share * 100).toFixed(1)} %`).join(', ')}`);
console.log(`first (cold) tally ${cold.toFixed(2)} ms`);
console.log(`median ${median.toFixed(2)} ms over ${RUNS} runs after ${WARM_UP} warm-up runs (min ${times[0].toFixed(2)} ms, max ${times[RUNS - 1].toFixed(2)} ms)`);
console.log(`${Math.round(1000 / median).toLocaleString('en')} tallies/s, ${Math.round((BALLOTS * 1000) / median).toLocaleString('en')} ballots/s`);
