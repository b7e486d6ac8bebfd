/**
 * `/passerelle exchange propose | list | <id> | confirm <id> [slot] | cancel <id> | minutes <id>`:
 * cross-border exchanges — a time poll across the taking-part platforms' channels, the organiser's
 * confirmation (with an .ics invitation and reminders), and the minutes, whose takeaways become
 * observations of every taking-part platform.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { answerSlot, cancelExchange, checkCanConfirm, confirmExchange, ExchangeFieldProblem, ExchangeId, ExchangeInput, exchangesOf, proposeExchange, type Answer } from '../src/core/exchanges/exchanges.js';
import { exchangeData } from '../src/core/exchanges/details.js';
import { checkCanRecordMinutes, MAX_TAKEAWAYS, MinutesText, recordMinutes } from '../src/core/exchanges/minutes.js';
import { reminderJob, scheduleReminders } from '../src/core/exchanges/reminders.js';
import { readSlots, slotTime, typedSlot } from '../src/core/exchanges/slots.js';
import { ObservationInput, type ValidObservation } from '../src/core/observations.js';
import { DIMENSIONS } from '../src/core/vocabulary.js';
import { Refusal } from '../src/core/refusal.js';
import { icsLink } from '../src/core/exchanges/cards.js';
import { answerLabel, bestSlots, exchangeCard, exchangeList } from '../templates/exchange-views.js';
import { confirmForm, exchangeForm, minutesForm } from '../templates/exchange-forms.js';
import { tagHints } from '../templates/tag-hints.js';
import { notice } from '../templates/notices.js';
import { explainIssue, fieldErrors, many, one } from './form-values.js';
import { parseObserveText } from './observe-text.js';
import { form, message, TextProblems, type BoundContext, type CommandModule, type Context, type FormOutcome, type Reply } from './types.js';

const VERBS = ['confirm', 'cancel', 'minutes'] as const;

const ExchangeArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('propose') }),
  z.object({ sub: z.literal('list') }),
  z.object({ sub: z.enum(['show', 'cancel', 'minutes']), id: ExchangeId }),
  z.object({ sub: z.literal('confirm'), id: ExchangeId, slot: z.string().regex(/^#?\d{1,2}$/, 'errors.exchangeSlotNumber').transform((s) => Number(s.replace('#', ''))).optional() }),
]);
type ExchangeArgs = z.infer<typeof ExchangeArgs>;

/** `confirm 12 3`, `12 confirm 3`, `12`, `propose`, `list`. */
function read(text: string): unknown {
  const words = text.trim().split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  const usage = new TextProblems([{ key: 'errors.exchangeUsage', params: {} }]);
  if (words.length === 1 && (words[0] === 'propose' || words[0] === 'new')) return { sub: 'propose' };
  if (words.length === 1 && words[0] === 'list') return { sub: 'list' };
  const verbAt = words.findIndex((w) => (VERBS as readonly string[]).includes(w));
  if (verbAt > 1 || words.length === 0) throw usage;
  const rest = verbAt < 0 ? words : words.filter((_, i) => i !== verbAt);
  const sub = verbAt < 0 ? 'show' : words[verbAt]!;
  if (rest.length === 0 || rest.length > (sub === 'confirm' ? 2 : 1)) throw usage;
  return { sub, id: rest[0], ...(rest[1] !== undefined ? { slot: rest[1] } : {}) };
}

const IdState = z.object({ conv: z.string(), id: z.number().int() });
/** `12:3:yes` on an answer button. */
const AnswerClick = z
  .string()
  .regex(/^\d+:\d+:(yes|maybe|no)$/, 'errors.expired')
  .transform((v) => {
    const [id, slot, answer] = v.split(':');
    return { id: Number(id), slot: Number(slot), answer: answer as Answer };
  });
const IdClick = z.string().regex(/^\d+$/, 'errors.expired').transform(Number);

const now = (ctx: Context) => ctx.scheduler?.now() ?? new Date();
const links = (ctx: Context) => ctx.links ?? {};
const names = (ctx: Context) => Object.fromEntries(ctx.platforms.all.map((p) => [p.id, p.name]));

/** The exchange's card as this channel's platform reads it, for the member who asked. */
async function card(ctx: BoundContext, id: number): Promise<Reply> {
  const d = await exchangeData(ctx.db, id);
  const reader = { platformId: ctx.platform.id, zone: ctx.platform.timezone, language: ctx.language, names: names(ctx), ics: icsLink(links(ctx), d.icsToken, ctx.language) };
  return message(exchangeCard(ctx.t, d, reader));
}

/** `ACME-2026, FR-2.3; 12` → words. */
const words = (raw: string | undefined) => (raw ?? '').split(/[\s,;]+/).filter(Boolean);

