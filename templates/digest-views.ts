/**
 * A digest (src/core/digests/types.ts) as neutral messages. `digestBlocks` gives the whole digest
 * as blocks, in chunks that must stay together; `digestViews` packs them into messages: the first
 * one (the summary: title, span, figures, and as much as fits) is posted in the channel, the others
 * in its thread. Nothing is cut: what does not fit one message goes to the next, and the first says
 * how many follow in the thread.
 *
 * How much fits a message is the channels' business (Block Kit's 50 blocks, Teams' 40 KB): the
 * caller gives `fits` (src/channels/fits.ts measures with both renderers); the default is a neutral
 * budget well within both.
 */
import { DateTime } from 'luxon';
import type {
  CasesSection,
  DigestData,
  ExchangeList,
  ExchangesSection,
  PracticesSection,
  FiguresSection,
  ObservationItem,
  ObservationsSection,
  PlatformObservations,
  Trend,
  VoteList,
  VotesSection,
} from '../src/core/digests/types.js';
import { DIMENSIONS } from '../src/core/vocabulary.js';
import { label } from './choices.js';
import type { TFunction } from './i18n.js';
import { bold, italic, link, localTime, mention, plain, type Block, type MessageView, type Rich, type Span } from './view.js';

export interface DigestViewOptions {
  /** The language of the digest (dates, language names). */
  language: string;
  /** Whether `view` fits one message in every channel it goes to. Default: NEUTRAL_BUDGET. */
  fits?: (view: MessageView) => boolean;
}

/**
 * A budget every channel takes: Slack maps each of these blocks to one Block Kit block (their
 * texts stay far below 3,000 characters) and Teams' card stays far below 36 KB.
 */
export const NEUTRAL_BUDGET = { blocks: 40, characters: 7000 };
export const fitsNeutralBudget = (view: MessageView): boolean =>
  view.blocks.length <= NEUTRAL_BUDGET.blocks && JSON.stringify(view.blocks).length <= NEUTRAL_BUDGET.characters;

/** The Intl locale of a language: British English for `en`, so dates read day month year. */
const intlLocale = (language: string) => (language === 'en' ? 'en-GB' : language);

