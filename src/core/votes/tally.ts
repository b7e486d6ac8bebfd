/**
 * The tally of a closed vote: pure, deterministic, never throws for a parsed rule. The rule semantics
 * (thresholds, abstentions, quorum, colleges) are at the top of rules.ts; ranked choice in ranked.ts.
 *
 * Ballots are sifted first, and what was left out is reported in `ignored`:
 * - ineligible: the voter is not in `eligible`;
 * - invalid: the choice is not one of the rule's options (ranked: not a non-empty ranking of distinct
 *   options). A consent block without a reason is refused by BallotInput when it is cast; if one
 *   reaches the tally anyway it still counts as a block (its reason is just not listed);
 * - duplicates: one ballot per voter; when a voter has several valid ballots, the last one in the
 *   array wins (the caller passes them in the order they were cast) and the others are counted here.
 * `eligible` may list a voter twice; the last entry gives the actor type.
 *
 * Outcome, in this order: 'no-quorum' if a required quorum is missed; then 'rejected' if a consent
 * block was cast (any college, for multi-college), or the threshold (every college's) is not reached;
 * else 'adopted'. Ranked: 'adopted' with the winning text as `winner`, 'tie' for an unbreakable tie
 * (see ranked.ts), 'rejected' when no ballot was cast. Block reasons are sorted so that the result does
 * not depend on the order of the ballots, and never name the voter (anonymous votes).
 */
import { CONSENT_CHOICES, MAJORITY_CHOICES, choiceProblem, type MultiCollegeRule, type RankedRule, type Rule } from './rules.js';
import { instantRunoff, type Round } from './ranked.js';

export type { Round };
export interface Voter {
  voterId: string;
  actorType: string | null;
}
export interface Ballot {
  voterId: string;
  /** An option; for ranked, a ranking, best first. */
  choice: string | string[];
  reason?: string;
}
export type Outcome = 'adopted' | 'rejected' | 'no-quorum' | 'tie';

export interface Participation {
  eligible: number;
  cast: number;
  /** cast ÷ eligible, 0 when nobody is eligible. */
  participation: number;
  /** True when no quorum applies. */
  quorumMet: boolean;
}

/** The count of a consent or majority decision, overall or inside one college. */
export interface Decision extends Participation {
  counts: Record<string, number>;
  /** The votes the threshold is measured against (cast, less abstentions if they are excluded). */
  base: number;
  /** agree (consent) or approve (majority) ÷ base; 0 when the base is 0. */
  share: number;
  thresholdMet: boolean;
  /** Consent: at least one block was cast (it rejects whatever the share). */
  blocked: boolean;
  /** Reasons given with consent blocks, sorted. */
  blocks: string[];
}

export interface CollegeResult extends Decision {
  id: string;
  label: string;
  /** 'empty': no eligible member in this college. */
  outcome: 'adopted' | 'rejected' | 'no-quorum' | 'empty';
}

export interface Result extends Participation {
  kind: Rule['kind'];
  outcome: Outcome;
  /** Votes per option (ranked: first preferences). */
  counts: Record<string, number>;
  ignored: { ineligible: number; invalid: number; duplicates: number };
  /** Consent, majority and multi-college: the decision over all ballots (for multi-college, for information). */
  decision?: Decision;
  colleges?: CollegeResult[];
  rounds?: Round[];
  winner?: string | null;
  /** Ranked: the texts of an unbreakable tie. */
  tied?: string[];
}

