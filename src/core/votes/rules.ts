/**
 * The rule of a vote on a clause (issue 4), as the convenor or the secretariat sets it, and the
 * ballot a member may cast under it. Pure: no database, no chat. See tally.ts for the counting.
 *
 * Semantics, decided here once:
 * - Threshold. `share` is the yes share (agree, or approve) of the base. Without `strict` the rule is
 *   "reaches": share ≥ threshold. With `strict: true` it is "more than": share > threshold. Omit both
 *   and you get a simple majority, `{ threshold: 0.5, strict: true }` (more than half, so 2–2 fails);
 *   give a threshold alone and it is "at least" (`{ threshold: 2/3 }` = at least two thirds).
 *   Shares are compared as IEEE doubles: integer division is correctly rounded, so a share exactly
 *   equal to a decimal threshold (14/25 vs 0.56) compares equal, where 0.56 × 25 would not.
 * - Base. Votes cast by eligible members. Abstentions are cast votes and count in the base by default
 *   (`abstentions: 'counted'`), as in Loomio, whose proposal results divide each option by the total of
 *   all stances, abstain included, and test `>=` a percentage (loomio/loomio,
 *   app/services/poll_service.rb, `calculate_results`). `abstentions: 'excluded'` follows Robert's
 *   Rules instead (a majority of the votes cast, ignoring abstentions). Either way an abstention counts
 *   towards participation and the quorum. A base of zero never reaches a threshold.
 * - Quorum. Ballots cast ÷ eligible members ≥ `share` (always "at least"). Per college for the
 *   multi-college rule unless `per: 'overall'`. Without a quorum it is met.
 * - Consent. Any block rejects, whatever the threshold. A block needs a reason at ballot time.
 * - Ranked. Instant-runoff; see ranked.ts for why, and for the tie-break.
 * - Multi-college. Each member's actor type maps to one college (unknown or missing actor type:
 *   `fallbackCollege`). The base rule (consent or majority) with the same threshold is applied inside
 *   every college; the clause is adopted only if every college with eligible members adopts it.
 *   A college without eligible members is skipped (`emptyColleges: 'ignored'`, the default) or
 *   rejects the clause (`'rejects'`).
 */
import { z } from 'zod';
import { ACTOR_TYPES } from '../vocabulary.js';

export const CONSENT_CHOICES = ['agree', 'abstain', 'disagree', 'block'] as const;
export const MAJORITY_CHOICES = ['approve', 'reject', 'abstain'] as const;
export const MAX_REASON_LENGTH = 2000;

export const DEFAULT_COLLEGES = [
  { id: 'employers', label: 'Employers', actorTypes: ['employer'] },
  { id: 'employee-representatives', label: 'Employee representatives', actorTypes: ['union'] },
  {
    id: 'public-authorities',
    label: 'Public authorities',
    actorTypes: ['public-authority', 'local-authority', 'employment-service'],
  },
  { id: 'experts-others', label: 'Experts and others', actorTypes: ['expert', 'consultant', 'other'] },
] as const;
export const DEFAULT_FALLBACK_COLLEGE = 'experts-others';

const share = (key: string) => z.number().gt(0, key).lte(1, key);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'errors.collegeId');

/** Threshold, strictness and abstentions of the consent and majority rules (see the top of the file). */
const decisionFields = {
  threshold: share('errors.threshold').optional(),
  strict: z.boolean().optional(),
  abstentions: z.enum(['counted', 'excluded']).default('counted'),
};
type DecisionIn = { threshold?: number; strict?: boolean };

function noImpossibleThreshold(r: DecisionIn, ctx: z.RefinementCtx) {
  if (r.strict && r.threshold === 1) ctx.addIssue({ code: 'custom', message: 'errors.threshold', path: ['threshold'] });
}
function resolveThreshold<T extends DecisionIn>(r: T) {
  return { ...r, threshold: r.threshold ?? 0.5, strict: r.strict ?? r.threshold === undefined };
}

const OverallQuorum = z.object({ share: share('errors.quorum'), per: z.literal('overall').default('overall') });
const CollegeQuorum = z.object({ share: share('errors.quorum'), per: z.enum(['college', 'overall']).default('college') });

export const ConsentRule = z
  .object({ kind: z.literal('consent'), ...decisionFields, quorum: OverallQuorum.optional() })
  .superRefine(noImpossibleThreshold)
  .transform(resolveThreshold);

export const MajorityRule = z
  .object({ kind: z.literal('majority'), ...decisionFields, quorum: OverallQuorum.optional() })
  .superRefine(noImpossibleThreshold)
  .transform(resolveThreshold);

