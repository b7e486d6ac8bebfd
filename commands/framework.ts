/**
 * `/passerelle framework search <words> [COUNTRY]` · `framework compare <COUNTRY> <COUNTRY> [type]` ·
 * `framework <number>`: the inventory of national frameworks (imported with `npx passerelle import
 * frameworks`), read-only, in any channel.
 */
import { z } from 'zod';
import { actorsOf, entriesOfType, frameworkEntry, searchFrameworks, searchWords, typeCounts } from '../src/core/frameworks/frameworks.js';
import { matchFrameworkTypes } from '../src/core/frameworks/vocabulary.js';
import { Refusal } from '../src/core/refusal.js';
import { COUNTRIES, normaliseCountry } from '../src/core/vocabulary.js';
import { frameworkCompareView, frameworkEntryView, frameworkOverviewView, frameworkSearchView, typeLabel } from '../templates/framework-views.js';
import { message, TextProblems, type CommandModule, type Reply } from './types.js';

/** Search results shown; the others are counted. */
const SEARCH_SHOWN = 10;

const FrameworkArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('search'), words: z.array(z.string()).min(1), country: z.string().optional() }),
  z.object({ sub: z.literal('compare'), a: z.string(), b: z.string(), type: z.string().optional() }),
  z.object({ sub: z.literal('show'), id: z.number().int().positive() }),
]);
type FrameworkArgs = z.infer<typeof FrameworkArgs>;

const usage = () => new TextProblems([{ key: 'errors.frameworkUsage', params: {} }]);
const isCountry = (code: string) => (COUNTRIES as readonly string[]).includes(normaliseCountry(code));

function read(text: string): unknown {
  const [first, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  if (!first) throw usage();
  const sub = first.toLowerCase();
  if (sub === 'search') {
    // A last word that is a country code (FR, se, UK…) is the country, when there are other words.
    const country = rest.length > 1 && /^[a-z]{2}$/i.test(rest.at(-1)!) && isCountry(rest.at(-1)!) ? normaliseCountry(rest.pop()!) : undefined;
    const words = searchWords(rest.join(' '));
    if (!words.length) throw usage();
    return { sub, words, country };
  }
  if (sub === 'compare') {
    if (rest.length < 2) throw usage();
    const [a, b, ...type] = rest;
    return { sub, a, b, type: type.join(' ') || undefined };
  }
  if (/^#?\d+$/.test(first)) return { sub: 'show', id: Number(first.replace('#', '')) };
  throw usage();
}

function country(code: string): string {
  const normalised = normaliseCountry(code);
  if (!isCountry(normalised)) throw new Refusal('errors.frameworkCountry', { country: code });
  return normalised;
}

export const framework: CommandModule = {
  command: {
    name: 'framework',
    needsPlatform: false,
    args: FrameworkArgs,
    read,
    async run(ctx, args: FrameworkArgs): Promise<Reply[]> {
      if (args.sub === 'search') {
        const found = await searchFrameworks(ctx.db, args.words, { country: args.country, limit: SEARCH_SHOWN });
        if (found.total === 0 && (await ctx.db.frameworkEntry.count()) === 0) throw new Refusal('errors.frameworksEmpty');
        return [message(frameworkSearchView(ctx.t, args.words, args.country, found))];
      }
      if (args.sub === 'show') {
        const entry = await frameworkEntry(ctx.db, args.id);
        if (!entry) throw new Refusal('errors.unknownFramework', { id: args.id });
        return [message(frameworkEntryView(ctx.t, entry, actorsOf(entry)))];
      }
      const a = country(args.a);
      const b = country(args.b);
      if (!args.type) return [message(frameworkOverviewView(ctx.t, a, b, await typeCounts(ctx.db, [a, b])))];
      const types = matchFrameworkTypes(args.type);
      if (types.length === 0) throw new Refusal('errors.frameworkType', { type: args.type, a, b });
      if (types.length > 1) throw new Refusal('errors.frameworkTypeAmbiguous', { type: args.type, types: types.map(typeLabel).join(' · ') });
      const type = types[0]!;
      const [left, right] = await Promise.all([entriesOfType(ctx.db, a, type), entriesOfType(ctx.db, b, type)]);
      return [message(frameworkCompareView(ctx.t, type, [{ country: a, entries: left }, { country: b, entries: right }]))];
    },
  },
};
