/**
 * `/passerelle clause new | <REF> | <REF> amend | <REF> withdraw`: clauses of the platform's code of
 * conduct, their versions and amendments; the convenor accepts or rejects amendments from the card.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  acceptAmendment,
  AmendmentInput,
  checkAmendable,
  checkCanDecide,
  ClauseFieldProblem,
  ClauseInput,
  clauseDetails,
  createClause,
  DecisionReason,
  proposeAmendment,
  rejectAmendment,
  withdrawClause,
} from '../src/core/clauses/clauses.js';
import { clauseRef, ClauseRef } from '../src/core/clauses/numbering.js';
import { groupsFor } from '../src/core/groups.js';
import { shareClauseCard } from '../src/core/clauses/clause-card.js';
import { Refusal } from '../src/core/refusal.js';
import { castBallot, checkCanOpenVote, openVote, rankingFor } from '../src/core/votes/votes.js';
import { participationOf } from '../src/core/votes/participation.js';
import { scheduleVote } from '../src/core/votes/schedule.js';
import { ballotReasonForm, closingTime, optionLabel, participationView, rankingForm, RULE_KINDS, voteForm } from '../templates/vote-views.js';
import { amendmentForm, clauseCard, clauseForm, rejectionForm } from '../templates/clause-views.js';
import { notice } from '../templates/notices.js';
import { explainIssue, fieldErrors, one } from './form-values.js';
import { Rule, type RuleInput } from '../src/core/votes/rules.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Context, type FormOutcome, type Reply } from './types.js';

const ClauseArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('new') }),
  z.object({ sub: z.enum(['show', 'amend', 'withdraw', 'vote', 'participation']), ref: ClauseRef }),
]);
type ClauseArgs = z.infer<typeof ClauseArgs>;

function read(text: string): unknown {
  const [first, second, ...more] = text.trim().split(/\s+/).filter(Boolean);
  if (!first || more.length) throw new TextProblems([{ key: 'errors.clauseUsage', params: {} }]);
  if (first.toLowerCase() === 'new' && !second) return { sub: 'new' };
  const verb = second?.toLowerCase() ?? 'show';
  if (!['show', 'amend', 'withdraw', 'vote', 'participation'].includes(verb)) throw new TextProblems([{ key: 'errors.clauseUsage', params: {} }]);
  return { sub: verb, ref: first };
}

const NewState = z.object({ conv: z.string() });
const AmendState = z.object({ conv: z.string(), ref: z.string() });
const RejectState = z.object({ conv: z.string(), amendment: z.number().int() });

const VoteState = z.object({ conv: z.string(), ref: z.string() });
const BallotState = z.object({ conv: z.string(), vote: z.number().int(), choice: z.string() });
/** `12:agree` on a vote button: the vote and the choice. */
const VoteClick = z
  .string()
  .regex(/^\d+:[a-z-]+$/, 'errors.expired')
  .transform((v) => ({ vote: Number(v.split(':')[0]), choice: v.split(':')[1]! }));

const RankingState = z.object({ conv: z.string(), vote: z.number().int() });

/** `rank1…rankN` as a ranking, best first; a repeated text or a choice after an empty one is refused on its field. */
function rankingOf(ctx: Context, values: Record<string, string | string[] | undefined>): { ranking: string[] } | { errors: Record<string, string> } {
  const ranks = Object.keys(values).filter((k) => /^rank\d+$/.test(k)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const ranking: string[] = [];
  const errors: Record<string, string> = {};
  let gap = false;
  for (const field of ranks) {
    const option = one(values, field);
    if (!option) gap = true;
    else if (gap) errors[field] = ctx.t('errors.rankingGap');
    else if (ranking.includes(option)) errors[field] = ctx.t('errors.rankingRepeated');
    else ranking.push(option);
  }
  if (ranking.length === 0) errors.rank1 = ctx.t('errors.required');
  return Object.keys(errors).length ? { errors } : { ranking };
}

const yes = (values: Record<string, string | string[] | undefined>, id: string) => one(values, id) === 'yes';
/** `60`, `60 %` or `66,7` (a percentage) → 0.6; anything else → NaN, which the rule refuses. */
function percent(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{1,3}(?:[.,]\d+)?)\s*%?$/.exec(raw);
  return m ? Number(m[1]!.replace(',', '.')) / 100 : Number.NaN;
}

