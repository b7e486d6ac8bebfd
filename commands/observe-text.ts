/**
 * Reads `/passerelle observe` text: the observation in the member's own words, with hashtags
 * in any language of templates/locales (#territory, #territoire, #salariés, #innovant…) and an
 * optional `case:REF`. Never throws: what it cannot read comes back as problems.
 */
import { inEveryLanguage } from '../templates/i18n.js';
import { DIMENSIONS, STAGES, type Dimension, type Stage } from '../src/core/vocabulary.js';

type TagMeaning =
  | { kind: 'dimension'; value: Dimension }
  | { kind: 'stage'; value: Stage }
  | { kind: 'innovative' }
  | { kind: 'confidentiality'; value: 'secretariat' | 'public' };

/** `Salariés`, `salaries` and `SALARIÉS` are one tag; so are `follow-up` and `followup`. */
export function normaliseTag(tag: string): string {
  return tag.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[-_]/g, '');
}

function buildVocabulary(): { meanings: Map<string, TagMeaning>; shown: string[] } {
  const meanings = new Map<string, TagMeaning>();
  const shown: string[] = [];
  const add = (key: string, meaning: TagMeaning) => {
    for (const { values } of inEveryLanguage(`tags.${key}`)) {
      for (const tag of values) {
        const norm = normaliseTag(tag);
        const earlier = meanings.get(norm);
        if (earlier && JSON.stringify(earlier) !== JSON.stringify(meaning)) {
          throw new Error(`templates/locales: tag #${tag} means two things (${key} and ${JSON.stringify(earlier)})`);
        }
        if (!earlier) shown.push(`#${tag}`);
        meanings.set(norm, meaning);
      }
    }
  };
  for (const value of DIMENSIONS) add(value, { kind: 'dimension', value });
  for (const value of STAGES) add(value, { kind: 'stage', value });
  add('innovative', { kind: 'innovative' });
  add('secretariat', { kind: 'confidentiality', value: 'secretariat' });
  add('public', { kind: 'confidentiality', value: 'public' });
  return { meanings, shown };
}

const vocabulary = buildVocabulary();

/** Every accepted hashtag, for error messages. */
export const ACCEPTED_TAGS: readonly string[] = vocabulary.shown;

export interface TextProblem {
  key: string;
  params: Record<string, unknown>;
}

export interface ObserveText {
  text: string;
  dimensions: Dimension[];
  stage?: Stage;
  innovative: boolean;
  confidentiality?: 'secretariat' | 'public';
  caseRef?: string;
  problems: TextProblem[];
}

const TOKEN = /(^|\s)(?:#(\p{L}[\p{L}\p{N}_\-]*)|case:(\S*))/giu;

export function parseObserveText(input: string): ObserveText {
  const result: ObserveText = { text: '', dimensions: [], innovative: false, problems: [] };
  const refs: string[] = [];
  const unknown: string[] = [];
  const text = input.replace(TOKEN, (_match, before: string, tag: string | undefined, ref: string | undefined) => {
    if (tag === undefined) {
      refs.push(ref ?? '');
      return before;
    }
    const meaning = vocabulary.meanings.get(normaliseTag(tag));
    if (!meaning) unknown.push(`#${tag}`);
    else if (meaning.kind === 'dimension') {
      if (!result.dimensions.includes(meaning.value)) result.dimensions.push(meaning.value);
    } else if (meaning.kind === 'stage') result.stage ??= meaning.value;
    else if (meaning.kind === 'innovative') result.innovative = true;
    else result.confidentiality = meaning.value;
    return before;
  });
  result.text = text
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  for (const tag of unknown) result.problems.push({ key: 'errors.unknownTag', params: { tag, accepted: ACCEPTED_TAGS.join(' ') } });
  if (refs.length > 1) result.problems.push({ key: 'errors.duplicateCaseOption', params: { refs: refs.join(', ') } });
  if (refs.length >= 1) result.caseRef = refs[0];
  return result;
}
