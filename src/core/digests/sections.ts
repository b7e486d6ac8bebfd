/**
 * The sections of a digest, each built by its own few queries. Everything is counted in SQL
 * (GROUP BY, COUNT) and only the first `top` items of a list are read: a digest over a hundred
 * thousand observations reads a few hundred rows.
 *
 * Adding a section is: a type in
 * ./types.ts `DigestSections`, a builder here added to `SECTIONS`, a view in
 * templates/digest-views.ts.
 */
import { Prisma, type PrismaClient } from '../../db/client.js';
import { clauseRef } from '../clauses/numbering.js';
import type { ChatChannel, Platform } from '../platforms.js';
import { DIMENSIONS, type Dimension } from '../vocabulary.js';
import { DEFAULT_COLLEGES, DEFAULT_FALLBACK_COLLEGE } from '../votes/rules.js';
import type { Result } from '../votes/tally.js';
import type {
  Audience,
  CardLocation,
  CasesSection,
  DigestSections,
  DigestWindow,
  ExchangeList,
  ExchangesSection,
  FiguresSection,
  ObservationItem,
  ObservationsSection,
  PlatformFigures,
  Trend,
  UnbalancedCase,
  Voice,
  VoteList,
  VotesSection,
} from './types.js';
import { practices } from './practices-section.js';

/** What every section builder is given. */
export interface DigestQuery {
  db: PrismaClient;
  /** Whose digest it is. */
  platform: Platform;
  /** The platforms it covers: the platform first, then (international digest) the national ones. */
  covered: Platform[];
  international: boolean;
  audience: Audience;
  window: DigestWindow;
  /** How many items a list shows before "and N more". */
  top: number;
  /** A link to an observation's card, where one can be written. */
  linkTo?: (card: CardLocation) => string | undefined;
  /** Results shared by sections (the observation counts), per digest. */
  memo?: Map<string, Promise<unknown>>;
}

/** `make()` once per digest: sections that need the same counts share one query. */
function shared<T>(q: DigestQuery, key: string, make: () => Promise<T>): Promise<T> {
  if (!q.memo) return make();
  let found = q.memo.get(key) as Promise<T> | undefined;
  if (!found) q.memo.set(key, (found = make()));
  return found;
}

export interface SectionBuilder<K extends keyof DigestSections> {
  key: K;
  build(q: DigestQuery): Promise<DigestSections[K] | undefined>;
}

/** The longest excerpt of an observation a digest quotes. */
export const EXCERPT = 280;
/** Members named per missing voice of an unbalanced case. */
const NUDGED_PER_VOICE = 3;
const WEEK_MS = 7 * 24 * 3_600_000;

export const VOICES: readonly Voice[] = DEFAULT_COLLEGES.map((c) => c.id);
const VOICE_OF = new Map<string, Voice>(DEFAULT_COLLEGES.flatMap((c) => c.actorTypes.map((a) => [a as string, c.id as Voice])));
/** A member's voice: their actor type's college; no actor type counts with the experts and others, as in votes. */
export const voiceOf = (actorType: string | null): Voice => VOICE_OF.get(actorType ?? '') ?? (DEFAULT_FALLBACK_COLLEGE as Voice);

const n = (v: unknown) => Number(v ?? 0);
const zeroTrend = (): Trend => ({ current: 0, previous: 0 });
const ids = (platforms: readonly Platform[]) => Prisma.join(platforms.map((p) => p.id));

/** Observations that may be counted in this copy (figures, cases that moved, balance): all but the secretariat's, except in its own copy. */
function countable(q: DigestQuery, alias = 'o'): Prisma.Sql {
  return q.audience === 'secretariat' ? Prisma.sql`1 = 1` : Prisma.sql`${Prisma.raw(alias)}.confidentiality <> 'secretariat'`;
}

/**
 * Which confidentialities this copy may quote from `platformId`: the secretariat's copy, all; a
 * platform's channel, its own observations but the secretariat's; the international channel, the
 * national platforms' public ones (their `platform` observations are for their own channel and digest).
 */
export function quotable(q: DigestQuery, platformId: string): string[] {
  if (q.audience === 'secretariat') return ['platform', 'public', 'secretariat'];
  return platformId === q.platform.id ? ['platform', 'public'] : ['public'];
}

