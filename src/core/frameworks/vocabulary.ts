/**
 * The vocabularies of the national frameworks inventory. Entries keep the English labels of
 * Eurofound's European Restructuring Monitor (lower case, as its exports write them) as their
 * type or categories: the inventory is read in English, like its sources.
 */
import type { Country } from '../vocabulary.js';

export const FRAMEWORK_KINDS = ['legislation', 'support-instrument', 'collective-agreement', 'practice'] as const;
export type FrameworkKind = (typeof FRAMEWORK_KINDS)[number];

export const FRAMEWORK_PHASES = ['anticipation', 'management'] as const;
export type FrameworkPhase = (typeof FRAMEWORK_PHASES)[number];

/**
 * The 19 restructuring-related legislation types the ERM data uses. Its own vocabulary file lists
 * 18: it lacks the two "redundant employees" types of the data, and has "support for redundant
 * employees" instead, which no row uses (accepted too, last, for a file that would).
 */
export const REGULATION_TYPES = [
  'definition of collective dismissal',
  'effects of non-compliance with dismissal regulations',
  'staff information and consultation on collective dismissals',
  'staff information and consultation on restructuring plans',
  'staff information and consultation on business transfers',
  "employers' obligation to provide skill development plans or training",
  'health monitoring of workers affected by restructuring',
  'notice period to employees',
  'obligation to consider alternatives to collective dismissals',
  "public authorities' information and consultation on dismissals",
  'reemployment obligation after restructuring',
  'selection of employees for (collective) dismissals',
  'severance pay/redundancy compensation',
  "employers' obligation to support redundant employees",
  "redundant employees' entitlement to public support",
  'time off for job search',
  "employees' obligation to undertake training",
  'wage guarantee in case of insolvency',
  'working time flexibility',
  'support for redundant employees',
] as const;

/** The 22 categories of the ERM's restructuring support instruments, as the data writes them (its vocabulary file says "Matching" and lacks "fostering mobility"). */
export const INSTRUMENT_CATEGORIES = [
  'advice',
  'training',
  'support of smes',
  'access to finance',
  'income support for workers',
  "support of companies' growth",
  'provision of labour market information',
  'working time flexibility',
  'matching/networking',
  'fostering innovation',
  'support of internationalisation',
  'employment incentive',
  'territorial coordination',
  'start-up support',
  'support of business transfers',
  'recognition of informal/non-formal training',
  'social dialogue',
  'attracting investors',
  'fostering mobility',
  'recognition of vocational education and training',
  'wage flexibility',
  'monitoring of redundancies',
] as const;

/** Spellings of the vocabulary files that differ from the data's. */
const CATEGORY_ALIASES: Record<string, string> = { matching: 'matching/networking' };

/** Every type and category an entry may have, each once (working time flexibility is both). */
export const FRAMEWORK_TYPES: readonly string[] = [...new Set<string>([...REGULATION_TYPES, ...INSTRUMENT_CATEGORIES])];

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** A regulation type as the data writes it, or undefined if it is not one. */
export function regulationType(input: string): string | undefined {
  const key = fold(input);
  return REGULATION_TYPES.find((t) => t === key);
}

/** An instrument category as the data writes it, or undefined if it is not one. */
export function instrumentCategory(input: string): string | undefined {
  const key = fold(input);
  return INSTRUMENT_CATEGORIES.find((c) => c === (CATEGORY_ALIASES[key] ?? key));
}

/** Words of a type typed in chat: letters and digits, without the little words. */
const words = (s: string) =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !['of', 'on', 'to', 'for', 'in', 'and', 'or', 'the', 'by'].includes(w));

/**
 * The types and categories that typed words name: the one written out in full, else those whose
 * label holds every word typed (as a word start: `sever` finds "severance pay/redundancy
 * compensation", `smes` "support of smes").
 */
export function matchFrameworkTypes(input: string): string[] {
  const exact = FRAMEWORK_TYPES.find((t) => t === fold(input) || t === CATEGORY_ALIASES[fold(input)]);
  if (exact) return [exact];
  const typed = words(input);
  if (!typed.length) return [];
  return FRAMEWORK_TYPES.filter((t) => {
    const label = words(t);
    return typed.every((w) => label.some((l) => l.startsWith(w)));
  });
}

/** The category field of an entry: its type, or its categories joined with `; `. */
export const CATEGORY_SEPARATOR = '; ';
export const categoriesOf = (category: string | null): string[] => (category ? category.split(CATEGORY_SEPARATOR) : []);

/** Countries as the ERM names them in English, with their Eurostat codes (src/core/vocabulary.ts COUNTRIES). */
export const COUNTRY_BY_NAME: Readonly<Record<string, Country>> = {
  austria: 'AT',
  belgium: 'BE',
  bulgaria: 'BG',
  croatia: 'HR',
  cyprus: 'CY',
  'czech republic': 'CZ',
  czechia: 'CZ',
  denmark: 'DK',
  estonia: 'EE',
  finland: 'FI',
  france: 'FR',
  germany: 'DE',
  greece: 'EL',
  hungary: 'HU',
  iceland: 'IS',
  ireland: 'IE',
  italy: 'IT',
  latvia: 'LV',
  liechtenstein: 'LI',
  lithuania: 'LT',
  luxembourg: 'LU',
  malta: 'MT',
  netherlands: 'NL',
  'the netherlands': 'NL',
  norway: 'NO',
  poland: 'PL',
  portugal: 'PT',
  romania: 'RO',
  slovakia: 'SK',
  'slovak republic': 'SK',
  slovenia: 'SI',
  spain: 'ES',
  sweden: 'SE',
  switzerland: 'CH',
  'united kingdom': 'UK',
};

/** The code of a country written in English (`United Kingdom` → UK), or undefined. */
export function countryCode(name: string): Country | undefined {
  return COUNTRY_BY_NAME[fold(name)];
}

/** The English name of a country code, for messages and exports. */
export function countryName(code: string): string | undefined {
  const name = Object.entries(COUNTRY_BY_NAME).find(([, c]) => c === code)?.[0];
  return name?.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}
