/**
 * Reads `/passerelle observe …` text: the observation in the member's own words, with hashtags
 * in any language of templates/locales (#territory, #territoire, #salariés, #innovant…) and an
 * optional `case:REF`. Tags and references at the start or the end of a line are taken out of
 * the text; inside a sentence they stay as words (`the #workers were consulted` keeps "workers").
 * Never throws: what it cannot read comes back as problems.
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

/** Every accepted hashtag, in every language. */
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

/**
 * A tag, or a case reference standing alone (`case:` then the reference, then a space or
 * punctuation: "In that case: …" is prose). Both start after a space or an opening bracket.
 */
const TOKEN = /(?<=^|[\s([])(?:#(\p{L}[\p{L}\p{M}\p{N}_-]*)|case:([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?=$|[\s.,;!?)\]]))/giu;
/** `#territory#workers` is two tags. */
const GLUED = /(#\p{L}[\p{L}\p{M}\p{N}_-]*)(?=#\p{L})/gu;

interface Token {
  start: number;
  end: number;
  tag?: string;
  ref?: string;
}

/** Tokens with only spaces and other tokens between them and the start or the end of their line. */
function edgeTokens(text: string, tokens: Token[]): Set<Token> {
  let masked = text;
  for (const t of tokens) masked = masked.slice(0, t.start) + ' '.repeat(t.end - t.start) + masked.slice(t.end);
  return new Set(
    tokens.filter((t) => {
      const lineStart = masked.lastIndexOf('\n', t.start - 1) + 1;
      const lineEnd = masked.indexOf('\n', t.end);
      return masked.slice(lineStart, t.start).trim() === '' || masked.slice(t.end, lineEnd === -1 ? undefined : lineEnd).trim() === '';
    }),
  );
}

export function parseObserveText(input: string): ObserveText {
  const source = input.replace(GLUED, '$1 ');
  const tokens: Token[] = [...source.matchAll(TOKEN)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    tag: m[1],
    ref: m[2],
  }));
  const result: ObserveText = { text: '', dimensions: [], innovative: false, problems: [] };
  const refs: string[] = [];
  const unknown: string[] = [];
  for (const { tag, ref } of tokens) {
    if (ref !== undefined) {
      refs.push(ref);
      continue;
    }
    const meaning = vocabulary.meanings.get(normaliseTag(tag!));
    if (!meaning) unknown.push(`#${tag}`);
    else if (meaning.kind === 'dimension') {
      if (!result.dimensions.includes(meaning.value)) result.dimensions.push(meaning.value);
    } else if (meaning.kind === 'stage') result.stage ??= meaning.value;
    else if (meaning.kind === 'innovative') result.innovative = true;
    else result.confidentiality = meaning.value;
  }

  const edges = edgeTokens(source, tokens);
  let text = '';
  let at = 0;
  for (const token of tokens) {
    text += source.slice(at, token.start) + (edges.has(token) ? '' : (token.tag ?? token.ref));
    at = token.end;
  }
  text += source.slice(at);
  result.text = text
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

  if (unknown.length) result.problems.push({ key: 'errors.unknownTag', params: { tags: unknown.join(', ') } });
  if (refs.length > 1) result.problems.push({ key: 'errors.duplicateCaseOption', params: { refs: refs.join(', ') } });
  if (refs.length >= 1) result.caseRef = refs[0];
  return result;
}
