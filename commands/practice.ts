/**
 * `/passerelle practice new | list | P-12 | P-12 assess [COUNTRY]`: innovative practices, described
 * from scratch or from an innovative observation's card, and their transferability as members of
 * other countries assess it.
 */
import { z } from 'zod';
import {
  assessPractice,
  AssessmentInput,
  checkCanAssess,
  countriesOf,
  ownAssessment,
} from '../src/core/practices/assessments.js';
import { postPracticeCard, refreshPracticeCard } from '../src/core/practices/card.js';
import {
  actorsOf,
  createPractice,
  draftFromObservation,
  listPractices,
  PracticeFieldProblem,
  PracticeInput,
  PracticeRef,
  practiceDetails,
} from '../src/core/practices/practices.js';
import { notice } from '../templates/notices.js';
import { assessmentForm, practiceCard, practiceForm, practiceList } from '../templates/practice-views.js';
import type { FormValues } from '../templates/view.js';
import { fieldErrors, many, one } from './form-values.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type FormOutcome, type Reply } from './types.js';

const PracticeArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('new') }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.literal('show'), ref: PracticeRef }),
  z.object({ sub: z.literal('assess'), ref: PracticeRef, country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'errors.country').optional() }),
]);
type PracticeArgs = z.infer<typeof PracticeArgs>;

function read(text: string): unknown {
  const [first, second, third, ...more] = text.trim().split(/\s+/).filter(Boolean);
  const usage = () => new TextProblems([{ key: 'errors.practiceUsage', params: {} }]);
  if (!first || more.length) throw usage();
  if (first.toLowerCase() === 'new' && !second) return { sub: 'new' };
  if (first.toLowerCase() === 'list' && !second) return { sub: 'list' };
  if (!second) return { sub: 'show', ref: first };
  if (second.toLowerCase() === 'assess') return { sub: 'assess', ref: first, country: third };
  throw usage();
}

/** As many practices as the list shows. */
const PRACTICES_LISTED = 30;

const NewState = z.object({ conv: z.string() });
const AssessState = z.object({ conv: z.string(), ref: z.string(), country: z.string() });