/** A language's name in the reader's language (`fr` → "French" for an English reader). */
export function languageName(code: string, readerLanguage: string): string {
  try {
    return new Intl.DisplayNames([intlLocale(readerLanguage)], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** `+3`, `−2` or `=`: how much a figure moved since the week before. */
function change(t: TFunction, trend: Trend): string {
  const d = trend.current - trend.previous;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : t('digest.same');
}
const withTrend = (t: TFunction, trend: Trend) => t('digest.trend', { value: trend.current, change: change(t, trend) });

class Writer {
  constructor(
    readonly t: TFunction,
    readonly data: DigestData,
    readonly language: string,
  ) {}

  day(d: Date): string {
    return DateTime.fromJSDate(d, { zone: this.data.window.timezone }).setLocale(intlLocale(this.language)).toLocaleString(DateTime.DATE_MED);
  }

  /** An instant each reader sees in their own zone; the platform's zone as the fallback. */
  when(d: Date): Span {
    const zone = this.data.window.timezone;
    const fallback = `${DateTime.fromJSDate(d, { zone }).setLocale(intlLocale(this.language)).toLocaleString(DateTime.DATETIME_MED)} (${zone})`;
    return localTime(fallback, d);
  }

  title(): string {
    const { t, data } = this;
    const platform = data.platformName;
    if (data.window.partial) return t('digest.titleSoFar', { platform, week: data.window.week });
    return data.international ? t('digest.titleInternational', { week: data.window.week }) : t('digest.title', { platform, week: data.window.week });
  }
}

// ---- sections ------------------------------------------------------------------------------------

function figuresBlocks(w: Writer, s: FiguresSection): Block[][] {
  const { t } = w;
  if (!w.data.international || s.platforms.length === 1) {
    const f = s.platforms[0]!;
    return [
      [
        {
          type: 'fields',
          fields: [
            { label: t('digest.figures.observations'), value: [withTrend(t, f.observations)] },
            { label: t('digest.figures.innovative'), value: [withTrend(t, f.innovative)] },
            ...DIMENSIONS.map((d) => ({ label: t(`dimensions.${d}`), value: [withTrend(t, f.byDimension[d])] })),
            { label: t('digest.figures.newCases'), value: [withTrend(t, f.newCases)] },
            { label: t('digest.figures.votesOpened'), value: [withTrend(t, f.votesOpened)] },
            { label: t('digest.figures.votesClosed'), value: [withTrend(t, f.votesClosed)] },
          ],
        },
      ],
    ];
  }
  // International: one line per platform (Slack shows ten fields a section; more make more sections).
  const fields = s.platforms.map((f) => ({
    label: `${f.platformName} (${f.platformId})`,
    value: [
      t('digest.figures.platform', {
        observations: f.observations.current,
        observationsChange: change(t, f.observations),
        innovative: f.innovative.current,
        cases: f.newCases.current,
        opened: f.votesOpened.current,
        closed: f.votesClosed.current,
      }),
    ] as Rich,
  }));
  const chunks: Block[][] = [];
  for (let i = 0; i < fields.length; i += 10) chunks.push([{ type: 'fields', fields: fields.slice(i, i + 10) }]);
  return chunks;
}

function observationLine(w: Writer, o: ObservationItem, quoteLanguage: boolean): Block {
  const { t } = w;
  const number = `#${o.id}`;
  const head: Rich = [];
  if (o.innovative) head.push(t('digest.observations.innovative'), ' · ');
  head.push(o.link ? { text: number, bold: true, link: o.link } : bold(number));
  const facts = [o.dimensions.map((d) => t(`dimensions.${d}`)).join(', ')];
  facts.push(label(t, 'actorTypes', o.actorType, t('card.actorUnknown')));
  if (o.caseRef) facts.push(t('digest.observations.case', { ref: o.caseRef }));
  if (o.stage) facts.push(label(t, 'stages', o.stage));
  if (quoteLanguage) facts.push(t('digest.observations.language', { language: languageName(o.language, w.language) }));
  if (o.confidentiality === 'secretariat') facts.push(t('digest.observations.secretariat'));
  head.push(` · ${facts.join(' · ')}`);
  if (o.sourceLink) head.push(' · ', link(t('digest.observations.source'), o.sourceLink));
  return { type: 'text', text: [...head, '\n', italic(`“${o.excerpt}”`)] };
}

function dimensionLine(w: Writer, p: PlatformObservations): string {
  const { t } = w;
  const list = DIMENSIONS.map((d) => t('digest.observations.dimension', { dimension: t(`dimensions.${d}`), count: p.byDimension[d] })).join(' · ');
  return t('digest.observations.dimensions', { list, innovative: p.innovative });
}

function observationsBlocks(w: Writer, s: ObservationsSection): Block[][] {
  const { t, data } = w;
  const heading: Block = { type: 'heading', text: t('digest.observations.heading') };
  const chunks: Block[][] = [];
  if (!data.international || s.platforms.length === 1) {
    const p = s.platforms[0]!;
    if (p.total === 0) return [[heading, { type: 'text', text: [t('digest.observations.none')] }]];
    chunks.push([heading, { type: 'text', text: [dimensionLine(w, p)] }]);
    for (const o of p.items) chunks.push([observationLine(w, o, o.language !== w.language)]);
    if (p.more) chunks.push([{ type: 'context', text: [t('digest.observations.more', { count: p.more })] }]);
    return chunks;
  }
  chunks.push([heading]);
  for (const p of s.platforms) {
    if (p.total === 0 && p.items.length === 0) continue;
    const head: Block = { type: 'text', text: [bold(t('digest.observations.platform', { platform: p.platformName, id: p.platformId, count: p.total })), '\n', dimensionLine(w, p)] };
    if (p.items.length === 0) {
      chunks.push([head, { type: 'context', text: [t('digest.observations.nonePublic')] }]);
      continue;
    }
    // The international digest quotes in the original language, and names it.
    chunks.push([head, observationLine(w, p.items[0]!, true)]);
    for (const o of p.items.slice(1)) chunks.push([observationLine(w, o, true)]);
    if (p.more) chunks.push([{ type: 'context', text: [t('digest.observations.more', { count: p.more })] }]);
  }
  if (chunks.length === 1) chunks[0]!.push({ type: 'text', text: [t('digest.observations.none')] });
  return chunks;
}

function casesBlocks(w: Writer, s: CasesSection): Block[][] {
  const { t } = w;
  // The international digest says whose case it is.
  const platformTag = (platformId: string): Rich => (w.data.international ? [` (${platformId})`] : []);
  const heading: Block = { type: 'heading', text: t('digest.cases.heading') };
  const moved: Rich = [bold(t('digest.cases.moved'))];
  if (s.moved.length === 0) moved.push('\n', t('digest.cases.noneMoved'));
  for (const c of s.moved) {
    const notes: string[] = [];
    if (c.created) notes.push(t('digest.cases.created'));
    if (c.observations) notes.push(t('digest.cases.newObservations', { count: c.observations }));
    if (c.updated) notes.push(t('digest.cases.updated'));
    moved.push('\n• ', bold(c.ref), ...platformTag(c.platformId), ` — ${t('digest.cases.item', { company: c.company, notes: notes.join(', ') })}`);
  }
  if (s.movedMore) moved.push('\n', t('digest.cases.more', { count: s.movedMore }));
  const chunks: Block[][] = [[heading, { type: 'text', text: moved }]];
  if (s.unbalanced.length === 0) return chunks;
  const nudges: Block[] = s.unbalanced.map((c) => {
    const text: Rich = [bold(c.ref), ...platformTag(c.platformId), ` — ${t('digest.cases.item', { company: c.company, notes: '' })}`];
    const gaps: string[] = [];
    if (c.missingDimensions.length) gaps.push(t('digest.cases.noDimension', { dimensions: c.missingDimensions.map((d) => t(`dimensions.${d}`)).join(', ') }));
    if (c.missingVoices.length) gaps.push(t('digest.cases.notHeard', { voices: c.missingVoices.map((v) => t(`digest.voices.${v}`)).join(', ') }));
    text.push(gaps.join('; '));
    const members = c.couldSpeak.flatMap((s) => s.members);
    if (members.length) {
      // The sentence around the mentions, with the mentions as live spans.
      const marker = '\uE000';
      const [before, after] = t('digest.cases.couldSpeak', { members: marker }).split(marker);
      text.push(' — ', before ?? '');
      members.forEach((m, i) => {
        if (i) text.push(', ');
        text.push(mention(`@${m.displayName ?? m.externalId}`, m.channel, m.externalId));
      });
      text.push(after ?? '');
    }
    return { type: 'text', text };
  });
  chunks.push([{ type: 'text', text: [bold(t('digest.cases.unbalanced'))] }, nudges[0]!]);
  for (const n of nudges.slice(1)) chunks.push([n]);
  if (s.unbalancedMore) chunks.push([{ type: 'context', text: [t('digest.cases.more', { count: s.unbalancedMore })] }]);
  return chunks;
}

function voteList(w: Writer, title: string, list: VoteList, item: (v: VoteList['items'][number]) => Rich): Block | undefined {
  if (list.items.length === 0) return undefined;
  const text: Rich = [bold(title)];
  for (const v of list.items) text.push('\n• ', bold(v.ref), ` ${v.title} — `, ...item(v));
  if (list.more) text.push('\n', w.t('digest.votes.more', { count: list.more }));
  return { type: 'text', text };
}

function votesBlocks(w: Writer, s: VotesSection): Block[][] {
  const { t } = w;
  const heading: Block = { type: 'heading', text: t('digest.votes.heading') };
  const closes = (v: VoteList['items'][number]): Rich => {
    const marker = '\uE000';
    const [before, after] = t('digest.votes.closes', { at: marker }).split(marker);
    return [before ?? '', w.when(v.closesAt), after ?? ''];
  };
  const result = (v: VoteList['items'][number]): Rich => [
    v.outcome ? t('digest.votes.result', { outcome: t(`vote.outcome.${v.outcome}`), cast: v.cast ?? 0, eligible: v.eligible ?? 0 }) : '',
  ];
  const lists = [
    // A vote opened and already closed in the span shows its result.
    voteList(w, t('digest.votes.opened'), s.opened, (v) => (v.closedAt ? result(v) : closes(v))),
    voteList(w, t('digest.votes.closing'), s.closing, closes),
    voteList(w, t('digest.votes.closed'), s.closed, result),
  ].filter((b): b is Block => !!b);
  if (lists.length === 0) return [[heading, { type: 'text', text: [t('digest.votes.none')] }]];
  return [[heading, lists[0]!], ...lists.slice(1).map((b) => [b])];
}

function exchangesBlocks(w: Writer, s: ExchangesSection): Block[][] {
  const { t } = w;
  const list = (title: string, l: ExchangeList, withTime: boolean): Block | undefined => {
    if (l.items.length === 0) return undefined;
    const text: Rich = [bold(title)];
    for (const e of l.items) {
      text.push('\n• ', t('digest.exchanges.item', { topic: e.topic, platforms: e.platformIds.join(', ') }));
      if (withTime && e.startsAt) text.push(' — ', w.when(e.startsAt));
    }
    if (l.more) text.push('\n', t('digest.exchanges.more', { count: l.more }));
    return { type: 'text', text };
  };
  const lists = [
    list(t('digest.exchanges.proposed'), s.proposed, false),
    list(t('digest.exchanges.confirmed'), s.confirmed, true),
    list(t('digest.exchanges.upcoming'), s.upcoming, true),
  ].filter((b): b is Block => !!b);
  // No exchange at all: the section is left out rather than saying so every week.
  if (lists.length === 0) return [];
  return [[{ type: 'heading', text: t('digest.exchanges.heading') }, lists[0]!], ...lists.slice(1).map((b) => [b])];
}

function practicesBlocks(w: Writer, s: PracticesSection): Block[][] {
  const { t } = w;
  const chunks: Block[][] = [];
  if (s.practices.length) {
    const text: Rich = [bold(t('digest.practices.new', { count: s.counts.practices }))];
    for (const p of s.practices) text.push('\n• ', t('digest.practices.item', { ref: p.ref, title: p.title, country: p.country, platform: p.platformId }));
    if (s.more.practices) text.push('\n', t('digest.exchanges.more', { count: s.more.practices }));
    chunks.push([{ type: 'text', text }]);
  }
  if (s.assessments.length) {
    const text: Rich = [bold(t('digest.practices.assessed', { count: s.counts.assessments }))];
    for (const a of s.assessments) {
      text.push('\n• ', t('digest.practices.assessment', { ref: a.practiceRef, title: a.practiceTitle, country: a.country, verdict: t(`digest.practices.verdicts.${a.verdict}`) }));
    }
    if (s.more.assessments) text.push('\n', t('digest.exchanges.more', { count: s.more.assessments }));
    chunks.push([{ type: 'text', text }]);
  }
  if (chunks.length === 0) return [];
  chunks[0]!.unshift({ type: 'heading', text: t('digest.practices.heading') });
  return chunks;
}

/** The digest's title, span and notes: the top of its first message. */
function headBlocks(w: Writer): Block[] {
  const { t, data } = w;
  const zone = data.window.timezone;
  const span = data.window.partial
    ? t('digest.spanSoFar', { from: w.day(data.window.from), zone })
    : t('digest.span', { from: w.day(data.window.from), to: w.day(new Date(data.window.to.getTime() - 1)), zone });
  const blocks: Block[] = [{ type: 'heading', text: w.title() }, { type: 'context', text: [span] }];
  if (data.audience === 'secretariat') blocks.push({ type: 'context', text: [t('digest.secretariatCopy')] });
  return blocks;
}

/**
 * The whole digest as chunks of blocks, in reading order; the first chunk is the head. A chunk is
 * never split over two messages (a section's heading stays with its first item).
 */
export function digestBlocks(t: TFunction, data: DigestData, language: string): Block[][] {
  const w = new Writer(t, data, language);
  const s = data.sections;
  const chunks: Block[][] = [headBlocks(w)];
  if (data.empty) {
    chunks[0]!.push({ type: 'text', text: [t('digest.nothing')] });
    return chunks;
  }
  if (s.figures) {
    const figures = figuresBlocks(w, s.figures);
    figures[0]!.unshift({ type: 'text', text: [bold(t('digest.figures.heading'))] });
    chunks.push(...figures);
  }
  if (s.observations) chunks.push(...observationsBlocks(w, s.observations));
  if (s.cases) chunks.push(...casesBlocks(w, s.cases));
  if (s.votes) chunks.push(...votesBlocks(w, s.votes));
  if (s.exchanges) chunks.push(...exchangesBlocks(w, s.exchanges));
  if (s.practices) chunks.push(...practicesBlocks(w, s.practices));
  return chunks;
}

/** The digest's title: "Weekly digest — Plateforme France — 2026-W48". */
export const digestTitle = (t: TFunction, data: DigestData, language: string): string => new Writer(t, data, language).title();

/** The notification line of the digest's first message. */
export function digestSummary(t: TFunction, data: DigestData, language: string): string {
  const w = new Writer(t, data, language);
  const figures = data.sections.figures?.platforms ?? [];
  const observations = figures.reduce((n, f) => n + f.observations.current, 0);
  const innovative = figures.reduce((n, f) => n + f.innovative.current, 0);
  return t('digest.summary', { title: w.title(), observations, innovative });
}

/**
 * The digest as messages: the first for the channel (with "continued in the thread" when more
 * follow), the others for its thread, each headed by the digest's title and its place (2/3).
 */
export function digestViews(t: TFunction, data: DigestData, options: DigestViewOptions): MessageView[] {
  const fits = options.fits ?? fitsNeutralBudget;
  const [head, ...chunks] = digestBlocks(t, data, options.language);
  const title = new Writer(t, data, options.language).title();
  const summary = digestSummary(t, data, options.language);
  // Room is kept for the longest "continued" note (its count is known only at the end).
  const continued = (count: number): Block => ({ type: 'context', text: [t('digest.continued', { count })] });
  const partHead = (n: number, total: number): Block => ({ type: 'context', text: [bold(t('digest.part', { title, n, total }))] });
  const RESERVED = 999;

  const pages: Block[][] = [[...head!]];
  for (const chunk of chunks) {
    const page = pages[pages.length - 1]!;
    const first = pages.length === 1;
    const candidate = first ? [...page, ...chunk, continued(RESERVED)] : [...page, ...chunk];
    if (fits({ summary, blocks: candidate })) page.push(...chunk);
    // A chunk too big even for an empty message goes alone (the renderer then says what it left out).
    else pages.push([partHead(RESERVED, RESERVED), ...chunk]);
  }
  const total = pages.length;
  return pages.map((blocks, i) => {
    if (i === 0) return { summary, blocks: total > 1 ? [...blocks, continued(total - 1)] : blocks };
    return { summary: `${plain([t('digest.part', { title, n: i + 1, total })])}`, blocks: [partHead(i + 1, total), ...blocks.slice(1)] };
  });
}