function fromForm(values: Record<string, string | string[] | undefined>, slots: Date[]) {
  const duration = one(values, 'duration');
  return {
    topic: one(values, 'topic') ?? '',
    platformIds: many(values, 'platforms'),
    slots,
    durationMinutes: duration === undefined ? undefined : /^\d+$/.test(duration) ? Number(duration) : Number.NaN,
    place: one(values, 'place') ?? '',
    languages: many(values, 'languages'),
    caseRefs: words(one(values, 'cases')).map((r) => r.replace(/^case:/i, '')),
    observationIds: words(one(values, 'observations')).map((w) => (/^#?\d+$/.test(w) ? Number(w.replace('#', '')) : Number.NaN)),
    clauseRefs: words(one(values, 'clauses')),
  };
}

/** The takeaways typed one per line, each read like `observe` text; untagged lines take the form's dimensions. */
function takeawaysOf(ctx: Context, values: Record<string, string | string[] | undefined>): { takeaways: ValidObservation[] } | { error: string } {
  const fallback = many(values, 'dimensions').filter((d) => (DIMENSIONS as readonly string[]).includes(d));
  const lines = (one(values, 'takeaways') ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return { error: ctx.t('errors.required') };
  if (lines.length > MAX_TAKEAWAYS) return { error: ctx.t('errors.takeawaysTooMany', { max: MAX_TAKEAWAYS }) };
  const problems: string[] = [];
  const takeaways: ValidObservation[] = [];
  lines.forEach((line, i) => {
    const read = parseObserveText(line);
    const say = (p: string) => problems.push(ctx.t('errors.takeawayLine', { line: i + 1, problem: p }));
    if (read.problems.length) return read.problems.forEach((p) => say(ctx.t(p.key, { ...tagHints(ctx.t), ...p.params })));
    const { problems: _none, ...input } = read;
    const parsed = ObservationInput.safeParse({ ...input, dimensions: input.dimensions.length ? input.dimensions : fallback }, { reportInput: true });
    if (!parsed.success) return say(explainIssue(ctx.t, parsed.error.issues[0]!));
    takeaways.push(parsed.data);
  });
  return problems.length ? { error: problems.join('\n') } : { takeaways };
}

async function confirmed(ctx: BoundContext, id: number, slot: number): Promise<Reply[]> {
  const x = await confirmExchange(ctx.db, { exchangeId: id, slotNumber: slot, member: ctx.member, platforms: ctx.platforms, links: links(ctx), now: now(ctx) });
  if (ctx.scheduler) scheduleReminders({ db: ctx.db, platforms: ctx.platforms, scheduler: ctx.scheduler, links: links(ctx) }, x);
  const time = slotTime(x.startsAt!, x.durationMinutes, ctx.platform.timezone, ctx.language);
  return [message(notice(`📅 ${ctx.t('exchange.confirmed', { id, time })}`))];
}

async function confirmFormFor(ctx: BoundContext, id: number): Promise<Reply> {
  const { exchange } = await checkCanConfirm(ctx.db, id, ctx.member);
  const d = await exchangeData(ctx.db, id);
  const best = bestSlots(d)[0];
  return form(confirmForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId, id }), id, topic: exchange.topic, slots: d.slots, durationMinutes: d.durationMinutes, zone: ctx.platform.timezone, language: ctx.language, best }));
}

async function minutesFormFor(ctx: BoundContext, id: number): Promise<Reply> {
  const { exchange } = await checkCanRecordMinutes(ctx.db, { exchangeId: id, platform: ctx.platform, now: now(ctx) });
  const d = await exchangeData(ctx.db, id);
  return form(minutesForm(ctx.t, { state: JSON.stringify({ conv: ctx.origin.conversationId, id }), id, topic: exchange.topic, platforms: d.platformIds.join(', ') }));
}

