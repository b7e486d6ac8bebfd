/**
 * The bot speaks every language that has a file in templates/locales; English and French completely
 * (the issue requires help in both), the others with English as fallback. Hashtags in every language
 * must each mean one thing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { ACCEPTED_TAGS, normaliseTag } from '../../commands/observe-text.js';
import { renderMessage } from '../../src/channels/slack/render.js';
import { DIMENSIONS, STAGES } from '../../src/core/vocabulary.js';
import { helpView } from '../../templates/help.js';
import { FALLBACK_LANGUAGE, LANGUAGES, inEveryLanguage, pickLanguage, translator } from '../../templates/i18n.js';
import { plain } from '../../templates/view.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOCALES_DIR = path.join(ROOT, 'templates/locales');
const LOCALE_FILES = fs.readdirSync(LOCALES_DIR).filter((f) => f.endsWith('.json')).sort();

type Json = string | string[] | { [key: string]: Json };
const locale = (lang: string) => JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, `${lang}.json`), 'utf8')) as Record<string, Json>;

/** Every leaf of a locale file as `a.b.c` → value (arrays are leaves). */
function leaves(tree: Json, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  if (typeof tree === 'string' || Array.isArray(tree)) {
    out.set(prefix, tree);
    return out;
  }
  for (const [key, value] of Object.entries(tree)) for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

/** The text of a rendered help message. */
function helpText(lang: string, unknownVerb?: string): string {
  const view = helpView(translator(lang), COMMANDS, 'slack', unknownVerb);
  return view.blocks
    .map((b) => ('text' in b ? (typeof b.text === 'string' ? b.text : plain(b.text)) : ''))
    .join('\n');
}

describe('locale files', () => {
  it('the languages are exactly the locale files present', () => {
    expect(LOCALE_FILES).toEqual(['de.json', 'en.json', 'fr.json', 'nl.json', 'sv.json']);
    expect([...LANGUAGES]).toEqual(LOCALE_FILES.map((f) => f.replace(/\.json$/, '')));
    expect(FALLBACK_LANGUAGE).toBe('en');
  });

  it('each locale file names its language in that language', () => {
    const names = Object.fromEntries(LANGUAGES.map((l) => [l, (locale(l).language as Record<string, string>)?.name]));
    expect(names).toEqual({ de: 'Deutsch', en: 'English', fr: 'Français', nl: expect.any(String), sv: expect.any(String) });
    expect(new Set(Object.values(names)).size).toBe(LANGUAGES.length);
  });

  const en = leaves(locale('en'));
  const fr = leaves(locale('fr'));

  it('every key of en.json exists in fr.json, with a value of the same kind', () => {
    const missing = [...en.keys()].filter((k) => !fr.has(k));
    expect(missing).toEqual([]);
    const wrongKind = [...en.keys()].filter((k) => fr.has(k) && Array.isArray(en.get(k)) !== Array.isArray(fr.get(k)));
    expect(wrongKind).toEqual([]);
  });

  it('fr.json has no key that en.json lacks (a typo would never be shown)', () => {
    expect([...fr.keys()].filter((k) => !en.has(k))).toEqual([]);
  });

  it('no French sentence is empty, and each uses the same {{placeholders}} as the English one', () => {
    const problems: string[] = [];
    for (const [key, value] of en) {
      const other = fr.get(key);
      if (typeof value !== 'string' || typeof other !== 'string') continue;
      if (other.trim() === '') problems.push(`${key}: empty`);
      if (placeholders(value).join() !== placeholders(other).join()) problems.push(`${key}: ${placeholders(value)} vs ${placeholders(other)}`);
    }
    expect(problems).toEqual([]);
  });

  it('in every other locale, each sentence given keeps the English placeholders', () => {
    const problems: string[] = [];
    for (const lang of LANGUAGES.filter((l) => l !== 'en' && l !== 'fr')) {
      for (const [key, value] of leaves(locale(lang))) {
        const english = en.get(key);
        if (english === undefined) problems.push(`${lang}: ${key} is not an English key`);
        else if (typeof value === 'string' && typeof english === 'string' && placeholders(value).join() !== placeholders(english).join()) {
          problems.push(`${lang}: ${key}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every sentence key the code names literally exists in en.json', () => {
    const files = ['src', 'commands', 'templates'].flatMap((dir) =>
      (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.includes('generated'))
        .map((f) => path.join(ROOT, dir, f)),
    );
    const used = new Set<string>();
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'([a-zA-Z]+\.[\w.-]+)'/g)) used.add(m[1]);
      for (const m of source.matchAll(/'(errors\.[a-zA-Z]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !en.has(k)).sort()).toEqual([]);
  });
});

describe('help in English and French', () => {
  it.each(['en', 'fr'])('%s help lists every command with its usage and summary', (lang) => {
    const t = translator(lang);
    const text = helpText(lang);
    expect(COMMANDS.map((c) => c.name)).toEqual(['observe', 'case', 'indicators', 'practice', 'group', 'clause', 'code', 'exchange', 'digest', 'framework', 'me', 'help']);
    for (const { name } of COMMANDS) {
      expect(text).toContain(`/passerelle ${name}`);
      expect(text).toContain(t(`commands.${name}.summary`));
    }
    expect(text).not.toMatch(/\b(commands|help)\.\w+\.(usage|summary)\b|help\.(title|intro|tags)/); // no raw key
    expect(text).toContain(t('help.title'));
  });

  it('the French help is in French, not the English fallback', () => {
    const en = helpText('en');
    const frText = helpText('fr');
    for (const { name } of COMMANDS) {
      expect(translator('fr')(`commands.${name}.summary`)).not.toBe(translator('en')(`commands.${name}.summary`));
    }
    expect(frText).toContain('commandes');
    expect(frText).not.toBe(en);
  });

  it.each(['en', 'fr', 'de', 'nl', 'sv'])('%s help names a tag for each dimension and stage that the parser accepts', (lang) => {
    const text = helpText(lang);
    const accepted = new Set(ACCEPTED_TAGS.map((t) => normaliseTag(t.slice(1))));
    const shown = [...text.matchAll(/#([\p{L}][\p{L}\p{N}_-]*)/gu)].map((m) => m[1]);
    const firstTags = [...DIMENSIONS, ...STAGES].map((key) => (translator(lang)(`tags.${key}`, { returnObjects: true }) as string[])[0]);
    for (const tag of firstTags) expect(shown).toContain(tag);
    for (const tag of firstTags) expect(accepted.has(normaliseTag(tag))).toBe(true);
  });

  it('help for an unknown command names it and still lists every command, in both languages', () => {
    for (const lang of ['en', 'fr']) {
      const text = helpText(lang, 'obsrve');
      expect(text).toContain('obsrve');
      for (const { name } of COMMANDS) expect(text).toContain(`/passerelle ${name}`);
    }
  });

  it('renders to Slack with every command in both languages', () => {
    for (const lang of ['en', 'fr']) {
      const json = JSON.stringify(renderMessage(helpView(translator(lang), COMMANDS, 'slack')).blocks);
      for (const { name } of COMMANDS) expect(json).toContain(`/passerelle ${name}`);
    }
  });
});

describe('hashtags across languages', () => {
  const meaningKeys = [...DIMENSIONS, ...STAGES, 'innovative', 'secretariat', 'public'];

  it('every locale file gives tags for every dimension', () => {
    for (const lang of LANGUAGES) {
      const tags = locale(lang).tags as Record<string, string[]>;
      for (const d of DIMENSIONS) expect(tags?.[d]?.length, `${lang}: tags.${d}`).toBeGreaterThan(0);
    }
  });

  it('no tag means two different things, across all locale files', () => {
    const meaning = new Map<string, string>();
    const clashes: string[] = [];
    for (const lang of LANGUAGES) {
      const tags = (locale(lang).tags ?? {}) as Record<string, string[]>;
      for (const key of Object.keys(tags)) expect(meaningKeys, `${lang}: tags.${key}`).toContain(key);
      for (const key of meaningKeys) {
        for (const tag of tags[key] ?? []) {
          const norm = normaliseTag(tag);
          const earlier = meaning.get(norm);
          if (earlier && earlier !== key) clashes.push(`#${tag} (${lang}) is ${key} but also ${earlier}`);
          meaning.set(norm, key);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('every tag is a single word the parser can read (letter first, then letters, digits, - or _)', () => {
    for (const { language, values } of meaningKeys.flatMap((k) => inEveryLanguage(`tags.${k}`))) {
      for (const tag of values) expect(tag, language).toMatch(/^\p{L}[\p{L}\p{N}_-]*$/u);
    }
  });

  it('ACCEPTED_TAGS holds tags from each of the 5 locale files, each once', () => {
    const accepted = new Set(ACCEPTED_TAGS.map((t) => normaliseTag(t.slice(1))));
    expect(ACCEPTED_TAGS.every((t) => t.startsWith('#'))).toBe(true);
    expect(accepted.size).toBe(ACCEPTED_TAGS.length);
    for (const lang of LANGUAGES) {
      const tags = Object.values((locale(lang).tags ?? {}) as Record<string, string[]>).flat();
      expect(tags.length, lang).toBeGreaterThan(0);
      const absent = tags.filter((t) => !accepted.has(normaliseTag(t)));
      expect(absent, lang).toEqual([]);
    }
    // One tag only found in each file, to be sure each file was read.
    for (const tag of ['#beschäftigte', '#workers', '#salariés', '#werknemers', '#företag']) expect(ACCEPTED_TAGS).toContain(tag);
  });
});

describe('choosing the language', () => {
  it('picks the first language that has a locale file, else English', () => {
    expect(pickLanguage(null, 'it', 'fr')).toBe('fr');
    expect(pickLanguage(undefined, 'xx')).toBe('en');
    expect(pickLanguage('sv', 'fr')).toBe('sv');
  });

  it('falls back to English for a sentence a locale file lacks', () => {
    expect(translator('de')('errors.internal')).toBe(translator('en')('errors.internal'));
    expect(translator('de')('dimensions.workers')).toBe('Beschäftigte');
    expect(translator('it')('help.title')).toBe(translator('en')('help.title'));
  });
});
