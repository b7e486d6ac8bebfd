/**
 * `passerelle export code FR`: a platform's code of conduct (the international platform's: its
 * recommendations) as a document, Markdown or standalone HTML. Only adopted clauses are in it, by
 * stage and number, each with its adoption record (the closing vote: date, rule, tallies per option
 * and per college, the amendments accepted into it). `buildCodeDocument` is pure; `loadCodeDocument`
 * reads the rows.
 */
import type { PrismaClient } from '../db/client.js';
import type { Platform } from '../config/platforms.js';
import { clauseRef, stageIndex } from '../core/clauses/numbering.js';
import type { Rule } from '../core/votes/rules.js';
import type { Decision, Result } from '../core/votes/tally.js';
import { STAGES, type Stage } from '../core/vocabulary.js';

export const CODE_FORMATS = ['md', 'html'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

const STAGE_NAMES: Record<Stage, string> = {
  anticipation: 'Anticipation',
  preparation: 'Preparation',
  implementation: 'Implementation',
  'follow-up': 'Follow-up',
};

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
  language: string;
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
    generatedAt: now,
    stages: STAGES.map((stage) => ({ stage, clauses: clauses.filter((c) => c.stage === stage).map(adopted) })),
    drafts,
  };
}

// ---- words -------------------------------------------------------------------------------------

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'unknown date');

export function documentTitle(data: Pick<CodeDocumentData, 'international' | 'platformName'>): string {
  return data.international ? 'International recommendations' : `${data.platformName}: Code of conduct`;
}

/** The rule in words: kind, threshold, abstentions, quorum. */
export function ruleInWords(rule: Rule): string {
  const quorum = rule.quorum ? `; quorum ${pct(rule.quorum.share)} of eligible members${rule.kind === 'multiCollege' ? (rule.quorum.per === 'college' ? ' in each college' : ' overall') : ''}` : '';
  if (rule.kind === 'ranked') return `ranked choice (instant runoff) between ${rule.options.join(', ')}${quorum}`;
  const threshold = `${rule.strict ? 'more than' : 'at least'} ${pct(rule.threshold)} in favour${rule.abstentions === 'excluded' ? ', abstentions excluded' : ', abstentions counted'}`;
  if (rule.kind === 'consent') return `consent (no block), ${threshold}${quorum}`;
  if (rule.kind === 'majority') return `majority, ${threshold}${quorum}`;
  return `multi-college ${rule.base} (every college must adopt), ${threshold}${quorum}`;
}

const countsInWords = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([option, n]) => `${option} ${n}`)
    .join(', ');
const participationInWords = (p: { cast: number; eligible: number; participation: number }) =>
  `${p.cast} of ${p.eligible} eligible voted (${pct(p.participation)})`;

interface Line {
  /** Fixed words (trusted). */
  label: string;
  /** User text (escaped by the writer). */
  value?: string;
  /** Fixed words after the value. */
  after?: string;
}

function recordLines(clause: AdoptedClause): { lines: Line[]; colleges: Array<{ label: string; outcome: string; decision: Decision }> } {
  const lines: Line[] = [];
  const a = clause.adoption;
  if (!a) lines.push({ label: 'Adopted; no vote record.' });
  else {
    lines.push({ label: `Adopted on ${day(a.closedAt)}` });
    lines.push({ label: `Rule: ${ruleInWords(a.rule)}` });
    lines.push({ label: `Tally: ${countsInWords(a.result.counts)}; ${participationInWords(a.result)}` });
    if (a.result.winner) lines.push({ label: 'Winning text:', value: a.result.winner });
  }
  lines.push({ label: `Versions: ${clause.versions}` });
  if (!clause.amendments.length) lines.push({ label: 'Amendments accepted: none' });
  for (const am of clause.amendments) lines.push({ label: `Amendment #${am.id} accepted, reason:`, value: am.reason });
  const colleges = (a?.result.colleges ?? []).map((c) => ({ label: c.label, outcome: c.outcome === 'empty' ? 'no eligible member' : c.outcome, decision: c }));
  return { lines, colleges };
}

// ---- Markdown ----------------------------------------------------------------------------------

