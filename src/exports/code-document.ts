/**
 * `passerelle export code FR`: a platform's code of conduct (the international platform's: its
 * recommendations) as a document, Markdown or standalone HTML. Only adopted clauses are in it, by
 * stage and number, each with its adoption record (the closing vote: date, rule, tallies per option
 * and per college, the amendments accepted into it). `buildCodeDocument` is pure; `loadCodeDocument`
 * reads the rows. The fixed words come from the locale files (`export.*`, and the stage, vote and
 * rule words of the bot's cards); dates are written for the document's language, in the platform's
 * time zone.
 */
import { DateTime } from 'luxon';
import type { PrismaClient } from '../db/client.js';
import type { Platform } from '../config/platforms.js';
import { clauseRef, stageIndex } from '../core/clauses/numbering.js';
import { CONSENT_CHOICES, MAJORITY_CHOICES, type Rule } from '../core/votes/rules.js';
import type { Result } from '../core/votes/tally.js';
import { STAGES, type Stage } from '../core/vocabulary.js';
import type { TFunction } from '../../templates/i18n.js';
import { ruleInWords } from '../../templates/vote-views.js';

export const CODE_FORMATS = ['md', 'html'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

export interface AdoptedClause {
  ref: string;
  number: number;
  title: string;
  text: string;
  rationale: string | null;
  versions: number;
  amendments: Array<{ id: number; reason: string }>;
  /** The vote that adopted it; null if none is recorded. */
  adoption: { closedAt: Date | null; rule: Rule; result: Result } | null;
}

export interface CodeDocumentData {
  code: string;
  platformName: string;
  international: boolean;
  /** The language of the document (its `lang`, its dates): the platform's first; the `t` given to `buildCodeDocument` speaks it. */
  language: string;
  /** The platform's time zone, in which dates are given. */
  timezone: string;
  generatedAt: Date;
  stages: Array<{ stage: Stage; clauses: AdoptedClause[] }>;
  drafts: number;
}

export async function loadCodeDocument(db: PrismaClient, platform: Platform, now = new Date()): Promise<CodeDocumentData> {
  const clauses = await db.clause.findMany({
    where: { code: platform.id, status: 'adopted' },
    orderBy: { number: 'asc' },
    include: {
      versions: { orderBy: { version: 'asc' } },
      amendments: { where: { status: 'accepted' }, orderBy: { id: 'asc' } },
      votes: { where: { status: 'closed' }, orderBy: [{ closedAt: 'desc' }, { id: 'desc' }] },
    },
  });
  const drafts = await db.clause.count({ where: { code: platform.id, status: { in: ['draft', 'in-vote'] } } });
  const adopted = (c: (typeof clauses)[number]): AdoptedClause => {
    const current = c.versions.at(-1)!;
    const vote = c.votes.find((v) => (v.result as unknown as Result | null)?.outcome === 'adopted') ?? c.votes[0];
    return {
      ref: clauseRef(c),
      number: c.number,
      title: current.title,
      text: current.text,
      rationale: current.rationale,
      versions: c.versions.length,
      amendments: c.amendments.map((a) => ({ id: a.id, reason: a.reason })),
      adoption: vote?.result ? { closedAt: vote.closedAt, rule: vote.rule as unknown as Rule, result: vote.result as unknown as Result } : null,
    };
  };
  return {
    code: platform.id,
    platformName: platform.name,
    international: platform.international,
    language: platform.languages[0] ?? 'en',
    timezone: platform.timezone,
    generatedAt: now,
    stages: STAGES.map((stage) => ({ stage, clauses: clauses.filter((c) => c.stage === stage).map(adopted) })),
    drafts,
  };
}

// ---- words -------------------------------------------------------------------------------------

/** The ballot choices, which have words in the locale files (a ranked vote's options are text ids). */
const CHOICES: ReadonlySet<string> = new Set([...CONSENT_CHOICES, ...MAJORITY_CHOICES]);

/** The Intl locale of a language: British English for `en`, so dates read day month year. */
const intlLocale = (language: string) => (language === 'en' ? 'en-GB' : language);

/** How a format writes text: the locale's words (trusted) and what members or the platforms file wrote. */
interface Escaping {
  fixed(text: string): string;
  user(text: string): string;
}

/** Marks where a value goes into a sentence, so that the sentence's own words can be escaped apart. */
const mark = (i: number) => `\uE000${i}\uE001`;

/**
 * The words of one document: its language's sentences, its dates and numbers, escaped for its
 * format. Every method returns text ready for the format, except `date` and `pct` (plain text,
 * to give to `t` as a parameter).
 */
class Words {
  private readonly percent: Intl.NumberFormat;

  constructor(
    readonly tr: TFunction,
    private readonly data: CodeDocumentData,
    private readonly escaping: Escaping,
  ) {
    this.percent = new Intl.NumberFormat(intlLocale(data.language), { maximumFractionDigits: 1 });
  }

  /** `text` with each `mark(i)` replaced by `values[i]` (ready) and the rest escaped as fixed words. */
  private fill(text: string, values: readonly string[]): string {
    return text
      .split(/\uE000(\d+)\uE001/)
      .map((part, i) => (i % 2 ? values[Number(part)]! : this.escaping.fixed(part)))
      .join('');
  }

  /** A sentence of the locale files; `params` are plain text (escaped with it), `ready` are already written for the format. */
  t(key: string, params: Record<string, string | number> = {}, ready: Record<string, string> = {}): string {
    const names = Object.keys(ready);
    const text = this.tr(key, { ...params, ...Object.fromEntries(names.map((name, i) => [name, mark(i)])) }) as string;
    return this.fill(text, names.map((name) => ready[name]!));
  }

  user(text: string): string {
    return this.escaping.user(text);
  }

  /** A day in the platform's zone, as the language writes it (10 March 2026, 10 mars 2026). */
  date(d: Date | null): string {
    if (!d) return this.tr('export.unknownDate');
    return DateTime.fromJSDate(d, { zone: this.data.timezone }).setLocale(intlLocale(this.data.language)).toLocaleString(DateTime.DATE_FULL);
  }

  /** As on the vote cards (`50 %`), to a tenth. */
  pct(share: number): string {
    return `${this.percent.format(share * 100)} %`;
  }

  /** The rule as the vote card words it; the colleges' labels (from the platforms file) escaped as user text. */
  rule(rule: Rule): string {
    if (rule.kind !== 'multiCollege') return this.escaping.fixed(ruleInWords(this.tr, rule));
    const labels = rule.colleges.map((c) => this.user(c.label));
    return this.fill(ruleInWords(this.tr, { ...rule, colleges: rule.colleges.map((c, i) => ({ ...c, label: mark(i) })) }), labels);
  }

  /** `Approve 2, Reject 0, Abstain 0` (a ranked vote's options by their ids). */
  counts(counts: Record<string, number>): string {
    return Object.entries(counts)
      .map(([option, n]) => `${CHOICES.has(option) ? this.t(`vote.choices.${option}`) : this.user(option)} ${n}`)
      .join(', ');
  }

  /** `2 of 2 (100 %)`. */
  participation(p: { cast: number; eligible: number; participation: number }): string {
    return this.t('vote.participationValue', { cast: p.cast, eligible: p.eligible, share: this.pct(p.participation) });
  }
}

function documentTitle(w: Words, data: CodeDocumentData): string {
  return data.international ? w.t('export.recommendations') : w.t('code.title', { code: data.code }, { platform: w.user(data.platformName) });
}

/** The adoption record, one item a line, and the per-college table's rows. */
function recordLines(w: Words, clause: AdoptedClause): { lines: string[]; colleges: string[][] } {
  const lines: string[] = [];
  const a = clause.adoption;
  if (!a) lines.push(w.t('export.noRecord'));
  else {
    lines.push(w.t('export.adoptedOn', { date: w.date(a.closedAt) }));
    lines.push(w.t('export.rule', {}, { rule: w.rule(a.rule) }));
    lines.push(w.t('export.tally', {}, { counts: w.counts(a.result.counts), participation: w.participation(a.result) }));
    if (a.result.winner) lines.push(w.t('export.winner', {}, { text: w.user(a.result.winner) }));
  }
  lines.push(w.t('export.versions', { number: clause.versions }));
  if (!clause.amendments.length) lines.push(w.t('export.noAmendments'));
  for (const am of clause.amendments) lines.push(w.t('export.amendment', { id: am.id }, { reason: w.user(am.reason) }));
  const colleges = (a?.result.colleges ?? []).map((c) => [
    w.user(c.label),
    w.t(`vote.outcome.${c.outcome}`),
    w.counts(c.counts),
    w.participation(c),
  ]);
  return { lines, colleges };
}

function collegeHeader(w: Words): string[] {
  return [w.t('export.college'), w.t('vote.outcomeLabel'), w.t('export.votes'), w.t('vote.participation')];
}

function draftsLine(w: Words, n: number): string {
  if (n === 0) return w.t('export.noDrafts');
  return n === 1 ? w.t('export.oneDraft') : w.t('export.drafts', { number: n });
}

// ---- Markdown ----------------------------------------------------------------------------------

/** User text in Markdown: every character that could format is backslash-escaped; line breaks kept. */
export function mdEscape(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`)
    .split(/\r?\n/)
    .join('  \n');
}

function markdown(data: CodeDocumentData, t: TFunction): string {
  const w = new Words(t, data, { fixed: (text) => text, user: mdEscape });
  const out: string[] = [];
  out.push(`# ${documentTitle(w, data)}`, '', w.t('export.generated', { code: data.code, date: w.date(data.generatedAt) }), '');
  for (const { stage, clauses } of data.stages) {
    out.push(`## ${w.t('export.stage', { number: stageIndex(stage), name: t(`stages.${stage}`) })}`, '');
    if (!clauses.length) out.push(w.t('export.noClause'), '');
    for (const c of clauses) {
      out.push(`### ${c.ref} ${mdEscape(c.title)}`, '', mdEscape(c.text), '');
      if (c.rationale) out.push(w.t('clause.rationale', {}, { text: mdEscape(c.rationale) }), '');
      const { lines, colleges } = recordLines(w, c);
      out.push(`**${w.t('export.record')}**`, '');
      for (const l of lines) out.push(`- ${l}`);
      out.push('');
      if (colleges.length) {
        out.push(`| ${collegeHeader(w).join(' | ')} |`, '| --- | --- | --- | --- |');
        for (const row of colleges) out.push(`| ${row.join(' | ')} |`);
        out.push('');
      }
    }
  }
  out.push('---', '', draftsLine(w, data.drafts), '');
  return out.join('\n');
}

// ---- HTML --------------------------------------------------------------------------------------

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const htmlText = (text: string) => htmlEscape(text).replace(/\r?\n/g, '<br>\n');

const CSS = `body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1{border-bottom:2px solid #444}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.clause{margin:1.5rem 0}.text{white-space:normal}.record{font-size:.9rem;background:#f6f6f6;padding:.5rem 1rem;border-radius:4px}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}`;

function html(data: CodeDocumentData, t: TFunction): string {
  const w = new Words(t, data, { fixed: htmlEscape, user: htmlText });
  const title = documentTitle(w, data);
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    `<html lang="${htmlEscape(data.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p>${w.t('export.generated', { code: data.code, date: w.date(data.generatedAt) })}</p>`,
  );
  for (const { stage, clauses } of data.stages) {
    out.push(`<section><h2>${w.t('export.stage', { number: stageIndex(stage), name: t(`stages.${stage}`) })}</h2>`);
    if (!clauses.length) out.push(`<p>${w.t('export.noClause')}</p>`);
    for (const c of clauses) {
      out.push(`<article class="clause" id="${htmlEscape(c.ref)}"><h3>${htmlEscape(c.ref)} ${htmlEscape(c.title)}</h3>`, `<p class="text">${htmlText(c.text)}</p>`);
      if (c.rationale) out.push(`<p>${w.t('clause.rationale', {}, { text: htmlText(c.rationale) })}</p>`);
      const { lines, colleges } = recordLines(w, c);
      out.push(`<div class="record"><strong>${w.t('export.record')}</strong><ul>`);
      for (const l of lines) out.push(`<li>${l}</li>`);
      out.push('</ul>');
      if (colleges.length) {
        out.push(`<table><thead><tr>${collegeHeader(w).map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`);
        for (const row of colleges) out.push(`<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`);
        out.push('</tbody></table>');
      }
      out.push('</div></article>');
    }
    out.push('</section>');
  }
  out.push(`<footer><p>${draftsLine(w, data.drafts)}</p></footer>`, '</body>', '</html>', '');
  return out.join('\n');
}

/** The document in `format`; `t` speaks `data.language` (see templates/i18n.ts, `translator`). */
export function buildCodeDocument(data: CodeDocumentData, format: CodeFormat, t: TFunction): string {
  return format === 'html' ? html(data, t) : markdown(data, t);
}
