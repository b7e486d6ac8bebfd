import type { ClauseDetails, CodeStage } from '../src/core/clauses/clauses.js';
import { STAGES } from '../src/core/vocabulary.js';
import { label } from './choices.js';
import { wordDiff } from './diff.js';
import type { TFunction } from './i18n.js';
import { bold, italic, type Block, type Button, type FormView, type MessageView, type Rich } from './view.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What one card holds, so that it stays within Slack's and Teams' message sizes (Teams: about 36 KB)
 * with texts of 4,000 characters: the oldest open amendments in full, the others named; the latest versions.
 */
const AMENDMENTS_SHOWN = 2;
const VERSIONS_SHOWN = 20;
const DECIDED_SHOWN = 10;
/** Unchanged text longer than this, between changes, is shortened to its ends. */
const UNCHANGED_KEPT = 160;

/** At most this much of a difference, of a reason and of a rationale is shown on the card. */
const DIFF_KEPT = 2000;
const NOTE_KEPT = 500;
const MARK_COST = 12;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * A difference with long unchanged stretches shortened to their first and last words (the card
 * shows the current text in full above), and cut after DIFF_KEPT characters.
 */
function condensed(rich: Rich): Rich {
  const shortened = rich.map((span, i): Rich[number] => {
    if (typeof span !== 'string' || span.length <= UNCHANGED_KEPT) return span;
    const half = UNCHANGED_KEPT / 2;
    const head = i === 0 ? '' : span.slice(0, half).replace(/\S*$/, '');
    const tail = i === rich.length - 1 ? '' : span.slice(-half).replace(/^\S*/, '');
    return `${head}…${tail}`;
  });
  const out: Rich = [];
  let room = DIFF_KEPT;
  for (const span of shortened) {
    const text = typeof span === 'string' ? span : span.text;
    // A marked span costs its marks too (Teams: **\{+…+}**).
    const cost = text.length + (typeof span === 'string' ? 0 : MARK_COST);
    if (cost > room) {
      const cut = text.slice(0, Math.max(0, room - (typeof span === 'string' ? 0 : MARK_COST)));
      if (cut) out.push(typeof span === 'string' ? cut : { ...span, text: cut });
      out.push(' …');
      break;
    }
    out.push(span);
    room -= cost;
  }
  return out;
}

/**
 * A clause: status, current text, version history, open amendments with a word-level difference
 * from the current text, links, and the buttons the viewer may use.
 */
export function clauseCard(t: TFunction, d: ClauseDetails, viewerId: number): MessageView {
  const { clause, current } = d;
  const name = (id: number) => d.names.get(id) ?? '?';
  const title = t('clause.title', { ref: d.ref, title: current.title });
  const isDraft = clause.status === 'draft';
  const blocks: Block[] = [
    { type: 'heading', text: title },
    {
      type: 'fields',
      fields: [
        { label: t('clause.status'), value: [t(`clauseStatus.${clause.status}`)] },
        { label: t('clause.stage'), value: [label(t, 'stages', clause.stage)] },
        { label: t('clause.group'), value: [clause.group?.name ?? t('clause.noGroup')] },
        { label: t('clause.convenor'), value: [name(d.convenorId)] },
      ],
    },
    { type: 'quote', text: current.text },
  ];
  if (isDraft) blocks.push({ type: 'buttons', buttons: [{ action: 'clause.amend', label: t('clause.propose'), value: d.ref }] });
  if (current.rationale) blocks.push({ type: 'context', text: [t('clause.rationale', { text: clip(current.rationale, NOTE_KEPT) })] });
  blocks.push({
    type: 'text',
    text: [
      bold(t('clause.history')),
      ...d.versions.slice(-VERSIONS_SHOWN).flatMap((v): Rich => [
        '\n',
        t('clause.versionLine', { version: v.version, date: day(v.createdAt), author: name(v.authorId) }),
        ...(v.fromAmendmentId ? [' ', italic(t('clause.fromAmendment', { id: v.fromAmendmentId }))] : []),
      ]),
    ],
  });
  const links: string[] = [...d.links.observationIds.map((id) => `#${id}`), ...d.links.caseRefs];
  if (links.length) blocks.push({ type: 'context', text: [t('clause.links', { links: links.join(' · ') })] });
  const decided = d.decidedAmendments.slice(-DECIDED_SHOWN).map((a) =>
    t(a.status === 'accepted' ? 'clause.decidedAccepted' : 'clause.decidedRejected', { id: a.id, by: name(a.decidedById ?? 0), reason: clip(a.decisionReason ?? '', NOTE_KEPT) }),
  );
  if (decided.length) blocks.push({ type: 'context', text: [decided.join('\n')] });

  if (d.openAmendments.length === 0) blocks.push({ type: 'context', text: [t('clause.noAmendments')] });
  const waiting = d.openAmendments.length - AMENDMENTS_SHOWN;
  if (waiting > 0) blocks.push({ type: 'context', text: [t('clause.moreAmendments', { count: waiting, ids: d.openAmendments.slice(AMENDMENTS_SHOWN).map((a) => `#${a.id}`).join(', ') })] });
  for (const a of d.openAmendments.slice(0, AMENDMENTS_SHOWN)) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'text',
      text: [
        bold(t('clause.amendment', { id: a.id })),
        ' ',
        t('clause.amendmentBy', { author: name(a.authorId), date: day(a.createdAt), version: a.baseVersion }),
        '\n',
        ...condensed(wordDiff(current.text, a.text)),
      ],
    });
    blocks.push({ type: 'context', text: [t('clause.reason', { text: clip(a.reason, NOTE_KEPT) })] });
    if (isDraft && viewerId === d.convenorId) {
      blocks.push({
        type: 'buttons',
        buttons: [
          { action: 'amendment.accept', label: t('clause.accept', { id: a.id }), value: String(a.id), style: 'primary' },
          { action: 'amendment.reject', label: t('clause.reject', { id: a.id }), value: String(a.id), style: 'danger' },
        ],
      });
    }
  }
  return { summary: title, blocks };
}