/** The vote form's values as the settings of a vote, or the problems per field. */
function voteSettings(ctx: BoundContext, values: Record<string, string | string[] | undefined>) {
  const errors: Record<string, string> = {};
  const kind = one(values, 'rule') ?? 'consent';
  if (!(RULE_KINDS as readonly string[]).includes(kind)) errors.rule = ctx.t('errors.required');
  const threshold = kind === 'ranked' ? undefined : percent(one(values, 'threshold'));
  const quorum = percent(one(values, 'quorum'));
  const rule = { kind, ...(kind === 'multiCollege' ? { base: 'majority' } : {}), ...(threshold !== undefined ? { threshold } : {}), ...(quorum !== undefined ? { quorum: { share: quorum } } : {}) };
  // A ranked vote's options are the clause's texts, filled in when it opens; two stand in for them here.
  const parsed = Rule.safeParse(kind === 'ranked' ? { ...rule, options: ['current', 'A0'] } : rule);
  // The rule speaks in shares (0.6); the form in percentages (60).
  if (!parsed.success) for (const field of Object.keys(fieldErrors(ctx.t, parsed.error))) errors[field] ??= ctx.t(field === 'threshold' || field === 'quorum' ? 'errors.percent' : 'errors.required');
  const date = one(values, 'closeDate');
  const time = one(values, 'closeTime');
  const closes = DateTime.fromISO(`${date}T${time}`, { zone: ctx.platform.timezone });
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.closeDate = ctx.t(date ? 'errors.date' : 'errors.required');
  else if (!time || !/^\d{2}:\d{2}$/.test(time) || !closes.isValid) errors.closeTime = ctx.t(time ? 'errors.time' : 'errors.required');
  else if (closes.toMillis() <= Date.now()) errors.closeTime = ctx.t('errors.closingPast', { now: closingTime(new Date(), ctx.platform.timezone) });
  if (Object.keys(errors).length) return { errors };
  return {
    settings: {
      rule: rule as RuleInput,
      eligibility: one(values, 'eligibility') === 'platform' ? ('platform' as const) : ('group' as const),
      anonymous: yes(values, 'anonymous'),
      resultsHidden: yes(values, 'resultsHidden'),
      reasonRequired: yes(values, 'reasonRequired'),
      closesAt: closes.toJSDate(),
    },
  };
}

/** Records a ballot; a choice that needs a reason first opens the reason form instead. */
async function recordBallot(ctx: Context, voteId: number, choice: string | string[], reason?: string): Promise<Reply[]> {
  const outcome = await castBallot(ctx.db, { voteId, member: ctx.member, choice, reason, platforms: ctx.platforms, cards: ctx.voteCards });
  if (!outcome.recorded) {
    const single = typeof choice === 'string' ? choice : '';
    return [form(ballotReasonForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId, vote: voteId, choice: single }), ref: outcome.ref, choice: single }))];
  }
  const timezone = ctx.platform?.timezone ?? 'UTC';
  const words = typeof choice === 'string' ? optionLabel(ctx.t, choice) : choice.map((o) => optionLabel(ctx.t, o)).join(' → ');
  return [message(notice(`🗳️ ${ctx.t('vote.confirmed', { choice: words, until: closingTime(outcome.closesAt, timezone) })}`))];
}

const AmendmentId = z.coerce.number({ message: 'errors.expired' }).int('errors.expired').positive('errors.expired');