/** User text in Markdown: every character that could format is backslash-escaped; line breaks kept. */
export function mdEscape(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`)
    .split(/\r?\n/)
    .join('  \n');
}

function markdown(data: CodeDocumentData): string {
  const out: string[] = [];
  out.push(`# ${mdEscape(documentTitle(data))}`, '', `Code ${data.code}, generated on ${day(data.generatedAt)}.`, '');
  for (const { stage, clauses } of data.stages) {
    out.push(`## Stage ${stageIndex(stage)}: ${STAGE_NAMES[stage]}`, '');
    if (!clauses.length) out.push('No clause adopted at this stage.', '');
    for (const c of clauses) {
      out.push(`### ${c.ref} ${mdEscape(c.title)}`, '', mdEscape(c.text), '');
      if (c.rationale) out.push(`*Rationale:* ${mdEscape(c.rationale)}`, '');
      const { lines, colleges } = recordLines(c);
      out.push('**Adoption record**', '');
      for (const l of lines) out.push(`- ${l.label}${l.value !== undefined ? ` ${mdEscape(l.value)}` : ''}${l.after ?? ''}`);
      out.push('');
      if (colleges.length) {
        out.push('| College | Outcome | Votes | Participation |', '| --- | --- | --- | --- |');
        for (const col of colleges) out.push(`| ${mdEscape(col.label)} | ${col.outcome} | ${countsInWords(col.decision.counts)} | ${participationInWords(col.decision)} |`);
        out.push('');
      }
    }
  }
  out.push('---', '', draftsLine(data.drafts), '');
  return out.join('\n');
}

const draftsLine = (n: number) => (n === 0 ? 'No draft clause in progress.' : `${n} draft clause${n === 1 ? '' : 's'} in progress (not part of the code).`);

// ---- HTML --------------------------------------------------------------------------------------

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const htmlText = (text: string) => htmlEscape(text).replace(/\r?\n/g, '<br>\n');

const CSS = `body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1{border-bottom:2px solid #444}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.clause{margin:1.5rem 0}.text{white-space:normal}.record{font-size:.9rem;background:#f6f6f6;padding:.5rem 1rem;border-radius:4px}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}`;

function html(data: CodeDocumentData): string {
  const title = htmlEscape(documentTitle(data));
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
    `<p>Code ${htmlEscape(data.code)}, generated on ${day(data.generatedAt)}.</p>`,
  );
  for (const { stage, clauses } of data.stages) {
    out.push(`<section><h2>Stage ${stageIndex(stage)}: ${STAGE_NAMES[stage]}</h2>`);
    if (!clauses.length) out.push('<p>No clause adopted at this stage.</p>');
    for (const c of clauses) {
      out.push(`<article class="clause" id="${htmlEscape(c.ref)}"><h3>${htmlEscape(c.ref)} ${htmlEscape(c.title)}</h3>`, `<p class="text">${htmlText(c.text)}</p>`);
      if (c.rationale) out.push(`<p><em>Rationale:</em> ${htmlText(c.rationale)}</p>`);
      const { lines, colleges } = recordLines(c);
      out.push('<div class="record"><strong>Adoption record</strong><ul>');
      for (const l of lines) out.push(`<li>${htmlEscape(l.label)}${l.value !== undefined ? ` ${htmlText(l.value)}` : ''}${htmlEscape(l.after ?? '')}</li>`);
      out.push('</ul>');
      if (colleges.length) {
        out.push('<table><thead><tr><th>College</th><th>Outcome</th><th>Votes</th><th>Participation</th></tr></thead><tbody>');
        for (const col of colleges)
          out.push(`<tr><td>${htmlEscape(col.label)}</td><td>${col.outcome}</td><td>${htmlEscape(countsInWords(col.decision.counts))}</td><td>${participationInWords(col.decision)}</td></tr>`);
        out.push('</tbody></table>');
      }
      out.push('</div></article>');
    }
    out.push('</section>');
  }
  out.push(`<footer><p>${draftsLine(data.drafts)}</p></footer>`, '</body>', '</html>', '');
  return out.join('\n');
}

export function buildCodeDocument(data: CodeDocumentData, format: CodeFormat): string {
  return format === 'html' ? html(data) : markdown(data);
}
