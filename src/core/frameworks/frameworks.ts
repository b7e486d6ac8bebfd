/** Reading the national frameworks inventory: search, a country's entries of one type, one entry, all of them. */
import type { FrameworkEntry, PrismaClient } from '../../db/client.js';
import type { Db } from '../groups.js';
import type { Actor } from './eurofound.js';
import { categoriesOf } from './vocabulary.js';

export type { Actor, FrameworkEntry };

/** The actors of an entry as stored (a JSON list). */
export function actorsOf(entry: Pick<FrameworkEntry, 'actors'>): Actor[] {
  const list: unknown[] = Array.isArray(entry.actors) ? entry.actors : [];
  return list.flatMap((a) => {
    const actor = a as Partial<Actor> | null;
    if (!actor || typeof actor !== 'object' || typeof actor.type !== 'string') return [];
    return [typeof actor.comment === 'string' && actor.comment ? { type: actor.type, comment: actor.comment } : { type: actor.type }];
  });
}

/** The words of a search: two characters or more, each once. */
export function searchWords(text: string): string[] {
  return [...new Set(text.split(/[^\p{L}\p{N}'’/-]+/u).map((w) => w.trim().toLowerCase()).filter((w) => w.length >= 2))];
}

/** Entries where every word is in a name, the description or the type (case-insensitive for unaccented letters, as SQLite's LIKE). */
function matching(words: readonly string[], country?: string) {
  return {
    ...(country ? { country } : {}),
    AND: words.map((w) => ({
      OR: [{ nameEnglish: { contains: w } }, { nameOriginal: { contains: w } }, { description: { contains: w } }, { category: { contains: w } }],
    })),
  };
}

export interface SearchResult {
  entries: FrameworkEntry[];
  total: number;
}

/**
 * The entries holding every word, those with more of the words in their names or type first, then
 * by country and name; at most `limit`, and how many there are in all.
 */
export async function searchFrameworks(db: Db, words: readonly string[], options: { country?: string; limit?: number } = {}): Promise<SearchResult> {
  const limit = options.limit ?? 10;
  const where = matching(words, options.country);
  // Names and types only, to rank; then the few shown in full.
  const found = await db.frameworkEntry.findMany({ where, select: { id: true, country: true, nameEnglish: true, nameOriginal: true, category: true } });
  const score = (e: (typeof found)[number]) => {
    const title = `${e.nameEnglish} ${e.nameOriginal ?? ''} ${e.category ?? ''}`.toLowerCase();
    return words.filter((w) => title.includes(w)).length;
  };
  const ranked = found
    .map((e) => ({ e, s: score(e) }))
    .sort((a, b) => b.s - a.s || a.e.country.localeCompare(b.e.country) || a.e.nameEnglish.localeCompare(b.e.nameEnglish) || a.e.id - b.e.id)
    .slice(0, limit)
    .map((x) => x.e.id);
  const entries = await db.frameworkEntry.findMany({ where: { id: { in: ranked } } });
  const byId = new Map(entries.map((e) => [e.id, e]));
  return { entries: ranked.map((id) => byId.get(id)!), total: found.length };
}

/** A country's entries of one type or category, legislation first, then by name. */
export async function entriesOfType(db: Db, country: string, type: string): Promise<FrameworkEntry[]> {
  const candidates = await db.frameworkEntry.findMany({
    where: { country, category: { contains: type } },
    orderBy: [{ nameEnglish: 'asc' }, { id: 'asc' }],
  });
  // `contains` finds "training" inside "recognition of vocational education and training" too.
  const order = ['legislation', 'collective-agreement', 'support-instrument', 'practice'];
  return candidates.filter((e) => categoriesOf(e.category).includes(type)).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** How many entries each type or category has in each of the countries. */
export async function typeCounts(db: Db, countries: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const rows = await db.frameworkEntry.findMany({ where: { country: { in: [...countries] } }, select: { country: true, category: true } });
  const counts = new Map<string, Map<string, number>>();
  for (const row of rows) {
    for (const type of categoriesOf(row.category)) {
      const perCountry = counts.get(type) ?? new Map<string, number>();
      perCountry.set(row.country, (perCountry.get(row.country) ?? 0) + 1);
      counts.set(type, perCountry);
    }
  }
  return counts;
}

export async function frameworkEntry(db: Db, id: number): Promise<FrameworkEntry | null> {
  return db.frameworkEntry.findUnique({ where: { id } });
}

/** Every entry (or a country's, a kind's), by country, kind, name, read in pages so that any number streams. */
export async function* entriesForExport(db: PrismaClient, filter: { country?: string; kind?: string } = {}, page = 500): AsyncGenerator<FrameworkEntry> {
  const where = { ...(filter.country ? { country: filter.country } : {}), ...(filter.kind ? { kind: filter.kind } : {}) };
  // Keyset pagination over the sort key (country, kind, nameEnglish, id).
  let after: FrameworkEntry | undefined;
  for (;;) {
    const rows: FrameworkEntry[] = await db.frameworkEntry.findMany({
      where: after
        ? {
            ...where,
            OR: [
              { country: { gt: after.country } },
              { country: after.country, kind: { gt: after.kind } },
              { country: after.country, kind: after.kind, nameEnglish: { gt: after.nameEnglish } },
              { country: after.country, kind: after.kind, nameEnglish: after.nameEnglish, id: { gt: after.id } },
            ],
          }
        : where,
      orderBy: [{ country: 'asc' }, { kind: 'asc' }, { nameEnglish: 'asc' }, { id: 'asc' }],
      take: page,
    });
    yield* rows;
    if (rows.length < page) return;
    after = rows[rows.length - 1];
  }
}
