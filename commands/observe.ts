/** `/passerelle observe …`: file an observation from a line of text, a form, or a captured message. */
import { z } from 'zod';
import { findCase, recentCases } from '../src/core/cases.js';
import {
  checkCanChange,
  dimensionsOf,
  fileObservation,
  ObservationInput,
  reviseObservation,
  withdrawObservation,
  type Origin,
  type ValidObservation,
} from '../src/core/observations.js';
import { drop, park, peek } from '../src/core/pending.js';
import { caseForm } from '../templates/case-form.js';
import { notice } from '../templates/notices.js';
import { NEW_CASE, observationForm, type ObservationFormData } from '../templates/observation-form.js';
import { fieldErrors, many, one } from './form-values.js';
import { parseObserveText } from './observe-text.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Context, type FormOutcome, type Reply } from './types.js';

/** What the text after `observe` holds: nothing (open the form) or a whole observation. */
const ObserveArgs = z.union([z.object({ mode: z.literal('form') }), ObservationInput.extend({ mode: z.literal('text') })]);
type ObserveArgs = z.infer<typeof ObserveArgs>;

function read(text: string): unknown {
  if (text.trim() === '') return { mode: 'form' };
  const parsed = parseObserveText(text);
  if (parsed.problems.length) throw new TextProblems(parsed.problems);
  const { problems: _none, ...input } = parsed;
  return { mode: 'text', ...input };
}

/** The state an observation form carries between opening and submission. */
const FormState = z.object({
  conv: z.string(),
  id: z.number().int().optional(),
  link: z.url().optional(),
});
type FormState = z.infer<typeof FormState>;

/** An observation waiting for the case it names to be created. */
const ParkedObservation = z.object({ input: ObservationInput, origin: z.custom<Origin>() });

const filedReply = (ctx: Context, o: Awaited<ReturnType<typeof fileObservation>>['observation']): Reply =>
  message(
    notice(
      `✅ ${ctx.t('observe.filed', {
        id: o.id,
        dimensions: dimensionsOf(o).map((d) => ctx.t(`dimensions.${d}`)).join(', '),
        case: o.case ? ctx.t('observe.filedCase', { ref: o.case.ref }) : '',
      })} ${ctx.t(o.confidentiality === 'secretariat' ? 'observe.keptForSecretariat' : 'observe.willPost')}`,
    ),
  );

/** Files the observation, or, when it names a case that does not exist, offers to create it first. */
async function file(ctx: BoundContext, input: ValidObservation, origin: Origin): Promise<Reply[]> {
  if (input.caseRef && !(await findCase(ctx.db, input.caseRef))) {
    const parked = await park(ctx.db, 'observation', ctx.member.id, { input, origin });
    return [
      message(
        notice(`⚠️ ${ctx.t('errors.unknownCase', { ref: input.caseRef })}`, [
          { action: 'observation.create-case', label: ctx.t('case.fileAnyway', { ref: input.caseRef }), value: parked, style: 'primary' },
        ]),
      ),
    ];
  }
  const filed = await fileObservation(ctx.db, { platform: ctx.platform, author: ctx.member, origin, input });
  return filed.duplicate ? [] : [filedReply(ctx, filed.observation)];
}

async function formFor(ctx: BoundContext, data: Omit<ObservationFormData, 'cases'>): Promise<Reply> {
  const cases = await recentCases(ctx.db, ctx.platform.id, CASES_IN_FORM);
  return form(observationForm(ctx.t, { language: ctx.language, ...data, cases }));
}

const state = (s: FormState) => JSON.stringify(s);

/**
 * The most recent cases offered in the form (others are typed as case:REF). Fifty keeps the form
 * within Teams' 40 KB per message even with a 4,000-character text full of characters to escape.
 */
const CASES_IN_FORM = 50;

function fromForm(values: Record<string, string | string[] | undefined>) {
  const caseRef = one(values, 'case');
  return {
    text: one(values, 'text') ?? '',
    dimensions: many(values, 'dimensions'),
    stage: one(values, 'stage'),
    caseRef: caseRef === NEW_CASE ? undefined : caseRef,
    innovative: one(values, 'innovative') === 'yes',
    confidentiality: one(values, 'confidentiality'),
    language: one(values, 'language'),
  };
}

