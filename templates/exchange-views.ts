/**
 * The messages of an exchange in one channel: the time-poll card (which turns into the confirmed or
 * cancelled exchange), the confirmation, the reminders, the cancellation and the minutes. Times are
 * written in the channel's zone and language, each followed by the same instant in the reader's own
 * zone (`localTime`: Slack's date token, Teams' DATE/TIME).
 */
import type { AgendaItem, ExchangeData, SlotData } from '../src/core/exchanges/details.js';
import { ANSWERS, type Answer } from '../src/core/exchanges/exchanges.js';
import { slotTime, wallTime } from '../src/core/exchanges/slots.js';
import { label } from './choices.js';
import type { TFunction } from './i18n.js';
import { bold, link, localTime, type Block, type Button, type MessageView, type Rich } from './view.js';

/** Where a message is read: the channel's platform, its zone and language, and the .ics link for that language. */
export interface Reader {
  platformId: string;
  zone: string;
  language: string;
  /** Platform names by id. */
  names: Record<string, string>;
  ics?: string;
}

const MARK: Record<Answer, string> = { yes: '✅', maybe: '🤔', no: '❌' };
/**
 * The card names who answered while the names fit in NAMES_BUDGET characters in all (each cut at
 * NAME_KEPT); past that it shows the counts alone, so that ten slots and their buttons always fit in
 * one Slack message and one Teams card (36 KB).
 */
const NAMES_BUDGET = 3000;
const NAME_KEPT = 30;
/** Agenda items listed on cards; the others are counted (the invitation lists them all). */
const AGENDA_SHOWN = 12;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const answerLabel = (t: TFunction, answer: Answer) => `${MARK[answer]} ${t(`exchange.answers.${answer}`)}`;

/** `Sat 27 Mar 2027, 10:00–11:30 (Europe/Paris) · your time: <instant>`. */
export function slotLine(t: TFunction, d: Pick<ExchangeData, 'durationMinutes'>, at: Date, r: Reader): Rich {
  return [slotTime(at, d.durationMinutes, r.zone, r.language), ` · ${t('exchange.yourTime')} `, localTime(`${wallTime(at, r.zone, r.language)} (${r.zone})`, at)];
}

export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const isLink = (place: string) => /^https?:\/\/\S+$/i.test(place);
const placeSpan = (place: string): Rich => [isLink(place) ? link(place, place) : place];

function agendaLine(t: TFunction, item: AgendaItem): string {
  switch (item.kind) {
    case 'case':
      return t('exchange.agendaCase', { ref: item.ref, company: item.company, type: label(t, 'restructuringTypes', item.type), country: item.country });
    case 'observation':
      return t('exchange.agendaObservation', { id: item.id, platform: item.platformId, text: clip(item.text.replace(/\s+/g, ' '), 120) });
    case 'clause':
      return t('exchange.agendaClause', { ref: item.ref, title: item.title, status: label(t, 'clauseStatus', item.status) });
  }
}

/** The agenda as plain lines (`• Case ACME-2026 — …`), for cards and the invitation. */
export const agendaText = (t: TFunction, d: Pick<ExchangeData, 'items'>, shown = Infinity): string => {
  if (!d.items.length) return t('exchange.noAgenda');
  const lines = d.items.slice(0, shown).map((i) => `• ${agendaLine(t, i)}`);
  if (d.items.length > shown) lines.push(t('exchange.agendaMore', { count: d.items.length - shown }));
  return lines.join('\n');
};

function agenda(t: TFunction, d: ExchangeData): Block {
  return { type: 'text', text: [bold(t('exchange.agenda')), '\n', agendaText(t, d, AGENDA_SHOWN)] };
}

function facts(t: TFunction, d: ExchangeData, r: Reader): Block {
  return {
    type: 'fields',
    fields: [
      { label: t('exchange.organiser'), value: [t('exchange.organiserValue', { name: d.organiser, platform: r.names[d.platformId] ?? d.platformId })] },
      { label: t('exchange.platforms'), value: [d.platformIds.map((id) => r.names[id] ?? id).join(' · ')] },
      { label: t('exchange.duration'), value: [t('exchange.durationValue', { minutes: d.durationMinutes })] },
      { label: t('exchange.place'), value: placeSpan(d.place) },
      { label: t('exchange.languages'), value: [d.languages.map((l) => languageName(l, r.language)).join(', ')] },
    ],
  };
}