/** `12, #14 15` → [12, 14, 15]; anything that is not a number stays, for the schema to refuse. */
function idsOf(raw: string | undefined): number[] {
  return (raw ?? '').split(/[\s,;]+/).filter(Boolean).map((w) => (/^#?\d+$/.test(w) ? Number(w.replace('#', '')) : Number.NaN));
}

function fromForm(values: FormValues) {
  return {
    title: one(values, 'title') ?? '',
    description: one(values, 'description') ?? '',
    country: one(values, 'country') ?? '',
    sector: one(values, 'sector'),
    frame: one(values, 'frame') ?? '',
    actors: many(values, 'actors'),
    results: one(values, 'results'),
    observationIds: idsOf(one(values, 'observations')),
    caseRefs: (one(values, 'cases') ?? '').split(/[\s,;]+/).filter(Boolean).map((r) => r.replace(/^case:/i, '')),
  };
}

/** Whether the viewer may assess the practice: they are of a country other than the practice's. */
const mayAssess = (ctx: BoundContext, practiceCountry: string) => countriesOf(ctx.member, ctx.platform).some((c) => c !== practiceCountry);

async function card(ctx: BoundContext, ref: string): Promise<Reply> {
  const details = await practiceDetails(ctx.db, ref);
  return message(practiceCard(ctx.t, details, { assess: mayAssess(ctx, details.practice.country) }));
}

async function assessFormFor(ctx: BoundContext, ref: string, country: string | undefined, conv: string): Promise<Reply> {
  const target = await checkCanAssess(ctx.db, { ref, country, member: ctx.member, platform: ctx.platform });
  const current = await ownAssessment(ctx.db, { practiceId: target.practiceId, country: target.country, memberId: ctx.member.id });
  return form(
    assessmentForm(ctx.t, {
      state: JSON.stringify({ conv, ref: target.ref, country: target.country }),
      ref: target.ref,
      title: target.title,
      practiceCountry: target.practiceCountry,
      country: target.country,
      current: current ? { verdict: current.verdict, helping: current.helping, hindering: current.hindering, carriers: actorsOf(current.carriers) } : undefined,
    }),
  );
}

function newForm(ctx: BoundContext, conv: string, draft: Partial<Parameters<typeof practiceForm>[1]> = {}): Reply {
  return form(practiceForm(ctx.t, { state: JSON.stringify({ conv }), country: ctx.platform.country ?? ctx.member.country ?? undefined, ...draft }));
}

export const practice: CommandModule = {
  command: {
    name: 'practice',
    needsPlatform: true,
    args: PracticeArgs,
    read,
    async run(ctx, args: PracticeArgs): Promise<Reply[]> {
      if (args.sub === 'new') return [newForm(ctx, ctx.origin.conversationId)];
      if (args.sub === 'list') {
        const { practices, total } = await listPractices(ctx.db, PRACTICES_LISTED);
        return [message(practiceList(ctx.t, practices, total))];
      }
      if (args.sub === 'assess') return [await assessFormFor(ctx, args.ref, args.country, ctx.origin.conversationId)];
      return [await card(ctx, args.ref)];
    },
  },

  forms: {
    'practice.form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        const st = NewState.parse(rawState);
        const parsed = PracticeInput.safeParse(fromForm(values), { reportInput: true });
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error, { observationIds: 'observations', caseRefs: 'cases' }) };
        try {
          const created = await createPractice(ctx.db, {
            platform: bound.platform,
            author: ctx.member,
            input: parsed.data,
            afterCreate: (tx, p) => postPracticeCard(tx, { ref: p.ref, platform: bound.platform, channel: ctx.origin.channel, conversationId: st.conv }),
          });
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t('practice.created', { ref: created.ref })}`)), await card(bound, created.ref)] };
        } catch (error) {
          if (error instanceof PracticeFieldProblem) return { type: 'invalid', errors: { [error.field]: ctx.t(error.key, error.params) } };
          throw error;
        }
      },
    },
    'practice.assessment': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        const st = AssessState.parse(rawState);
        const parsed = AssessmentInput.safeParse(
          { verdict: one(values, 'verdict'), helping: one(values, 'helping'), hindering: one(values, 'hindering'), carriers: many(values, 'carriers') },
          { reportInput: true },
        );
        if (!parsed.success) return { type: 'invalid', errors: fieldErrors(ctx.t, parsed.error) };
        const done = await assessPractice(ctx.db, {
          ref: st.ref,
          country: st.country,
          member: ctx.member,
          platform: bound.platform,
          input: parsed.data,
          afterSave: (tx, ref) => refreshPracticeCard(tx, { ref, platforms: ctx.platforms }),
        });
        const key = done.changed ? 'practice.assessmentChanged' : 'practice.assessed';
        const said = ctx.t(key, { ref: done.ref, country: done.country, verdict: ctx.t(`verdicts.${parsed.data.verdict}`) });
        return { type: 'done', replies: [message(notice(`✅ ${said}`)), await card(bound, done.ref)] };
      },
    },
  },

  actions: {
    'practice.describe': {
      needsPlatform: true,
      async click(ctx, value) {
        const bound = ctx as BoundContext;
        const id = Number(value);
        if (!Number.isInteger(id) || id <= 0) return [message(notice(ctx.t('errors.expired')))];
        const draft = await draftFromObservation(ctx.db, { observationId: id, platform: bound.platform });
        return [newForm(bound, ctx.origin.conversationId, { ...draft, fromObservation: id })];
      },
    },
    'practice.assess': {
      needsPlatform: true,
      async click(ctx, value) {
        return [await assessFormFor(ctx as BoundContext, value, undefined, ctx.origin.conversationId)];
      },
    },
  },
};