/** The current text and its amendments, by id (e.g. `current`, `A1`); list the current text first, amendments in filing order. */
export const RankedRule = z.object({
  kind: z.literal('ranked'),
  options: z
    .array(z.string().regex(/^[A-Za-z0-9][\w.#:-]{0,63}$/, 'errors.optionId'))
    .min(2, 'errors.rankedOptions')
    .max(20, 'errors.tooMany')
    .refine((o) => new Set(o).size === o.length, 'errors.optionDuplicate'),
  quorum: OverallQuorum.optional(),
});

export const College = z.object({
  id: slug,
  label: z.string().trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
  actorTypes: z.array(z.enum(ACTOR_TYPES, { message: 'errors.actorType' })),
});
export type College = z.infer<typeof College>;

export const MultiCollegeRule = z
  .object({
    kind: z.literal('multiCollege'),
    base: z.enum(['consent', 'majority']).default('majority'),
    ...decisionFields,
    colleges: z
      .array(College)
      .min(1, 'errors.required')
      .max(12, 'errors.tooMany')
      .default(() => DEFAULT_COLLEGES.map((c) => ({ ...c, actorTypes: [...c.actorTypes] }))),
    fallbackCollege: slug.default(DEFAULT_FALLBACK_COLLEGE),
    emptyColleges: z.enum(['ignored', 'rejects']).default('ignored'),
    quorum: CollegeQuorum.optional(),
  })
  .superRefine((r, ctx) => {
    noImpossibleThreshold(r, ctx);
    const ids = r.colleges.map((c) => c.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'errors.collegeDuplicate', path: ['colleges'] });
    if (!ids.includes(r.fallbackCollege)) ctx.addIssue({ code: 'custom', message: 'errors.collegeUnknown', path: ['fallbackCollege'] });
    const types = r.colleges.flatMap((c) => c.actorTypes);
    if (new Set(types).size !== types.length) ctx.addIssue({ code: 'custom', message: 'errors.collegeActorType', path: ['colleges'] });
  })
  .transform(resolveThreshold);

export const Rule = z.discriminatedUnion('kind', [ConsentRule, MajorityRule, RankedRule, MultiCollegeRule]);
export type Rule = z.output<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;
export type ConsentRule = z.output<typeof ConsentRule>;
export type MajorityRule = z.output<typeof MajorityRule>;
export type RankedRule = z.output<typeof RankedRule>;
export type MultiCollegeRule = z.output<typeof MultiCollegeRule>;

/** The choices a ballot may name under a rule (for ranked, the options it may rank). */
export function optionsOf(rule: Rule): readonly string[] {
  if (rule.kind === 'ranked') return rule.options;
  const kind = rule.kind === 'multiCollege' ? rule.base : rule.kind;
  return kind === 'consent' ? CONSENT_CHOICES : MAJORITY_CHOICES;
}

/** Why a choice is not valid under a rule (an error key), or null. Shared by BallotInput and the tally. */
export function choiceProblem(rule: Rule, choice: unknown): string | null {
  const options = optionsOf(rule);
  if (rule.kind !== 'ranked') return typeof choice === 'string' && options.includes(choice) ? null : 'errors.voteChoice';
  if (!Array.isArray(choice)) return 'errors.voteChoice';
  if (choice.length === 0) return 'errors.rankingEmpty';
  if (!choice.every((c) => typeof c === 'string' && options.includes(c))) return 'errors.voteChoice';
  return new Set(choice).size === choice.length ? null : 'errors.rankingDuplicate';
}

/**
 * The ballot one member casts under a rule: a choice among the rule's options (for ranked, a ranking
 * of some or all options, best first, no repeats) and a reason, required for a consent block.
 */
export function BallotInput(rule: Rule) {
  const key = JSON.stringify(rule);
  let schema = ballotSchemas.get(key);
  if (!schema) {
    // Building a zod schema costs more than parsing with it: one per rule, a few rules at a time.
    if (ballotSchemas.size >= 64) ballotSchemas.delete(ballotSchemas.keys().next().value!);
    schema = ballotSchema(rule);
    ballotSchemas.set(key, schema);
  }
  return schema;
}
const ballotSchemas = new Map<string, ReturnType<typeof ballotSchema>>();

function ballotSchema(rule: Rule) {
  return z
    .object({
      voterId: z.string().trim().min(1, 'errors.required'),
      choice: z.union([z.string(), z.array(z.string())], { message: 'errors.voteChoice' }).superRefine((choice, ctx) => {
        const problem = choiceProblem(rule, choice);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      reason: z
        .string()
        .trim()
        .max(MAX_REASON_LENGTH, 'errors.tooLong')
        .optional()
        .transform((r) => (r === '' ? undefined : r)),
    })
    // Runs even when another field has a problem, so a member sees every mistake at once.
    .refine((b) => b.choice !== 'block' || b.reason !== undefined, {
      message: 'errors.blockReason',
      path: ['reason'],
      when: ({ value }) => (value as { choice?: unknown }).choice === 'block',
    });
}
export type BallotInput = z.output<ReturnType<typeof BallotInput>>;
