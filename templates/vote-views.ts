import { DateTime } from 'luxon';
import { optionsOf, type Rule } from '../src/core/votes/rules.js';
import type { Result } from '../src/core/votes/tally.js';
import type { Participation } from '../src/core/votes/participation.js';
import { choices, yesNo } from './choices.js';
import type { TFunction } from './i18n.js';
import { bold, localTime, type Block, type FormView, type MessageView } from './view.js';

export const RULE_KINDS = ['consent', 'majority', 'multiCollege', 'ranked'] as const;

const pct = (share: number) => `${Math.round(share * 100)} %`;

/** `██████░░░░ 60 %`: a share as a bar of ten cells. */
export function bar(share: number): string {
  const full = Math.max(0, Math.min(10, Math.round(share * 10)));
  return `${'█'.repeat(full)}${'░'.repeat(10 - full)} ${pct(share)}`;
}

/** The closing time in the platform's time zone, e.g. `2026-12-01 18:00 (Europe/Paris)`. */
export const closingTime = (at: Date, timezone: string) => `${DateTime.fromJSDate(at).setZone(timezone).toFormat('yyyy-MM-dd HH:mm')} (${timezone})`;

/** The rule in words. */
export function ruleInWords(t: TFunction, rule: Rule): string {
  const quorum = rule.quorum ? ` ${t(rule.quorum.per === 'college' ? 'vote.quorumPerCollege' : 'vote.quorum', { share: pct(rule.quorum.share) })}` : '';
  if (rule.kind === 'ranked') return `${t('vote.rule.ranked')}${quorum}`;
  const threshold = t(rule.strict ? 'vote.moreThan' : 'vote.atLeast', { share: pct(rule.threshold) });
  const base = rule.kind === 'multiCollege' ? rule.base : rule.kind;
  const yes = t(`vote.choices.${base === 'consent' ? 'agree' : 'approve'}`);
  const abstentions = t(`vote.abstentions.${rule.abstentions}`);
  let words = t(`vote.rule.${rule.kind}`, { threshold, yes, abstentions });
  if (rule.kind === 'multiCollege') words += ` ${t('vote.colleges', { colleges: rule.colleges.map((c) => c.label).join(' · ') })}`;
  if (rule.kind === 'multiCollege' && base === 'consent') words += ` ${t('vote.rule.noBlock')}`;
  words += quorum;
  return words;
}

export interface VoteCardData {
  voteId: number;
  ref: string;
  title: string;
  text: string;
  rule: Rule;
  closesAt: Date;
  timezone: string;
  anonymous: boolean;
  resultsHidden: boolean;
  eligible: number;
  cast: number;
  /** Ballots per choice so far; absent when results are hidden until closing. */
  counts?: Record<string, number>;
  /** Once closed. */
  result?: Result;
  clauseStatus: string;
  /** Ranked votes: the texts put to the vote, in option order (`current`, `A12`…). */
  texts?: RankedText[];
}

export interface RankedText {
  option: string;
  text: string;
}

/** What a member reads for an option: a choice (`Agree`), or a text of a ranked vote (`Amendment #12`). */
export function optionLabel(t: TFunction, option: string): string {
  if (option === 'current') return t('vote.currentText');
  const amendment = /^A(\d+)$/.exec(option);
  return amendment ? t('vote.amendmentText', { id: Number(amendment[1]) }) : t(`vote.choices.${option}`);
}

function tallyLines(t: TFunction, options: readonly string[], counts: Record<string, number>, total: number): string {
  return options.map((o) => `${optionLabel(t, o)}  ${bar(total === 0 ? 0 : (counts[o] ?? 0) / total)} (${counts[o] ?? 0})`).join('\n');
}

