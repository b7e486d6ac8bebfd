/**
 * The closed vocabularies of the domain (see shared/DOMAIN.md). Identifiers are stable English
 * slugs stored in the database; their labels and chat hashtags in every language live in
 * templates/locales/<lang>.json.
 */

export const DIMENSIONS = ['workers', 'territory', 'company'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Stages of an integrated restructuring process. */
export const STAGES = ['anticipation', 'preparation', 'implementation', 'follow-up'] as const;
export type Stage = (typeof STAGES)[number];

export const ACTOR_TYPES = [
  'employer',
  'union',
  'public-authority',
  'local-authority',
  'employment-service',
  'expert',
  'consultant',
  'other',
] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** platform: the platform and its digests; secretariat: only the secretariat; public: every platform. */
export const CONFIDENTIALITY = ['platform', 'secretariat', 'public'] as const;
export type Confidentiality = (typeof CONFIDENTIALITY)[number];

/** Restructuring types of Eurofound's European Restructuring Monitor. */
export const RESTRUCTURING_TYPES = [
  'bankruptcy',
  'closure',
  'internal-restructuring',
  'merger-acquisition',
  'outsourcing',
  'relocation',
  'offshoring',
  'business-expansion',
  'reshoring',
  'other',
] as const;
export type RestructuringType = (typeof RESTRUCTURING_TYPES)[number];

/** NACE Rev. 2 sections. */
export const NACE_SECTIONS = [
  'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K',
  'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U',
] as const;
export type NaceSection = (typeof NACE_SECTIONS)[number];

/**
 * Countries as Eurostat writes them (ISO 3166-1 alpha-2, but EL for Greece and UK for the
 * United Kingdom): the EU, the EEA and the United Kingdom.
 */
export const COUNTRIES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU',
  'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE',
  'SI', 'SK', 'UK', 'CH',
] as const;
export type Country = (typeof COUNTRIES)[number];

/** ISO codes people type that Eurostat writes otherwise. */
const COUNTRY_ALIASES: Record<string, Country> = { GR: 'EL', GB: 'UK' };

export function normaliseCountry(input: string): string {
  const code = input.trim().toUpperCase();
  return COUNTRY_ALIASES[code] ?? code;
}

/** A NUTS code starts with its country's code (EL, UK as in NUTS) and has up to three more characters. */
export const NUTS_PATTERN = /^[A-Z]{2}[A-Z0-9]{0,3}$/;

/** A language as ISO 639-1 writes it (the bot speaks those with a file in templates/locales). */
export const LANGUAGE_PATTERN = /^[a-z]{2}$/;