/** `12, 14 #15` → [12, 14, 15]; anything that is not a number stays, for the schema to refuse. */
function idsOf(raw: string | undefined): number[] {
  return (raw ?? '').split(/[\s,;]+/).filter(Boolean).map((w) => (/^#?\d+$/.test(w) ? Number(w.replace('#', '')) : Number.NaN));
}

function fromForm(values: Record<string, string | string[] | undefined>) {
  const group = one(values, 'group');
  return {
    stage: one(values, 'stage'),
    title: one(values, 'title') ?? '',
    text: one(values, 'text') ?? '',
    rationale: one(values, 'rationale'),
    groupId: group === undefined ? undefined : /^\d+$/.test(group) ? Number(group) : Number.NaN,
    observationIds: idsOf(one(values, 'observations')),
    caseRefs: (one(values, 'cases') ?? '').split(/[\s,;]+/).filter(Boolean).map((r) => r.replace(/^case:/i, '')),
  };
}

/** The clause's card for the member who asked. */
async function card(ctx: Context, ref: ClauseRef): Promise<Reply> {
  return message(clauseCard(ctx.t, await clauseDetails(ctx.db, ref), ctx.member.id));
}

/** Brings the clause's card in the channel up to date (see clause-card.ts). */
async function share(ctx: Context, ref: ClauseRef | string): Promise<void> {
  const bound = ctx as BoundContext;
  await shareClauseCard(ctx.db, { ref: typeof ref === 'string' ? ClauseRef.parse(ref) : ref, platform: bound.platform, channel: ctx.origin.channel, conversationId: ctx.origin.conversationId });
}

function amendable(ctx: BoundContext, ref: ClauseRef): void {
  if (ref.code !== ctx.platform.id) throw new Refusal('errors.clauseOtherPlatform', { ref: ref.ref, platform: ctx.platform.name });
}

async function amendFormFor(ctx: BoundContext, ref: ClauseRef, conv: string): Promise<Reply> {
  amendable(ctx, ref);
  const d = await checkAmendable(ctx.db, ref);
  return form(amendmentForm(ctx.t, { state: JSON.stringify({ conv, ref: d.ref }), ref: d.ref, text: d.current.text }));
}

export const clause: CommandModule = {
  command: {
    name: 'clause',
    needsPlatform: true,
    args: ClauseArgs,
    read,
    async run(ctx, args: ClauseArgs): Promise<Reply[]> {
      if (args.sub === 'new') {
        const groups = await groupsFor(ctx.db, ctx.platform.id);
        return [form(clauseForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId }), groups, code: ctx.platform.id }))];
      }
      if (args.sub === 'amend') return [await amendFormFor(ctx, args.ref, ctx.origin.conversationId)];
      if (args.sub === 'vote') {
        const found = await checkCanOpenVote(ctx.db, args.ref, ctx.member, ctx.platforms.isSecretariat(ctx.member));
        const tz = ctx.platform.timezone;
        const suggested = DateTime.now().setZone(tz).plus({ days: 7 }).set({ hour: 18, minute: 0 });
        return [
          form(
            voteForm(ctx.t, {
              state: JSON.stringify({ conv: ctx.origin.conversationId, ref: args.ref.ref }),
              ref: args.ref.ref,
              hasGroup: found.groupId !== null,
              timezone: tz,
              date: suggested.toFormat('yyyy-MM-dd'),
              time: suggested.toFormat('HH:mm'),
            }),
          ),
        ];
      }
      if (args.sub === 'participation') {
        const seen = await participationOf(ctx.db, { ref: args.ref, member: ctx.member, secretariat: ctx.platforms.isSecretariat(ctx.member) });
        return [message(participationView(ctx.t, seen, ctx.platform.timezone))];
      }
      if (args.sub === 'withdraw') {
        const done = await withdrawClause(ctx.db, { ref: args.ref, by: ctx.member });
        await share(ctx, done.ref);
        return [message(notice(`🗑️ ${ctx.t('clause.withdrawn', { ref: done.ref })}`))];
      }
      return [await card(ctx, args.ref)];
    },
  },

  forms: {
    'clause.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        NewState.parse(rawState);
        const parsed = ClauseInput.safeParse(fromForm(values), { reportInput: true });
        if (!parsed.success) {
          return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error, { groupId: 'group', observationIds: 'observations', caseRefs: 'cases' }) };
        }
        try {
          const created = await createClause(ctx.db, { platformId: bound.platform.id, author: ctx.member, input: parsed.data });
          const ref = clauseRef(created);
          await share(ctx, ref);
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t('clause.created', { ref })}`)), await card(ctx, ClauseRef.parse(ref))] };
        } catch (error) {
          if (error instanceof ClauseFieldProblem) return { type: 'invalid', errors: { [error.field]: ctx.t(error.key, error.params) } };
          throw error;
        }
      },
    },
    'amendment.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = AmendState.parse(rawState);
        const ref = ClauseRef.parse(st.ref);
        const parsed = AmendmentInput.safeParse({ text: one(values, 'text') ?? '', reason: one(values, 'reason') ?? '' }, { reportInput: true });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error) };
        amendable(ctx as BoundContext, ref);
        try {
          const amendment = await proposeAmendment(ctx.db, { ref, author: ctx.member, input: parsed.data });
          await share(ctx, ref);
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t('clause.amendmentFiled', { id: amendment.id, ref: ref.ref })}`)), await card(ctx, ref)] };
        } catch (error) {
          if (error instanceof ClauseFieldProblem) return { type: 'invalid', errors: { [error.field]: ctx.t(error.key, error.params) } };
          throw error;
        }
      },
    },
    'vote.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        const st = VoteState.parse(rawState);
        const ref = ClauseRef.parse(st.ref);
        const read = voteSettings(bound, values);
        if (!read.settings) return { type: 'invalid', errors: read.errors };
        let vote;
        try {
          vote = await openVote(ctx.db, { ref, by: ctx.member, secretariat: ctx.platforms.isSecretariat(ctx.member), platform: bound.platform, channel: ctx.origin.channel, conversationId: st.conv, settings: read.settings });
        } catch (error) {
          if (error instanceof Refusal && error.key === 'errors.rankedNeedsAmendment') return { type: 'invalid', errors: { rule: ctx.t(error.key, error.params) } };
          throw error;
        }
        await share(ctx, ref);
        if (ctx.scheduler) scheduleVote({ db: ctx.db, platforms: ctx.platforms, scheduler: ctx.scheduler }, vote);
        return { type: 'done', replies: [message(notice(`🗳️ ${ctx.t('vote.opened', { ref: ref.ref, until: closingTime(vote.closesAt, bound.platform.timezone) })}`))] };
      },
    },
    'ballot.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = BallotState.parse(rawState);
        const reason = one(values, 'reason');
        if (!reason) return { type: 'invalid', errors: { reason: ctx.t(st.choice === 'block' ? 'errors.blockReason' : 'errors.reasonRequired') } };
        return { type: 'done', replies: await recordBallot(ctx, st.vote, st.choice, reason) };
      },
    },
    'ranking.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = RankingState.parse(rawState);
        const read = rankingOf(ctx, values);
        if ('errors' in read) return { type: 'invalid', errors: read.errors };
        return { type: 'done', replies: await recordBallot(ctx, st.vote, read.ranking) };
      },
    },
    'amendment.reject-form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = RejectState.parse(rawState);
        const reason = DecisionReason.safeParse(one(values, 'reason') ?? '', { reportInput: true });
        if (!reason.success) return { type: 'invalid', errors: { reason: explainIssue(ctx.t, reason.error.issues[0]!) } };
        const done = await rejectAmendment(ctx.db, { amendmentId: st.amendment, by: ctx.member, reason: reason.data });
        await share(ctx, done.ref);
        return { type: 'done', replies: [message(notice(`✅ ${ctx.t('clause.rejected', { id: st.amendment, ref: done.ref })}`)), await card(ctx, ClauseRef.parse(done.ref))] };
      },
    },
  },

  actions: {
    'vote.cast': {
      needsPlatform: true,
      async click(ctx, value) {
        const { vote, choice } = VoteClick.parse(value);
        return recordBallot(ctx, vote, choice);
      },
    },
    'vote.rank': {
      needsPlatform: true,
      async click(ctx, value) {
        const voteId = AmendmentId.parse(value);
        const found = await rankingFor(ctx.db, voteId, ctx.member);
        return [form(rankingForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId, vote: voteId }), ref: found.ref, texts: found.texts }))];
      },
    },
    'clause.amend': {
      needsPlatform: true,
      async click(ctx, value) {
        return [await amendFormFor(ctx as BoundContext, ClauseRef.parse(value), ctx.origin.conversationId)];
      },
    },
    'amendment.accept': {
      needsPlatform: true,
      async click(ctx, value) {
        const done = await acceptAmendment(ctx.db, { amendmentId: AmendmentId.parse(value), by: ctx.member });
        await share(ctx, done.ref);
        return [message(notice(`✅ ${ctx.t('clause.accepted', { id: value, ref: done.ref, version: done.version.version })}`)), await card(ctx, ClauseRef.parse(done.ref))];
      },
    },
    'amendment.reject': {
      needsPlatform: true,
      async click(ctx, value) {
        const id = AmendmentId.parse(value);
        await checkCanDecide(ctx.db, id, ctx.member.id);
        return [form(rejectionForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId, amendment: id }), id }))];
      },
    },
  },
};