/**
 * `(column in the span) → 1, (in the span a week earlier) → 0`, rows outside both filtered out. One
 * range, so that an index on the column serves it; the gap between the two spans (the current week
 * so far starts after the end of last week's same days) is taken out apart.
 */
function spans(q: DigestQuery, column: string): { where: Prisma.Sql; current: Prisma.Sql } {
  const c = Prisma.raw(column);
  const w = q.window;
  const gap = w.previousTo < w.from ? Prisma.sql` AND NOT (${c} >= ${w.previousTo} AND ${c} < ${w.from})` : Prisma.empty;
  return {
    where: Prisma.sql`(${c} >= ${w.previousFrom} AND ${c} < ${w.to}${gap})`,
    current: Prisma.sql`(${c} >= ${w.from})`,
  };
}

interface Counts {
  total: Trend;
  innovative: Trend;
  byDimension: Record<Dimension, Trend>;
}

const emptyCounts = (): Counts => ({
  total: zeroTrend(),
  innovative: zeroTrend(),
  byDimension: Object.fromEntries(DIMENSIONS.map((d) => [d, zeroTrend()])) as Record<Dimension, Trend>,
});

/** Observations of one platform in both spans, per confidentiality. */
type PlatformCounts = Map<string, Counts>;

/** The sum of a platform's counts over the confidentialities given. */
function countsOf(counts: PlatformCounts | undefined, confidentialities: readonly string[]): Counts {
  const sum = emptyCounts();
  for (const conf of confidentialities) {
    const c = counts?.get(conf);
    if (!c) continue;
    for (const slot of ['current', 'previous'] as const) {
      sum.total[slot] += c.total[slot];
      sum.innovative[slot] += c.innovative[slot];
      for (const d of DIMENSIONS) sum.byDimension[d][slot] += c.byDimension[d][slot];
    }
  }
  return sum;
}

/** The confidentialities a copy counts: all but the secretariat's, except in its own copy. */
const counted = (q: DigestQuery): string[] => (q.audience === 'secretariat' ? ['platform', 'public', 'secretariat'] : ['platform', 'public']);

/**
 * Observations per covered platform and confidentiality in both spans: in all, innovative, per
 * dimension. One pass over the observations (by the platform and date index), grouped by the set of
 * dimensions each has, so that every count the digest shows (figures, and how many each copy may
 * quote) comes from one GROUP BY; shared by the sections.
 */
function observationCounts(q: DigestQuery): Promise<Map<string, PlatformCounts>> {
  return shared(q, 'observationCounts', async () => {
    const obs = spans(q, 'o.createdAt');
    // The inner query is kept apart (LIMIT -1) so that each observation's dimensions are read once.
    const rows = await q.db.$queryRaw<Array<{ p: string; cur: number; conf: string; dims: string | null; n: bigint; inn: bigint | null }>>`
      SELECT p, cur, conf, dims, COUNT(*) AS n, SUM(inn) AS inn FROM (
        SELECT o.platformId AS p, ${obs.current} AS cur, o.confidentiality AS conf, o.innovative AS inn,
          (SELECT group_concat(d.dimension) FROM ObservationDimension d WHERE d.observationId = o.id) AS dims
        FROM Observation o
        WHERE o.platformId IN (${ids(q.covered)}) AND ${obs.where} AND o.withdrawnAt IS NULL
        LIMIT -1)
      GROUP BY p, cur, conf, dims`;
    const out = new Map<string, PlatformCounts>(q.covered.map((p) => [p.id, new Map()]));
    for (const r of rows) {
      const byConf = out.get(r.p)!;
      const c = byConf.get(r.conf) ?? byConf.set(r.conf, emptyCounts()).get(r.conf)!;
      const slot = n(r.cur) ? 'current' : 'previous';
      c.total[slot] += n(r.n);
      c.innovative[slot] += n(r.inn);
      for (const d of (r.dims ?? '').split(',')) if (d in c.byDimension) c.byDimension[d as Dimension][slot] += n(r.n);
    }
    return out;
  });
}

// ---- figures -------------------------------------------------------------------------------------