/** A code's adopted clauses by stage; stages without any say so, with their drafts in progress. */
export function codeView(t: TFunction, code: string, platformName: string, stages: CodeStage[]): MessageView {
  const title = t('code.title', { code, platform: platformName });
  const blocks: Block[] = [{ type: 'heading', text: title }];
  for (const s of stages) {
    const head: Rich = [bold(`${STAGES.indexOf(s.stage) + 1}. ${label(t, 'stages', s.stage)}`)];
    const lines: Rich = s.adopted.length
      ? s.adopted.flatMap((c): Rich => ['\n', bold(c.ref), ` ${c.title} — `, c.text])
      : ['\n', italic(t('code.noneAdopted'))];
    blocks.push({ type: 'text', text: [...head, ...lines] });
    if (s.drafts) blocks.push({ type: 'context', text: [t('code.drafts', { count: s.drafts })] });
  }
  return { summary: title, blocks };
}

export function clauseForm(
  t: TFunction,
  data: { state: string; groups: Array<{ id: number; name: string }>; code: string },
): FormView {
  return {
    form: 'clause.form',
    title: t('clauseForm.title', { code: data.code }),
    submit: t('clauseForm.submit'),
    close: t('clauseForm.close'),
    state: data.state,
    fields: [
      { type: 'select', id: 'stage', label: t('clauseForm.stage'), choices: STAGES.map((s, i) => ({ value: s, label: `${i + 1}. ${t(`stages.${s}`)}` })) },
      { type: 'text', id: 'title', label: t('clauseForm.clauseTitle'), maxLength: 200 },
      { type: 'text', id: 'text', label: t('clauseForm.text'), multiline: true, maxLength: 4000 },
      { type: 'text', id: 'rationale', label: t('clauseForm.rationale'), multiline: true, optional: true, maxLength: 2000 },
      ...(data.groups.length
        ? [{ type: 'select' as const, id: 'group', label: t('clauseForm.group'), optional: true, choices: data.groups.map((g) => ({ value: String(g.id), label: g.name })) }]
        : []),
      { type: 'text', id: 'observations', label: t('clauseForm.observations'), optional: true, maxLength: 200, hint: t('clauseForm.observationsHint') },
      { type: 'text', id: 'cases', label: t('clauseForm.cases'), optional: true, maxLength: 400, hint: t('clauseForm.casesHint') },
    ],
  };
}

export function amendmentForm(t: TFunction, data: { state: string; ref: string; text: string }): FormView {
  return {
    form: 'amendment.form',
    title: t('amendmentForm.title', { ref: data.ref }),
    submit: t('amendmentForm.submit'),
    close: t('amendmentForm.close'),
    state: data.state,
    fields: [
      { type: 'text', id: 'text', label: t('amendmentForm.text'), multiline: true, maxLength: 4000, value: data.text },
      { type: 'text', id: 'reason', label: t('amendmentForm.reason'), multiline: true, maxLength: 2000 },
    ],
  };
}

export function rejectionForm(t: TFunction, data: { state: string; id: number }): FormView {
  return {
    form: 'amendment.reject-form',
    title: t('rejectForm.title', { id: data.id }),
    submit: t('rejectForm.submit'),
    close: t('rejectForm.close'),
    state: data.state,
    fields: [{ type: 'text', id: 'reason', label: t('rejectForm.reason'), multiline: true, maxLength: 2000 }],
  };
}