export const exchange: CommandModule = {
  command: {
    name: 'exchange',
    needsPlatform: true,
    args: ExchangeArgs,
    read,
    async run(ctx, args: ExchangeArgs): Promise<Reply[]> {
      if (args.sub === 'propose') {
        const zone = ctx.platform.timezone;
        const next = DateTime.fromJSDate(now(ctx), { zone }).plus({ weeks: 1 }).set({ hour: 10, minute: 0 });
        const example = [0, 1, 2].map((d) => typedSlot(next.plus({ days: d }).toJSDate(), zone)).join('\n');
        const languages = [...new Set(['en', ...ctx.platforms.all.flatMap((p) => p.languages)])].sort();
        return [
          form(
            exchangeForm(ctx.t, {
              state: JSON.stringify({ conv: ctx.origin.conversationId }),
              zone,
              language: ctx.language,
              platforms: ctx.platforms.all.map((p) => ({ id: p.id, name: p.name })),
              platformId: ctx.platform.id,
              languages,
              example,
            }),
          ),
        ];
      }
      if (args.sub === 'list') {
        const rows = await exchangesOf(ctx.db, ctx.platform.id);
        const listed = rows.map((x) => ({ ...x, answered: new Set(x.slots.flatMap((s) => s.answers.map((a) => a.memberId))).size }));
        return [message(exchangeList(ctx.t, ctx.platform, listed, { zone: ctx.platform.timezone, language: ctx.language }))];
      }
      if (args.sub === 'show') return [await card(ctx, args.id)];
      if (args.sub === 'confirm') return args.slot === undefined ? [await confirmFormFor(ctx, args.id)] : confirmed(ctx, args.id, args.slot);
      if (args.sub === 'minutes') return [await minutesFormFor(ctx, args.id)];
      await cancelExchange(ctx.db, { exchangeId: args.id, member: ctx.member, platforms: ctx.platforms, links: links(ctx), now: now(ctx) });
      for (const kind of ['24h', '1h'] as const) ctx.scheduler?.cancel(reminderJob(args.id, kind));
      return [message(notice(`🗑️ ${ctx.t('exchange.cancelled', { id: args.id })}`))];
    },
  },

  forms: {
    'exchange.form': {
      needsPlatform: true,
      async submit(ctx, values): Promise<FormOutcome> {
        const bound = ctx as BoundContext;
        const errors: Record<string, string> = {};
        const slots = readSlots(one(values, 'slots') ?? '', bound.platform.timezone, now(ctx));
        if ('problems' in slots) {
          const lines = slots.problems.map((p) => ctx.t(p.key, p.params));
          if (slots.count) lines.push(ctx.t(slots.count.key, slots.count.params));
          errors.slots = lines.length ? lines.join('\n') : ctx.t('errors.required');
        }
        const parsed = ExchangeInput.safeParse(fromForm(values, 'slots' in slots ? slots.slots : []), { reportInput: true });
        if (!parsed.success) {
          const fields = fieldErrors(ctx.t, parsed.error, { platformIds: 'platforms', durationMinutes: 'duration', caseRefs: 'cases', observationIds: 'observations', clauseRefs: 'clauses' });
          for (const [field, text] of Object.entries(fields)) errors[field] ??= text;
        }
        if (Object.keys(errors).length || !parsed.success) return { type: 'invalid', errors };
        try {
          const x = await proposeExchange(ctx.db, { organiser: ctx.member, platform: bound.platform, platforms: ctx.platforms, input: parsed.data, links: links(ctx) });
          return { type: 'done', replies: [message(notice(`✅ ${ctx.t('exchange.proposed', { id: x.id, platforms: parsed.data.platformIds.join(', ') })}`))] };
        } catch (error) {
          if (error instanceof ExchangeFieldProblem) return { type: 'invalid', errors: { [error.field]: ctx.t(error.key, error.params) } };
          throw error;
        }
      },
    },
    'exchange.confirm-form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = IdState.parse(rawState);
        const slot = one(values, 'slot');
        if (!slot || !/^\d+$/.test(slot)) return { type: 'invalid', errors: { slot: ctx.t('errors.required') } };
        return { type: 'done', replies: await confirmed(ctx as BoundContext, st.id, Number(slot)) };
      },
    },
    'exchange.minutes-form': {
      needsPlatform: true,
      async submit(ctx, values, rawState): Promise<FormOutcome> {
        const st = IdState.parse(rawState);
        const errors: Record<string, string> = {};
        const minutes = MinutesText.safeParse(one(values, 'minutes') ?? '', { reportInput: true });
        if (!minutes.success) errors.minutes = explainIssue(ctx.t, minutes.error.issues[0]!);
        const read = takeawaysOf(ctx, values);
        if ('error' in read) errors.takeaways = read.error;
        if (!minutes.success || 'error' in read) return { type: 'invalid', errors };
        try {
          const done = await recordMinutes(ctx.db, { exchangeId: st.id, member: ctx.member, platform: ctx.platform, platforms: ctx.platforms, minutes: minutes.data, takeaways: read.takeaways, links: links(ctx), now: now(ctx) });
          return { type: 'done', replies: [message(notice(`📝 ${ctx.t('exchange.minutesRecorded', { id: st.id, count: read.takeaways.length, observations: done.observations, platforms: done.platformIds.join(', ') })}`))] };
        } catch (error) {
          if (error instanceof Refusal && error.key === 'errors.takeawayCase') return { type: 'invalid', errors: { takeaways: ctx.t(error.key, error.params) } };
          throw error;
        }
      },
    },
  },

  actions: {
    'exchange.answer': {
      needsPlatform: true,
      async click(ctx, value) {
        const a = AnswerClick.parse(value);
        const done = await answerSlot(ctx.db, { exchangeId: a.id, slotNumber: a.slot, answer: a.answer, member: ctx.member, platform: ctx.platform, platforms: ctx.platforms, links: links(ctx) });
        const bound = ctx as BoundContext;
        const time = slotTime(done.slotStartsAt, done.exchange.durationMinutes, bound.platform.timezone, ctx.language);
        return [message(notice(ctx.t('exchange.answered', { id: a.id, slot: a.slot, time, answer: answerLabel(ctx.t, a.answer) })))];
      },
    },
    'exchange.confirm-open': {
      needsPlatform: true,
      async click(ctx, value) {
        return [await confirmFormFor(ctx as BoundContext, IdClick.parse(value))];
      },
    },
    'exchange.minutes-open': {
      needsPlatform: true,
      async click(ctx, value) {
        return [await minutesFormFor(ctx as BoundContext, IdClick.parse(value))];
      },
    },
    // The calendar link button opens the .ics in the browser; Slack reports the click too: nothing to do.
    'exchange.ics': {
      needsPlatform: false,
      async click() {
        return [];
      },
    },
  },
};