export const figures: SectionBuilder<'figures'> = {
  key: 'figures',
  async build(q): Promise<FiguresSection> {
    const [counts, cases, opened, closed] = await Promise.all([
      observationCounts(q),
      q.db.$queryRaw<Array<{ p: string; cur: number; n: bigint }>>`
        SELECT c.platformId AS p, ${spans(q, 'c.createdAt').current} AS cur, COUNT(*) AS n
        FROM "Case" c
        WHERE c.platformId IN (${ids(q.covered)}) AND ${spans(q, 'c.createdAt').where}
        GROUP BY p, cur`,
      q.db.$queryRaw<Array<{ p: string; cur: number; n: bigint }>>`
        SELECT c.code AS p, ${spans(q, 'v.createdAt').current} AS cur, COUNT(*) AS n
        FROM Vote v JOIN Clause c ON c.id = v.clauseId
        WHERE c.code IN (${ids(q.covered)}) AND ${spans(q, 'v.createdAt').where}
        GROUP BY p, cur`,
      q.db.$queryRaw<Array<{ p: string; cur: number; n: bigint }>>`
        SELECT c.code AS p, ${spans(q, 'v.closedAt').current} AS cur, COUNT(*) AS n
        FROM Vote v JOIN Clause c ON c.id = v.clauseId
        WHERE c.code IN (${ids(q.covered)}) AND v.status = 'closed' AND ${spans(q, 'v.closedAt').where}
        GROUP BY p, cur`,
    ]);
    const byPlatform = new Map<string, PlatformFigures>(
      q.covered.map((p) => {
        const c = countsOf(counts.get(p.id), counted(q));
        return [
          p.id,
          {
            platformId: p.id,
            platformName: p.name,
            observations: c.total,
            innovative: c.innovative,
            byDimension: c.byDimension,
            newCases: zeroTrend(),
            votesOpened: zeroTrend(),
            votesClosed: zeroTrend(),
          },
        ];
      }),
    );
    const slot = (row: { cur: number }) => (n(row.cur) ? 'current' : 'previous');
    for (const r of cases) byPlatform.get(r.p)!.newCases[slot(r)] += n(r.n);
    for (const r of opened) byPlatform.get(r.p)!.votesOpened[slot(r)] += n(r.n);
    for (const r of closed) byPlatform.get(r.p)!.votesClosed[slot(r)] += n(r.n);
    return { platforms: [...byPlatform.values()] };
  },
};

// ---- observations --------------------------------------------------------------------------------

export const observations: SectionBuilder<'observations'> = {
  key: 'observations',
  async build(q): Promise<ObservationsSection> {
    const counts = await observationCounts(q);
    const platforms = await Promise.all(
      q.covered.map(async (p) => {
        const shown = countsOf(counts.get(p.id), counted(q));
        const quotedCount = countsOf(counts.get(p.id), quotable(q, p.id)).total.current;
        const items = quotedCount ? await firstObservations(q, p, Math.min(q.top, quotedCount)) : [];
        return {
          platformId: p.id,
          platformName: p.name,
          total: shown.total.current,
          innovative: shown.innovative.current,
          byDimension: Object.fromEntries(DIMENSIONS.map((d) => [d, shown.byDimension[d].current])) as Record<Dimension, number>,
          items,
          more: Math.max(0, quotedCount - items.length),
        };
      }),
    );
    return { platforms };
  },
};

/**
 * The first `top` observations of the span that this copy may quote from the platform: the
 * innovative ones first, then the others, each newest first. Two reads down the platform and date
 * index, each stopping once it has enough (no sort of the whole week).
 */