/** The vote card in the channel: open (buttons, participation, live tallies) or closed (the result). */
export function voteCard(t: TFunction, d: VoteCardData): MessageView {
  const options = optionsOf(d.rule);
  const r = d.result;
  const eligible = r?.eligible ?? d.eligible;
  const cast = r?.cast ?? d.cast;
  const blocks: Block[] = [
    { type: 'heading', text: t('vote.title', { ref: d.ref, title: d.title }) },
    { type: 'quote', text: d.text },
    { type: 'context', text: [ruleInWords(t, d.rule)] },
    {
      type: 'fields',
      fields: [
        { label: t(r ? 'vote.closed' : 'vote.closes'), value: [localTime(closingTime(d.closesAt, d.timezone), d.closesAt)] },
        { label: t('vote.participation'), value: [t('vote.participationValue', { cast, eligible, share: pct(eligible === 0 ? 0 : cast / eligible) })] },
        { label: t('vote.mode'), value: [`${t(d.anonymous ? 'vote.anonymous' : 'vote.named')} · ${t(d.resultsHidden ? 'vote.hidden' : 'vote.live')}`] },
      ],
    },
  ];
  if (d.texts && !r) {
    for (const x of d.texts.slice(1)) blocks.push({ type: 'text', text: [bold(optionLabel(t, x.option))] }, { type: 'quote', text: x.text });
  }
  if (!r && d.texts) {
    blocks.push({ type: 'text', text: [d.counts ? `${t('vote.firstPreferences')}\n${tallyLines(t, options, d.counts, d.cast)}` : t('vote.hiddenUntilClosing')] });
    blocks.push({ type: 'buttons', buttons: [{ action: 'vote.rank', label: t('vote.rank'), value: String(d.voteId), style: 'primary' }] });
    return { summary: t('vote.title', { ref: d.ref, title: d.title }), blocks };
  }
  if (!r) {
    blocks.push({ type: 'text', text: [d.counts ? tallyLines(t, options, d.counts, d.cast) : t('vote.hiddenUntilClosing')] });
    blocks.push({
      type: 'buttons',
      buttons: options.map((o) => ({ action: 'vote.cast', label: t(`vote.choices.${o}`), value: `${d.voteId}:${o}`, ...(o === 'agree' || o === 'approve' ? { style: 'primary' as const } : o === 'block' ? { style: 'danger' as const } : {}) })),
    });
    return { summary: t('vote.title', { ref: d.ref, title: d.title }), blocks };
  }
  blocks.push({ type: 'divider' });
  if (r.rounds) blocks.push(...roundBlocks(t, r));
  else blocks.push({ type: 'text', text: [bold(t('vote.result')), '\n', tallyLines(t, options, r.counts, r.cast)] });
  for (const c of r.colleges ?? []) {
    const head = `${c.label} — ${t(`vote.outcome.${c.outcome}`)} · ${t('vote.participationValue', { cast: c.cast, eligible: c.eligible, share: pct(c.participation) })}`;
    blocks.push({ type: 'text', text: [bold(head), ...(c.eligible ? ['\n', tallyLines(t, options, c.counts, c.cast)] : [])] });
  }
  if (r.decision?.blocks.length) blocks.push({ type: 'text', text: [t('vote.blocks', { reasons: r.decision.blocks.join(' · ') })] });
  blocks.push({
    type: 'fields',
    fields: [
      { label: t('vote.quorumLabel'), value: [t(r.quorumMet ? 'vote.quorumMet' : 'vote.quorumMissed')] },
      { label: t('vote.outcomeLabel'), value: [bold(t(`vote.outcome.${r.outcome}`))] },
      { label: t('clause.status'), value: [t(`clauseStatus.${d.clauseStatus}`)] },
    ],
  });
  return { summary: `${t('vote.title', { ref: d.ref, title: d.title })}: ${t(`vote.outcome.${r.outcome}`)}`, blocks };
}

/** Instant-runoff rounds: the votes of each text still in the count, and which text went out. */
function roundBlocks(t: TFunction, r: Result): Block[] {
  const blocks: Block[] = (r.rounds ?? []).map((round, i) => {
    const counted = Object.values(round.counts).reduce((a, b) => a + b, 0);
    const lines = [tallyLines(t, Object.keys(round.counts), round.counts, counted)];
    if (round.exhausted) lines.push(t('vote.exhausted', { count: round.exhausted }));
    if (round.eliminated) lines.push(t(round.tieBreak ? 'vote.eliminatedTie' : 'vote.eliminated', { text: optionLabel(t, round.eliminated) }));
    return { type: 'text', text: [bold(t('vote.round', { n: i + 1 })), '\n', lines.join('\n')] };
  });
  const chosen = r.winner
    ? t(r.winner.startsWith('A') ? 'vote.chosenAmendment' : 'vote.chosenCurrent', { text: optionLabel(t, r.winner) })
    : r.tied
      ? t('vote.rankedTie', { texts: r.tied.map((o) => optionLabel(t, o)).join(' · ') })
      : t('vote.nothingChosen');
  blocks.push({ type: 'text', text: [bold(chosen)] });
  return blocks;
}

