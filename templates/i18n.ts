/**
 * Every sentence the bot says lives in templates/locales/<lang>.json. A language is added by
 * adding its file: the list of languages is read from this folder, and missing sentences fall
 * back to English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';

export type { TFunction };

const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');
export const FALLBACK_LANGUAGE = 'en';

const resources = Object.fromEntries(
  fs
    .readdirSync(LOCALES_DIR)
    .filter((f) => /^[a-z]{2}\.json$/.test(f))
    .sort()
    .map((f) => [f.slice(0, 2), { translation: JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, f), 'utf8')) }]),
);

/** The languages that have a locale file. */
export const LANGUAGES: readonly string[] = Object.keys(resources);

const i18n = i18next.createInstance();
void i18n.init({
  resources,
  lng: FALLBACK_LANGUAGE,
  fallbackLng: FALLBACK_LANGUAGE,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function speaks(language: string | null | undefined): language is string {
  return !!language && language in resources;
}

/** The first of the candidates that has a locale file, else English. */
export function pickLanguage(...candidates: Array<string | null | undefined>): string {
  return candidates.find(speaks) ?? FALLBACK_LANGUAGE;
}

/** How members call the bot in each chat tool; sentences say `{{invocation}}` for it. */
export const INVOCATION = { slack: '/passerelle', teams: '@Passerelle' } as const;
export type ChatTool = keyof typeof INVOCATION;

/**
 * i18next resolves a key anew at every call; a sentence without parameters is the same every
 * time, so it is looked up once per language (and chat tool) and kept.
 */
function memoised(t: TFunction, defaults: Record<string, string>): TFunction {
  const fixed = new Map<string, string>();
  const call = t as (k: unknown, o?: unknown) => unknown;
  return ((key: string, options?: Record<string, unknown>) => {
    if (options !== undefined || typeof key !== 'string') return call(key, { ...defaults, ...options });
    let text = fixed.get(key);
    if (text === undefined) fixed.set(key, (text = call(key, defaults) as string));
    return text;
  }) as TFunction;
}

const translators = new Map(
  LANGUAGES.flatMap((language) =>
    (Object.keys(INVOCATION) as ChatTool[]).map((tool) => [`${language}:${tool}`, memoised(i18n.getFixedT(language), { invocation: INVOCATION[tool] })] as const),
  ),
);

/** The sentences of `language` (English where it has no locale file), as told in `tool` (Slack by default). */
export function translator(language: string, tool: ChatTool = 'slack'): TFunction {
  return translators.get(`${pickLanguage(language)}:${tool}`)!;
}

/** A list-valued entry in every language that has it (e.g. the hashtags of a dimension). */
export function inEveryLanguage(key: string): Array<{ language: string; values: string[] }> {
  return LANGUAGES.flatMap((language) => {
    const values = i18n.getResource(language, 'translation', key);
    return Array.isArray(values) ? [{ language, values: values as string[] }] : [];
  });
}