async function firstObservations(q: DigestQuery, p: Platform, top: number): Promise<ObservationItem[]> {
  const where = { platformId: p.id, createdAt: { gte: q.window.from, lt: q.window.to }, withdrawnAt: null, confidentiality: { in: quotable(q, p.id) } };
  const select = {
    id: true,
    platformId: true,
    text: true,
    language: true,
    innovative: true,
    confidentiality: true,
    stage: true,
    createdAt: true,
    sourceLink: true,
    dimensions: { select: { dimension: true } },
    author: { select: { actorType: true } },
    case: { select: { ref: true } },
  } as const;
  const newest = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
  const innovative = await q.db.observation.findMany({ where: { ...where, innovative: true }, orderBy: newest, take: top, select });
  const rows =
    innovative.length < top
      ? [...innovative, ...(await q.db.observation.findMany({ where: { ...where, innovative: false }, orderBy: newest, take: top - innovative.length, select }))]
      : innovative;
  const cards = rows.length ? await q.db.chatMessage.findMany({ where: { messageKey: { in: rows.map((r) => `observation:${r.id}`) } } }) : [];
  const cardOf = new Map(cards.map((c) => [c.messageKey, c]));
  return rows.map((r) => {
    const found = cardOf.get(`observation:${r.id}`);
    const card: CardLocation | undefined = found && { channel: found.channel as ChatChannel, conversationId: found.conversationId, messageId: found.messageId };
    const link = card && q.linkTo?.(card);
    return {
      id: r.id,
      platformId: r.platformId,
      excerpt: excerpt(r.text),
      language: r.language,
      dimensions: DIMENSIONS.filter((d) => r.dimensions.some((x) => x.dimension === d)),
      innovative: r.innovative,
      confidentiality: r.confidentiality,
      stage: r.stage,
      caseRef: r.case?.ref ?? null,
      actorType: r.author.actorType,
      createdAt: r.createdAt,
      sourceLink: r.sourceLink,
      ...(card ? { card } : {}),
      ...(link ? { link } : {}),
    };
  });
}