/** The form a member ranks the texts with: first choice required, the others optional. */
export function rankingForm(t: TFunction, o: { state: string; ref: string; texts: RankedText[] }): FormView {
  const choiceList = o.texts.map((x) => ({ value: x.option, label: optionLabel(t, x.option) }));
  return {
    form: 'ranking.form',
    title: t('rankingForm.title', { ref: o.ref }),
    submit: t('rankingForm.submit'),
    close: t('rankingForm.close'),
    state: o.state,
    intro: [t('rankingForm.intro')],
    fields: o.texts.map((_, i) => ({
      type: 'select' as const,
      id: `rank${i + 1}`,
      label: t('rankingForm.rank', { n: i + 1 }),
      choices: choiceList,
      optional: i > 0,
    })),
  };
}

/** The form that opens a vote on a clause. */
export function voteForm(t: TFunction, o: { state: string; ref: string; hasGroup: boolean; timezone: string; date: string; time: string }): FormView {
  return {
    form: 'vote.form',
    title: t('voteForm.title', { ref: o.ref }),
    submit: t('voteForm.submit'),
    close: t('voteForm.close'),
    state: o.state,
    fields: [
      { type: 'radio', id: 'rule', label: t('voteForm.rule'), choices: choices(t, 'voteForm.rules', RULE_KINDS), value: 'consent' },
      { type: 'text', id: 'threshold', label: t('voteForm.threshold'), optional: true, hint: t('voteForm.thresholdHint'), maxLength: 5 },
      { type: 'text', id: 'quorum', label: t('voteForm.quorum'), optional: true, hint: t('voteForm.quorumHint'), maxLength: 5 },
      {
        type: 'radio',
        id: 'eligibility',
        label: t('voteForm.eligibility'),
        choices: choices(t, 'voteForm.eligibilities', o.hasGroup ? ['group', 'platform'] : ['platform']),
        value: o.hasGroup ? 'group' : 'platform',
      },
      { type: 'date', id: 'closeDate', label: t('voteForm.closeDate', { timezone: o.timezone }), value: o.date },
      { type: 'time', id: 'closeTime', label: t('voteForm.closeTime', { timezone: o.timezone }), value: o.time },
      yesNo(t, 'anonymous', t('voteForm.anonymous'), false),
      yesNo(t, 'resultsHidden', t('voteForm.resultsHidden'), false),
      yesNo(t, 'reasonRequired', t('voteForm.reasonRequired'), false),
    ],
  };
}

/** The reason asked for before a block (or any choice, when the vote requires reasons) is recorded. */
export function ballotReasonForm(t: TFunction, o: { state: string; ref: string; choice: string }): FormView {
  return {
    form: 'ballot.form',
    title: t('ballotForm.title', { ref: o.ref }),
    submit: t('ballotForm.submit'),
    close: t('ballotForm.close'),
    state: o.state,
    intro: [t('ballotForm.intro', { choice: t(`vote.choices.${o.choice}`) })],
    fields: [{ type: 'text', id: 'reason', label: t('ballotForm.reason'), multiline: true, maxLength: 2000 }],
  };
}

/** The direct message to a member who has not voted, 24 hours before closing. */
export function reminderView(t: TFunction, o: { ref: string; title: string; platform: string; closesAt: Date; fallback: string }): MessageView {
  const text = t('reminder.text', { ref: o.ref, title: o.title, platform: o.platform });
  return {
    summary: t('reminder.summary', { ref: o.ref, until: o.fallback }),
    blocks: [
      { type: 'heading', text: t('reminder.title', { ref: o.ref }) },
      { type: 'text', text: [text] },
      { type: 'fields', fields: [{ label: t('vote.closes'), value: [localTime(o.fallback, o.closesAt)] }] },
    ],
  };
}

/** Participation in a vote, for its convenor or the secretariat: numbers, and for a named open vote who has not voted. */
export function participationView(t: TFunction, p: Participation, timezone: string): MessageView {
  const share = pct(p.eligible === 0 ? 0 : p.cast / p.eligible);
  const blocks: Block[] = [
    { type: 'heading', text: t('participationView.title', { ref: p.ref, id: p.voteId }) },
    {
      type: 'fields',
      fields: [
        { label: t('vote.participation'), value: [t('vote.participationValue', { cast: p.cast, eligible: p.eligible, share })] },
        { label: t(p.status === 'open' ? 'vote.closes' : 'vote.closed'), value: [localTime(closingTime(p.closesAt, timezone), p.closesAt)] },
      ],
    },
  ];
  if (p.anonymous) blocks.push({ type: 'context', text: [t('participationView.anonymous')] });
  else if (p.notYet) blocks.push({ type: 'text', text: [p.notYet.length ? t('participationView.notYet', { names: p.notYet.join(', ') }) : t('participationView.everyone')] });
  return { summary: t('participationView.title', { ref: p.ref, id: p.voteId }), blocks };
}