/** Whether the card can name everyone who answered (see NAMES_BUDGET). */
const namesFit = (d: ExchangeData) => d.slots.reduce((n, s) => n + s.answers.reduce((m, a) => m + Math.min(a.name.length, NAME_KEPT) + 2, 0), 0) <= NAMES_BUDGET;

/** `FR — ✅ 2 (Alice, Bob) · 🤔 0 · ❌ 1 (Carla)`, one line per taking-part platform. */
function grid(t: TFunction, d: ExchangeData, slot: SlotData, withNames: boolean): string {
  const lines = d.platformIds.map((platformId) => {
    const mine = slot.answers.filter((a) => a.platformId === platformId);
    if (!mine.length) return `${platformId} — ${t('exchange.noAnswers')}`;
    const parts = ANSWERS.map((answer) => {
      const names = mine.filter((a) => a.answer === answer).map((a) => clip(a.name, NAME_KEPT));
      return `${MARK[answer]} ${names.length}${names.length && withNames ? ` (${names.join(', ')})` : ''}`;
    });
    return `${platformId} — ${parts.join(' · ')}`;
  });
  return lines.join('\n');
}

const score = (s: SlotData) => s.answers.reduce((n, a) => n + (a.answer === 'yes' ? 2 : a.answer === 'maybe' ? 1 : 0), 0);

/** The slots most available so far (yes counts two, if needed one); none before any answer. */
export function bestSlots(d: Pick<ExchangeData, 'slots'>): number[] {
  const top = Math.max(0, ...d.slots.map(score));
  return top === 0 ? [] : d.slots.filter((s) => score(s) === top).map((s) => s.number);
}

/**
 * The exchange's card in a taking-part channel: while the poll is open, each slot with its grid of
 * answers per platform and the answer buttons; once confirmed, the chosen slot, the calendar link and
 * the minutes button; once cancelled, the record of the poll.
 */
export function exchangeCard(t: TFunction, d: ExchangeData, r: Reader): MessageView {
  const blocks: Block[] = [{ type: 'heading', text: t('exchange.title', { id: d.id, topic: d.topic }) }, facts(t, d, r), agenda(t, d)];
  if (d.status === 'confirmed' && d.confirmed) {
    blocks.push({ type: 'text', text: [bold(t('exchange.confirmedLine', { slot: d.confirmed.number })), ' ', ...slotLine(t, d, d.confirmed.startsAt, r)] });
  }
  if (d.status === 'cancelled') blocks.push({ type: 'text', text: [bold(t('exchange.cancelledLine'))] });
  if (d.status === 'polling') blocks.push({ type: 'context', text: [t('exchange.pollIntro', { organiser: d.organiser, zone: r.zone })] });
  blocks.push({ type: 'divider' });
  const best = d.status === 'polling' ? bestSlots(d) : [];
  const withNames = namesFit(d);
  for (const slot of d.slots) {
    const star = best.includes(slot.number) ? ` ⭐ ${t('exchange.best')}` : '';
    blocks.push({ type: 'text', text: [bold(`${slot.number}.`), ' ', ...slotLine(t, d, slot.startsAt, r), star, '\n', grid(t, d, slot, withNames)] });
    if (d.status === 'polling') {
      blocks.push({
        type: 'buttons',
        buttons: ANSWERS.map((answer) => ({ action: 'exchange.answer', label: answerLabel(t, answer), value: `${d.id}:${slot.number}:${answer}` })),
      });
    }
  }
  const buttons: Button[] = [];
  if (d.status === 'polling') buttons.push({ action: 'exchange.confirm-open', label: t('exchange.confirmOpen'), value: String(d.id), style: 'primary' });
  if (d.status === 'confirmed') {
    if (r.ics) buttons.push({ action: 'exchange.ics', label: t('exchange.calendar'), url: r.ics, value: String(d.id) });
    if (!d.minutes) buttons.push({ action: 'exchange.minutes-open', label: t('exchange.minutesOpen'), value: String(d.id) });
  }
  if (buttons.length) blocks.push({ type: 'buttons', buttons });
  return { summary: t('exchange.pollSummary', { id: d.id, topic: d.topic }), blocks };
}