/** The start of a text, on one line, cut at a word when it can be. */
export function excerpt(text: string, max = EXCERPT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const points = Array.from(flat);
  if (points.length <= max) return flat;
  const cut = points.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

// ---- cases ---------------------------------------------------------------------------------------

export const cases: SectionBuilder<'cases'> = {
  key: 'cases',
  async build(q): Promise<CasesSection> {
    const { from, to } = q.window;
    const platforms = ids(q.covered);
    // Named columns: d0… one per dimension, v0… one per voice. Each asks whether any of the case's
    // observations has it, and stops at the first that does (the observations by case index, which
    // holds what the filter and the member's join need).
    const has = (condition: Prisma.Sql, join: Prisma.Sql = Prisma.empty) => Prisma.sql`
      CASE WHEN c.active THEN EXISTS (
        SELECT 1 FROM Observation o ${join}
        WHERE o.caseId = c.id AND o.withdrawnAt IS NULL AND ${countable(q)} AND ${condition}) END`;
    const dimensionColumns = DIMENSIONS.map(
      (d, i) => Prisma.sql`${has(Prisma.sql`d.dimension = ${d}`, Prisma.sql`JOIN ObservationDimension d ON d.observationId = o.id`)} AS ${Prisma.raw(`d${i}`)}`,
    );
    const member = Prisma.sql`JOIN Member m ON m.id = o.authorId`;
    const voiceColumns = DEFAULT_COLLEGES.map((c, i) => {
      const types = Prisma.join([...c.actorTypes]);
      const condition = c.id === DEFAULT_FALLBACK_COLLEGE ? Prisma.sql`(m.actorType IS NULL OR m.actorType IN (${types}))` : Prisma.sql`m.actorType IN (${types})`;
      return Prisma.sql`${has(condition, member)} AS ${Prisma.raw(`v${i}`)}`;
    });
    // The cases that moved, the most spoken about first: spoken about in the span (observations
    // filed on the covered platforms: the platform and date index holds the case), or their
    // factsheet created or changed in it. For each spoken about: how many of its observations are
    // new, and, over all its observations, which dimensions and voices it has had. (`IN active`, not
    // a join with it: sorted, SQLite would scan the whole of `active` for each case.)
    const rows = await q.db.$queryRaw<Array<Record<string, unknown> & { id: number; ref: string; company: string; platformId: string; created: number; active: number; wk: bigint }>>`
      WITH active AS MATERIALIZED (
        SELECT DISTINCT w.caseId AS caseId FROM Observation w
        WHERE w.platformId IN (${platforms}) AND w.createdAt >= ${from} AND w.createdAt < ${to}
          AND w.withdrawnAt IS NULL AND ${countable(q, 'w')} AND w.caseId IS NOT NULL),
      moved AS MATERIALIZED (
        SELECT c.id, c.ref, c.company, c.platformId, c.createdAt, c.updatedAt, c.id IN (SELECT caseId FROM active) AS active
        FROM "Case" c
        WHERE c.platformId IN (${platforms}) AND (c.id IN (SELECT caseId FROM active) OR (c.updatedAt >= ${from} AND c.updatedAt < ${to})))
      SELECT c.id AS id, c.ref AS ref, c.company AS company, c.platformId AS platformId,
        (c.createdAt >= ${from} AND c.createdAt < ${to}) AS created,
        c.active AS active,
        CASE WHEN c.active THEN (
          SELECT COUNT(*) FROM Observation o
          WHERE o.caseId = c.id AND o.withdrawnAt IS NULL AND o.createdAt >= ${from} AND o.createdAt < ${to} AND ${countable(q)}) ELSE 0 END AS wk,
        ${Prisma.join(dimensionColumns)},
        ${Prisma.join(voiceColumns)}
      FROM moved c
      ORDER BY wk DESC, c.updatedAt DESC, c.id DESC`;
    const caseRow = new Map(rows.map((r) => [n(r.id), r]));

    const gaps = rows
      .filter((r) => n(r.active))
      .map((row) => {
        return {
          caseId: n(row.id),
          missingDimensions: DIMENSIONS.filter((_, i) => !n(row[`d${i}`])),
          missingVoices: VOICES.filter((_, i) => !n(row[`v${i}`])),
        };
      })
      .filter((g) => g.missingDimensions.length + g.missingVoices.length > 0)
      // The most lopsided first, then the newest case.
      .sort((a, b) => b.missingDimensions.length + b.missingVoices.length - (a.missingDimensions.length + a.missingVoices.length) || b.caseId - a.caseId);
    const shown = gaps.slice(0, q.top);
    // Members are named only for the digest's own platform's cases: they are in its channel.
    const own = (caseId: number) => caseRow.get(caseId)?.platformId === q.platform.id;
    const missing = new Set(shown.filter((g) => own(g.caseId)).flatMap((g) => g.missingVoices));
    const speakers = missing.size ? await membersWhoCouldSpeak(q, [...missing]) : new Map<Voice, UnbalancedCase['couldSpeak'][number]['members']>();
    const unbalanced: UnbalancedCase[] = shown.map((g) => {
      const c = caseRow.get(g.caseId)!;
      return {
        ref: c.ref,
        company: c.company,
        platformId: c.platformId,
        missingDimensions: g.missingDimensions,
        missingVoices: g.missingVoices,
        couldSpeak: own(g.caseId) ? g.missingVoices.map((voice) => ({ voice, members: speakers.get(voice) ?? [] })).filter((s) => s.members.length > 0) : [],
      };
    });
    return {
      moved: rows.slice(0, q.top).map((r) => {
        const created = n(r.created) === 1;
        const count = n(r.wk);
        return { ref: r.ref, company: r.company, platformId: r.platformId, observations: count, created, updated: !created && count === 0 };
      }),
      movedMore: Math.max(0, rows.length - q.top),
      unbalanced,
      unbalancedMore: Math.max(0, gaps.length - unbalanced.length),
    };
  },
};

/** A few members known on the platform (they filed observations there) for each voice. */
async function membersWhoCouldSpeak(q: DigestQuery, voices: Voice[]): Promise<Map<Voice, UnbalancedCase['couldSpeak'][number]['members']>> {
  const actorTypes = DEFAULT_COLLEGES.filter((c) => voices.includes(c.id)).flatMap((c) => [...c.actorTypes]);
  // The platform's authors once (by the platform's index), not a look per member.
  const members = await q.db.$queryRaw<Array<{ channel: string; externalId: string; displayName: string | null; actorType: string | null }>>`
    SELECT m.channel AS channel, m.externalId AS externalId, m.displayName AS displayName, m.actorType AS actorType
    FROM Member m
    WHERE m.actorType IN (${Prisma.join(actorTypes)}) AND m.forgottenAt IS NULL
      AND m.id IN (SELECT DISTINCT o.authorId FROM Observation o WHERE o.platformId = ${q.platform.id} AND o.withdrawnAt IS NULL)
    ORDER BY m.id
    LIMIT ${voices.length * NUDGED_PER_VOICE * 4}`;
  const out = new Map<Voice, UnbalancedCase['couldSpeak'][number]['members']>();
  for (const m of members) {
    const voice = voiceOf(m.actorType);
    const list = out.get(voice) ?? out.set(voice, []).get(voice)!;
    if (list.length < NUDGED_PER_VOICE) list.push({ channel: m.channel as ChatChannel, externalId: m.externalId, displayName: m.displayName });
  }
  return out;
}

// ---- votes ---------------------------------------------------------------------------------------

export const votes: SectionBuilder<'votes'> = {
  key: 'votes',
  async build(q): Promise<VotesSection> {
    const { from, to } = q.window;
    const code = { clause: { code: q.platform.id } };
    const select = {
      id: true,
      closesAt: true,
      closedAt: true,
      result: true,
      clause: { select: { code: true, stage: true, number: true, versions: { orderBy: { version: 'desc' as const }, take: 1, select: { title: true } } } },
    } as const;
    type Row = Prisma.VoteGetPayload<{ select: typeof select }>;
    const list = async (where: Prisma.VoteWhereInput, orderBy: Prisma.VoteOrderByWithRelationInput): Promise<VoteList> => {
      const [rows, count] = await Promise.all([q.db.vote.findMany({ where, orderBy: [orderBy, { id: 'asc' }], take: q.top, select }), q.db.vote.count({ where })]);
      return { items: rows.map(voteItem), more: Math.max(0, count - rows.length) };
    };
    const voteItem = (r: Row) => {
      const result = r.result as unknown as Result | null;
      return {
        voteId: r.id,
        ref: clauseRef(r.clause),
        title: r.clause.versions[0]?.title ?? '',
        closesAt: r.closesAt,
        closedAt: r.closedAt,
        outcome: result?.outcome ?? null,
        cast: result ? result.cast : null,
        eligible: result ? result.eligible : null,
      };
    };
    const [opened, closing, closed] = await Promise.all([
      list({ ...code, createdAt: { gte: from, lt: to } }, { createdAt: 'asc' }),
      list({ ...code, status: 'open', closesAt: { gte: to, lt: new Date(to.getTime() + WEEK_MS) } }, { closesAt: 'asc' }),
      list({ ...code, status: 'closed', closedAt: { gte: from, lt: to } }, { closedAt: 'asc' }),
    ]);
    return { opened, closing, closed };
  },
};

// ---- exchanges -----------------------------------------------------------------------------------

export const exchanges: SectionBuilder<'exchanges'> = {
  key: 'exchanges',
  async build(q): Promise<ExchangesSection> {
    const { from, to } = q.window;
    const involving = { platforms: { some: { platformId: { in: q.covered.map((p) => p.id) } } } };
    const select = { id: true, topic: true, startsAt: true, platforms: { select: { platformId: true }, orderBy: { platformId: 'asc' as const } } } as const;
    const list = async (where: Prisma.ExchangeWhereInput, orderBy: Prisma.ExchangeOrderByWithRelationInput): Promise<ExchangeList> => {
      const [rows, count] = await Promise.all([
        q.db.exchange.findMany({ where: { ...involving, ...where }, orderBy: [orderBy, { id: 'asc' }], take: q.top, select }),
        q.db.exchange.count({ where: { ...involving, ...where } }),
      ]);
      return {
        items: rows.map((r) => ({ id: r.id, topic: r.topic, startsAt: r.startsAt, platformIds: r.platforms.map((p) => p.platformId) })),
        more: Math.max(0, count - rows.length),
      };
    };
    const [proposed, confirmed, upcoming] = await Promise.all([
      list({ createdAt: { gte: from, lt: to } }, { createdAt: 'asc' }),
      list({ status: 'confirmed', confirmedAt: { gte: from, lt: to } }, { confirmedAt: 'asc' }),
      list({ status: 'confirmed', startsAt: { gte: to, lt: new Date(to.getTime() + WEEK_MS) } }, { startsAt: 'asc' }),
    ]);
    return { proposed, confirmed, upcoming };
  },
};

/** The sections, in the order they are built and shown. */
export const SECTIONS: ReadonlyArray<SectionBuilder<keyof DigestSections>> = [figures, observations, cases, votes, exchanges, practices];