export function tally(rule: Rule, eligible: readonly Voter[], ballots: readonly Ballot[]): Result {
  const actorTypes = new Map(eligible.map((v) => [v.voterId, v.actorType]));
  const ignored = { ineligible: 0, invalid: 0, duplicates: 0 };
  const kept = new Map<string, Ballot>();
  for (const b of ballots) {
    if (!actorTypes.has(b.voterId)) ignored.ineligible++;
    else if (choiceProblem(rule, b.choice) !== null) ignored.invalid++;
    else {
      if (kept.has(b.voterId)) ignored.duplicates++;
      kept.set(b.voterId, b);
    }
  }
  const cast = [...kept.values()];
  const overallQuorum = rule.quorum?.per === 'overall' ? rule.quorum.share : undefined;
  const overall = participation(actorTypes.size, cast.length, overallQuorum);

  if (rule.kind === 'ranked') return { kind: rule.kind, ...overall, ignored, ...ranked(rule, cast, overall.quorumMet) };
  const decision = decide(rule, rule.kind === 'multiCollege' ? rule.base : rule.kind, cast, overall);
  const common = { kind: rule.kind, counts: decision.counts, ...overall, ignored, decision };
  if (rule.kind !== 'multiCollege') return { ...common, outcome: outcomeOf(decision) };

  const colleges = byCollege(rule, actorTypes, cast);
  const counted = colleges.filter((c) => c.outcome !== 'empty');
  const quorumMet = overall.quorumMet && counted.every((c) => c.quorumMet) && (counted.length > 0 || !rule.quorum);
  const emptyRejects = rule.emptyColleges === 'rejects' && counted.length < colleges.length;
  const adopted = counted.length > 0 && !emptyRejects && counted.every((c) => c.outcome === 'adopted');
  return { ...common, quorumMet, outcome: !quorumMet ? 'no-quorum' : adopted ? 'adopted' : 'rejected', colleges };
}

function ranked(rule: RankedRule, cast: Ballot[], quorumMet: boolean) {
  const rankings = cast.map((b) => b.choice as string[]);
  const runoff = instantRunoff(rule.options, rankings);
  const counts = Object.fromEntries(rule.options.map((o) => [o, 0]));
  for (const r of rankings) counts[r[0]]++;
  const outcome: Outcome = !quorumMet ? 'no-quorum' : runoff.winner ? 'adopted' : runoff.tied ? 'tie' : 'rejected';
  const tied = outcome === 'tie' ? { tied: runoff.tied! } : {};
  return { outcome, counts, rounds: runoff.rounds, winner: outcome === 'adopted' ? runoff.winner : null, ...tied };
}

/** The base rule applied inside each college, with the quorum per college if the rule says so. */
function byCollege(rule: MultiCollegeRule, actorTypes: Map<string, string | null>, cast: Ballot[]): CollegeResult[] {
  const collegeOf = new Map<string, string>(rule.colleges.flatMap((c) => c.actorTypes.map((t) => [t, c.id])));
  const members = new Map(rule.colleges.map((c) => [c.id, { eligible: 0, ballots: [] as Ballot[] }]));
  const of = (voterId: string) => {
    const type = actorTypes.get(voterId);
    return members.get((type != null && collegeOf.get(type)) || rule.fallbackCollege)!;
  };
  for (const voterId of actorTypes.keys()) of(voterId).eligible++;
  for (const b of cast) of(b.voterId).ballots.push(b);
  const quorum = rule.quorum?.per === 'college' ? rule.quorum.share : undefined;
  return rule.colleges.map((c) => {
    const m = members.get(c.id)!;
    const d = decide(rule, rule.base, m.ballots, participation(m.eligible, m.ballots.length, quorum));
    return { id: c.id, label: c.label, outcome: m.eligible === 0 ? 'empty' : outcomeOf(d), ...d };
  });
}

function participation(eligible: number, cast: number, quorum: number | undefined): Participation {
  const share = eligible === 0 ? 0 : cast / eligible;
  return { eligible, cast, participation: share, quorumMet: quorum === undefined || (eligible > 0 && share >= quorum) };
}

type DecisionRule = Extract<Rule, { threshold: number }>;

function decide(rule: DecisionRule, kind: 'consent' | 'majority', ballots: Ballot[], p: Participation): Decision {
  const options = kind === 'consent' ? CONSENT_CHOICES : MAJORITY_CHOICES;
  const counts: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
  const blocks: string[] = [];
  for (const b of ballots) {
    counts[b.choice as string]++;
    if (b.choice === 'block' && b.reason?.trim()) blocks.push(b.reason.trim());
  }
  blocks.sort();
  const base = ballots.length - (rule.abstentions === 'excluded' ? counts.abstain : 0);
  const share = base === 0 ? 0 : counts[kind === 'consent' ? 'agree' : 'approve'] / base;
  const thresholdMet = base > 0 && (rule.strict ? share > rule.threshold : share >= rule.threshold);
  return { ...p, counts, base, share, thresholdMet, blocked: kind === 'consent' && counts.block > 0, blocks };
}

function outcomeOf(d: Decision): 'adopted' | 'rejected' | 'no-quorum' {
  return !d.quorumMet ? 'no-quorum' : d.thresholdMet && !d.blocked ? 'adopted' : 'rejected';
}
