/** `/passerelle case new | list | <REF>`: restructuring cases and their ERM factsheets. */
import { z } from 'zod';
import { CaseInput, CaseRefTaken, caseSummary, createCase, listCases } from '../src/core/cases.js';
import { CaseRef } from '../src/core/ids.js';
import { indicatorTrend } from '../src/core/indicators.js';
import { Refusal } from '../src/core/refusal.js';
import { caseForm } from '../templates/case-form.js';
import { caseCard, caseList } from '../templates/case-views.js';
import { notice } from '../templates/notices.js';
import { count, fieldErrors, one } from './form-values.js';
import { fileParked } from './observe.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Reply } from './types.js';

const CaseArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('new'), ref: CaseRef.optional() }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.literal('show'), ref: CaseRef }),
]);
type CaseArgs = z.infer<typeof CaseArgs>;

function read(text: string): unknown {
  const [first, second] = text.trim().split(/\s+/).filter(Boolean);
  if (!first) throw new TextProblems([{ key: 'errors.caseUsage', params: {} }]);
  if (first.toLowerCase() === 'new') return { sub: 'new', ref: second };
  if (first.toLowerCase() === 'list') return { sub: 'list' };
  return { sub: 'show', ref: first };
}

const FormState = z.object({ conv: z.string(), parked: z.string().optional() });

/** As many cases as one Slack message holds comfortably (a heading and a section each). */
const CASES_LISTED = 40;

function fromForm(values: Record<string, string | string[] | undefined>) {
  return {
    ref: one(values, 'ref') ?? '',
    company: one(values, 'company') ?? '',
    anonymised: one(values, 'anonymised') === 'yes',
    groupName: one(values, 'groupName'),
    country: one(values, 'country') ?? '',
    nutsRegion: one(values, 'nutsRegion'),
    naceSection: one(values, 'naceSection'),
    type: one(values, 'type'),
    affectedUnit: one(values, 'affectedUnit'),
    headcountBefore: count(values, 'headcountBefore'),
    jobsAffected: count(values, 'jobsAffected'),
    announcedOn: one(values, 'announcedOn'),
    effectStart: one(values, 'effectStart'),
    effectEnd: one(values, 'effectEnd'),
    sources: (one(values, 'sources') ?? '').split(/\s+/).filter(Boolean),
  };
}

export const caseCommand: CommandModule = {
  command: {
    name: 'case',
    needsPlatform: true,
    args: CaseArgs,
    read,
    async run(ctx, args: CaseArgs): Promise<Reply[]> {
      if (args.sub === 'new') {
        return [form(caseForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId }), ref: args.ref, country: ctx.platform.country }))];
      }
      if (args.sub === 'list') {
        const { cases, total } = await listCases(ctx.db, ctx.platform.id, CASES_LISTED);
        return [message(caseList(ctx.t, ctx.platform, cases, total))];
      }
      const summary = await caseSummary(ctx.db, args.ref);
      if (!summary) throw new Refusal('errors.unknownCase', { ref: args.ref });
      return [message(caseCard(ctx.t, summary, (await indicatorTrend(ctx.db, summary.case.id)) ?? null))];
    },
  },

  forms: {
    'case.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState) {
        const bound = ctx as BoundContext;
        const st = FormState.parse(rawState);
        const parsed = CaseInput.safeParse(fromForm(values), { reportInput: true });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error) };
        try {
          await createCase(ctx.db, bound.platform.id, ctx.member.id, parsed.data);
        } catch (error) {
          if (error instanceof CaseRefTaken) return { type: 'invalid', errors: { ref: ctx.t('errors.caseRefTaken', { ref: error.ref }) } };
          throw error;
        }
        const created = message(notice(`✅ ${ctx.t('case.created', { ref: parsed.data.ref })}`));
        const filed = st.parked ? await fileParked(bound, st.parked, parsed.data.ref) : [];
        return { type: 'done', replies: [created, ...filed] };
      },
    },
  },
};

