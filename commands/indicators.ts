/** `/passerelle indicators <REF>`: records a case's costs and results; the case card shows them. */
import { z } from 'zod';
import { caseSummary } from '../src/core/cases.js';
import { CaseRef } from '../src/core/ids.js';
import {
  checkCanRecord,
  INDICATOR_FIELDS,
  indicatorTrend,
  IndicatorProblems,
  recordIndicators,
  todayIn,
  type IndicatorInput,
} from '../src/core/indicators.js';
import { caseCard } from '../templates/case-views.js';
import { indicatorForm } from '../templates/indicator-views.js';
import { notice } from '../templates/notices.js';
import type { FormValues } from '../templates/view.js';
import { one } from './form-values.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Context, type Reply } from './types.js';

const IndicatorsArgs = z.object({ ref: CaseRef });
type IndicatorsArgs = z.infer<typeof IndicatorsArgs>;

function read(text: string): unknown {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length !== 1) throw new TextProblems([{ key: 'errors.indicatorsUsage', params: {} }]);
  return { ref: words[0]!.replace(/^case:/i, '') };
}

const FormState = z.object({ conv: z.string(), ref: CaseRef });

/**
 * A figure typed in the form: a whole number (spaces between thousands allowed, a sign kept so
 * that a negative number is refused as such), empty for unknown, NaN for anything else.
 */
export function figure(values: FormValues, id: string): number | undefined {
  const raw = one(values, id);
  if (raw === undefined) return undefined;
  const cleaned = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-');
  return /^[-+]?\d+(?:\.0+)?$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

function fromForm(values: FormValues): IndicatorInput {
  return {
    measuredOn: one(values, 'measuredOn'),
    figures: Object.fromEntries(INDICATOR_FIELDS.map((field) => [field, figure(values, field)])),
  };
}

async function formFor(ctx: BoundContext, ref: string, conv: string): Promise<Reply> {
  const found = await checkCanRecord(ctx.db, ref, ctx.platform);
  const trend = await indicatorTrend(ctx.db, found.id);
  return form(
    indicatorForm(ctx.t, {
      state: JSON.stringify({ conv, ref: found.ref }),
      ref: found.ref,
      company: found.company,
      today: todayIn(ctx.platform.timezone),
      latest: trend?.latest.figures,
      latestOn: trend?.latest.measuredOn,
    }),
  );
}

async function card(ctx: Context, ref: string): Promise<Reply[]> {
  const summary = await caseSummary(ctx.db, ref);
  return summary ? [message(caseCard(ctx.t, summary, (await indicatorTrend(ctx.db, summary.case.id)) ?? null))] : [];
}

export const indicators: CommandModule = {
  command: {
    name: 'indicators',
    needsPlatform: true,
    // Reached from the case card's button too; Teams' menu holds 10 commands.
    menu: false,
    args: IndicatorsArgs,
    read,
    async run(ctx, args: IndicatorsArgs): Promise<Reply[]> {
      return [await formFor(ctx, args.ref, ctx.origin.conversationId)];
    },
  },

  forms: {
    'indicators.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState) {
        const bound = ctx as BoundContext;
        const st = FormState.parse(rawState);
        const input = fromForm(values);
        try {
          await recordIndicators(ctx.db, { caseRef: st.ref, platform: bound.platform, member: ctx.member, input });
        } catch (error) {
          if (error instanceof IndicatorProblems) {
            return { type: 'invalid', errors: Object.fromEntries(error.problems.map((p) => [p.field, ctx.t(p.key, p.params)])) };
          }
          throw error;
        }
        const recorded = message(notice(`✅ ${ctx.t('indicators.recorded', { ref: st.ref, date: input.measuredOn })}`));
        return { type: 'done', replies: [recorded, ...(await card(ctx, st.ref))] };
      },
    },
  },

  actions: {
    'indicators.open': {
      needsPlatform: true,
      async click(ctx, value) {
        const ref = CaseRef.parse(value);
        return [await formFor(ctx as BoundContext, ref, ctx.origin.conversationId)];
      },
    },
  },
};