/** The confirmation posted in every taking-part channel. */
export function confirmationView(t: TFunction, d: ExchangeData, r: Reader): MessageView {
  const at = d.confirmed!.startsAt;
  const blocks: Block[] = [
    { type: 'heading', text: t('exchange.confirmedTitle', { id: d.id, topic: d.topic }) },
    { type: 'text', text: [bold(t('exchange.when')), ' ', ...slotLine(t, d, at, r)] },
    facts(t, d, r),
    agenda(t, d),
    ...(r.ics ? [{ type: 'buttons' as const, buttons: [{ action: 'exchange.ics', label: t('exchange.calendar'), url: r.ics, value: String(d.id), style: 'primary' as const }] }] : []),
    { type: 'context', text: [t('exchange.remindersNote')] },
  ];
  return { summary: t('exchange.confirmedSummary', { id: d.id, topic: d.topic, time: slotTime(at, d.durationMinutes, r.zone, r.language) }), blocks };
}

/** The invitation as a file (Slack), with the confirmation's summary as its comment. */
export function invitationFile(t: TFunction, d: ExchangeData, content: string): MessageView {
  const summary = t('exchange.icsComment', { id: d.id, topic: d.topic });
  return {
    summary,
    blocks: [{ type: 'text', text: [summary] }],
    file: { name: `exchange-${d.id}.ics`, title: t('exchange.icsTitle', { id: d.id, topic: d.topic }), mimeType: 'text/calendar', content },
  };
}

export type ReminderKind = '24h' | '1h';

export function reminderView(t: TFunction, d: ExchangeData, kind: ReminderKind, r: Reader): MessageView {
  const at = d.confirmed!.startsAt;
  const head = t(`exchange.reminder${kind}`, { id: d.id, topic: d.topic });
  const blocks: Block[] = [
    { type: 'text', text: [bold(head), '\n', ...slotLine(t, d, at, r)] },
    { type: 'fields', fields: [{ label: t('exchange.place'), value: placeSpan(d.place) }, { label: t('exchange.languages'), value: [d.languages.map((l) => languageName(l, r.language)).join(', ')] }] },
    ...(r.ics ? [{ type: 'buttons' as const, buttons: [{ action: 'exchange.ics', label: t('exchange.calendar'), url: r.ics, value: String(d.id) }] }] : []),
  ];
  return { summary: `${head} — ${slotTime(at, d.durationMinutes, r.zone, r.language)}`, blocks };
}

export function cancellationView(t: TFunction, d: ExchangeData, r: Reader): MessageView {
  const text = t('exchange.cancelledTitle', { id: d.id, topic: d.topic });
  const was = d.confirmed ? [' ', ...slotLine(t, d, d.confirmed.startsAt, r)] : [];
  return { summary: text, blocks: [{ type: 'text', text: [bold(text), ...was] }] };
}

/** The minutes in one channel, with the observations its platform got for the takeaways. */
export function minutesView(t: TFunction, d: ExchangeData, r: Reader): MessageView {
  const m = d.minutes!;
  const takeaways = m.takeaways
    .map((k) => t('exchange.takeawayLine', { n: k.number, text: clip(k.text, 300), id: k.observations[r.platformId] ?? '—' }))
    .join('\n');
  return {
    summary: t('exchange.minutesTitle', { id: d.id, topic: d.topic }),
    blocks: [
      { type: 'heading', text: t('exchange.minutesTitle', { id: d.id, topic: d.topic }) },
      { type: 'quote', text: m.text },
      { type: 'text', text: [bold(t('exchange.takeaways', { platform: r.names[r.platformId] ?? r.platformId })), '\n', takeaways] },
      { type: 'context', text: [t('exchange.minutesBy', { name: m.by })] },
    ],
  };
}

/** `exchange list`: the platform's exchanges, latest first. */
export function exchangeList(
  t: TFunction,
  platform: { name: string },
  rows: Array<{ id: number; topic: string; status: string; startsAt: Date | null; durationMinutes: number; answered: number }>,
  r: Pick<Reader, 'zone' | 'language'>,
): MessageView {
  const title = t('exchange.listTitle', { platform: platform.name });
  if (!rows.length) return { summary: title, blocks: [{ type: 'text', text: [t('exchange.listEmpty', { platform: platform.name })] }] };
  const lines: Rich = [];
  for (const row of rows) {
    if (lines.length) lines.push('\n');
    lines.push(bold(`#${row.id}`), ` ${row.topic} — `);
    if (row.status === 'confirmed' && row.startsAt) lines.push(slotTime(row.startsAt, row.durationMinutes, r.zone, r.language));
    else lines.push(t(`exchange.state.${row.status}`, { answered: row.answered }));
  }
  return { summary: title, blocks: [{ type: 'heading', text: title }, { type: 'text', text: lines }] };
}