export const observe: CommandModule = {
  command: {
    name: 'observe',
    needsPlatform: true,
    args: ObserveArgs,
    read,
    async run(ctx, args: ObserveArgs) {
      if (args.mode === 'form') return [await formFor(ctx, { mode: 'new', state: state({ conv: ctx.origin.conversationId }) })];
      const { mode: _text, ...input } = args;
      return file(ctx, input, ctx.origin);
    },
    shortcuts: [{ id: 'observation.capture', titleKey: 'shortcut.captureTitle', descriptionKey: 'shortcut.captureDescription' }],
  },

  shortcuts: {
    'observation.capture': {
      async open(ctx, captured) {
        const bound = ctx as BoundContext;
        return [
          await formFor(bound, {
            mode: 'new',
            state: state({ conv: ctx.origin.conversationId, link: captured.link }),
            text: captured.text.slice(0, 4000),
            sourceLink: captured.link,
          }),
        ];
      },
    },
  },

  forms: {
    'observation.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        const st = FormState.parse(rawState);
        const raw = fromForm(values);
        const parsed = ObservationInput.safeParse(raw, { reportInput: true });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error, { caseRef: 'case' }) };
        const origin: Origin = { ...ctx.origin, conversationId: st.conv, sourceLink: st.link };
        if (st.id !== undefined) {
          const revised = await reviseObservation(ctx.db, { id: st.id, memberId: ctx.member.id, platform: bound.platform, input: parsed.data });
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t('observe.revised', { id: revised.id })}`))] };
        }
        if (one(values, 'case') === NEW_CASE) {
          const parked = await park(ctx.db, 'observation', ctx.member.id, { input: parsed.data, origin });
          return { type: 'next', form: caseForm(ctx.t, { state: JSON.stringify({ conv: st.conv, parked }), country: bound.platform.country, withPendingObservation: true }) };
        }
        return { type: 'done', replies: await file(bound, parsed.data, origin) };
      },
    },
  },

  actions: {
    'observation.edit': {
      needsPlatform: true,
      async click(ctx, value) {
        const o = await checkCanChange(ctx.db, Number(value), ctx.member.id);
        return [
          await formFor(ctx as BoundContext, {
            mode: 'edit',
            state: state({ conv: o.conversationId, id: o.id, ...(o.sourceLink ? { link: o.sourceLink } : {}) }),
            text: o.text,
            dimensions: dimensionsOf(o),
            stage: o.stage,
            caseRef: o.case?.ref,
            innovative: o.innovative,
            confidentiality: o.confidentiality,
            language: o.language,
            sourceLink: o.sourceLink ?? undefined,
          }),
        ];
      },
    },
    'observation.withdraw': {
      needsPlatform: true,
      async click(ctx, value) {
        const o = await withdrawObservation(ctx.db, { id: Number(value), memberId: ctx.member.id, platform: (ctx as BoundContext).platform });
        return [message(notice(`🗑️ ${ctx.t('observe.withdrawn', { id: o.id })}`))];
      },
    },
    'observation.create-case': {
      needsPlatform: true,
      async click(ctx, parkedId) {
        const parked = ParkedObservation.parse(await peek(ctx.db, parkedId, 'observation', ctx.member.id));
        return [
          form(
            caseForm(ctx.t, {
              state: JSON.stringify({ conv: parked.origin.conversationId, parked: parkedId }),
              ref: parked.input.caseRef,
              country: (ctx as BoundContext).platform.country,
              withPendingObservation: true,
            }),
          ),
        ];
      },
    },
  },
};

/** Files an observation parked until its case existed (called once the case is created). */
export async function fileParked(ctx: BoundContext, parkedId: string, caseRef: string): Promise<Reply[]> {
  const parked = ParkedObservation.parse(await peek(ctx.db, parkedId, 'observation', ctx.member.id));
  const filed = await fileObservation(ctx.db, {
    platform: ctx.platform,
    author: ctx.member,
    origin: parked.origin,
    input: ObservationInput.parse({ ...parked.input, caseRef }),
  });
  await drop(ctx.db, parkedId);
  return filed.duplicate ? [] : [filedReply(ctx, filed.observation)];
}
