/**
 * Issue 5's digest benchmark: the weekly digest of a week with 100,000 observations over the five
 * national platforms, 2,000 cases and 10,000 votes. Time and peak memory of buildDigest for the
 * national digest (FR) and the international one (INT), beside the time of the plain SQL aggregate
 * queries that answer the same questions, run with better-sqlite3 on the same file in the same run:
 * the floor a digest cannot beat. Target: INT under one second, within three times the plain queries.
 *
 * Two layouts, each on a fresh SQLite file migrated as the bot does it and seeded with raw inserts
 * (not measured): every observation in the measured week (the worst case), then the same numbers
 * spread over ten weeks. Each measurement runs RUNS times, interleaved (FR digest, INT digest, FR
 * plain, INT plain), so that a burst elsewhere on the machine does not land on one of them only; the
 * first run is the cold one (new Prisma client, statements not prepared yet). Prints figures and
 * PASS/MISS; exits 0 unless it crashed.
 *
 *   npx tsx bench/digest.ts
 *   BENCH_DIGEST_RUNS=9 npx tsx bench/digest.ts
 *   BENCH_DIGEST_KEEP=1 npx tsx bench/digest.ts   (keeps the database files, for EXPLAIN QUERY PLAN)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadPlatformsConfig } from '../src/config/platforms.js';
import { buildDigest } from '../src/core/digests/build.js';
import type { Audience, DigestData } from '../src/core/digests/types.js';
import { isoWeek, type DigestWindow } from '../src/core/digests/window.js';
import { PlatformDirectory, type Platform } from '../src/core/platforms.js';
import { ACTOR_TYPES, DIMENSIONS, STAGES } from '../src/core/vocabulary.js';
import { DEFAULT_COLLEGES, DEFAULT_FALLBACK_COLLEGE } from '../src/core/votes/rules.js';
import { openDb, type PrismaClient } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { machineCpuUs } from './stats.js';

const OBSERVATIONS = 100_000;
const CASES = 2_000;
const VOTES = 10_000;
const CLAUSES = 2_000;
const MEMBERS = 400;
const EXCHANGES = 60;
const NATIONAL = ['FR', 'BE', 'DE', 'SE', 'UK'] as const;
const LANGUAGE: Record<string, string> = { FR: 'fr', BE: 'nl', DE: 'de', SE: 'sv', UK: 'en' };
/** The week measured; the platforms' zones (Paris, Brussels) agree on it. */
const WEEK = '2026-W46';
const TOP = 8;
const DAY = 24 * 3_600_000;
const WEEK_MS = 7 * DAY;
const TARGET_MS = 1_000;
const TARGET_RATIO = 3;

const RUNS = (() => {
  const raw = process.env.BENCH_DIGEST_RUNS;
  const n = raw === undefined ? 5 : Number(raw);
  if (!Number.isInteger(n) || n < 2) throw new Error(`BENCH_DIGEST_RUNS must be an integer ≥ 2 (got ${raw})`);
  return n;
})();

const say = (line: string) => console.log(line);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
/** How Prisma's better-sqlite3 adapter stores a DateTime (its default `iso8601` format). */
const iso = (d: Date | number) => new Date(d).toISOString().replace('Z', '+00:00');

/** mulberry32: a small seeded generator, so that every run seeds the same database. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- set-up ------------------------------------------------------------------------------------

interface Layout {
  name: string;
  /** Observations are created over this many weeks, the measured one last. */
  weeks: number;
}

const WORDS = 'the works council was informed early about the closure of the plant and the regional employment service offered training to every worker affected by the relocation plan'.split(' ');

/** Seeds the file with raw inserts in one transaction; returns the row counts. */
function seed(file: string, layout: Layout, week: DigestWindow): Record<string, number> {
  const next = random(20261109);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const between = (from: number, to: number) => Math.floor(from + next() * (to - from));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const from = week.from.getTime();
  const to = week.to.getTime();
  const longAgo = from - 52 * WEEK_MS;
  const counts: Record<string, number> = {};
  const count = (table: string) => (counts[table] = (counts[table] ?? 0) + 1);

  db.transaction(() => {
    const member = db.prepare(
      `INSERT INTO Member (channel, workspace, externalId, displayName, actorType, country, language, createdAt, updatedAt) VALUES ('slack', 'T1', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const actorTypes: Array<string | null> = [...ACTOR_TYPES, null];
    for (let i = 1; i <= MEMBERS; i++) {
      const platform = NATIONAL[i % NATIONAL.length]!;
      member.run(`U${String(i).padStart(5, '0')}`, `member ${i}`, pick(actorTypes), platform, LANGUAGE[platform], iso(longAgo), iso(longAgo));
      count('Member');
    }

    const kase = db.prepare(
      `INSERT INTO "Case" (ref, platformId, company, country, type, sources, createdById, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'closure', '[]', ?, ?, ?)`,
    );
    const casesOf = new Map<string, number[]>(NATIONAL.map((p) => [p, []]));
    for (let i = 1; i <= CASES; i++) {
      const platform = NATIONAL[i % NATIONAL.length]!;
      // A twentieth created in the week measured, a tenth changed in it.
      const created = next() < 0.05 ? between(from, to) : between(longAgo, from);
      const updated = next() < 0.1 ? Math.max(created, between(from, to)) : between(created, Math.max(created + 1, from));
      kase.run(`CASE-${i}`, platform, `Company ${i}`, platform, between(1, MEMBERS + 1), iso(created), iso(updated));
      casesOf.get(platform)!.push(i);
      count('Case');
    }

    const observation = db.prepare(
      `INSERT INTO Observation (id, platformId, authorId, text, stage, caseId, innovative, confidentiality, language, channel, conversationId, sourceLink, createdAt, updatedAt, withdrawnAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'slack', ?, ?, ?, ?, ?)`,
    );
    const dimension = db.prepare(`INSERT INTO ObservationDimension (observationId, dimension) VALUES (?, ?)`);
    const card = db.prepare(`INSERT INTO ChatMessage (messageKey, channel, conversationId, messageId, postedAt) VALUES (?, 'slack', ?, ?, ?)`);
    const start = from - (layout.weeks - 1) * WEEK_MS;
    const stages: Array<string | null> = [...STAGES, null];
    for (let id = 1; id <= OBSERVATIONS; id++) {
      const platform = NATIONAL[id % NATIONAL.length]!;
      const cases = casesOf.get(platform)!;
      // Some cases are spoken about much more than others (the square skews towards the first).
      const caseId = next() < 0.85 ? cases[Math.floor(next() ** 2 * cases.length)]! : null;
      const r = next();
      const confidentiality = r < 0.6 ? 'platform' : r < 0.9 ? 'public' : 'secretariat';
      const at = between(start, to);
      const words = Array.from({ length: between(20, 60) }, () => pick(WORDS)).join(' ');
      const conversation = `C01${platform}`;
      observation.run(
        id,
        platform,
        between(1, MEMBERS + 1),
        `${words} (${id})`,
        pick(stages),
        caseId,
        next() < 0.1 ? 1 : 0,
        confidentiality,
        next() < 0.8 ? LANGUAGE[platform] : 'en',
        conversation,
        next() < 0.5 ? `https://example.slack.com/archives/${conversation}/p${at}` : null,
        iso(at),
        iso(at),
        next() < 0.02 ? iso(at + DAY) : null,
      );
      count('Observation');
      for (const d of DIMENSIONS) {
        // One case in ten is never spoken about on its territory: an unbalanced case, whose
        // balance is read over all its observations.
        if (next() < 0.5 && !(d === 'territory' && caseId !== null && caseId % 10 === 0)) {
          dimension.run(id, d);
          count('ObservationDimension');
        }
      }
      card.run(`observation:${id}`, conversation, `${Math.floor(at / 1000)}.${String(id).padStart(6, '0')}`, iso(at));
      count('ChatMessage');
    }

    const clause = db.prepare(`INSERT INTO Clause (id, code, stage, number, status, createdById, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const version = db.prepare(`INSERT INTO ClauseVersion (clauseId, version, title, text, authorId, createdAt) VALUES (?, ?, ?, ?, ?, ?)`);
    const codes = [...NATIONAL, 'INT'];
    const numbers = new Map<string, number>();
    for (let id = 1; id <= CLAUSES; id++) {
      const code = codes[id % codes.length]!;
      const stage = STAGES[Math.floor(id / codes.length) % STAGES.length]!;
      const number = (numbers.get(`${code}:${stage}`) ?? 0) + 1;
      numbers.set(`${code}:${stage}`, number);
      clause.run(id, code, stage, number, 'in-vote', between(1, MEMBERS + 1), iso(longAgo), iso(longAgo));
      for (let v = 1; v <= 2; v++) {
        version.run(id, v, `Clause ${code} ${stage} ${number}, version ${v}`, 'The employer informs the works council early.', between(1, MEMBERS + 1), iso(longAgo + v * DAY));
        count('ClauseVersion');
      }
      count('Clause');
    }

    const vote = db.prepare(
      `INSERT INTO Vote (clauseId, rule, eligibility, closesAt, status, openedById, channel, conversationId, result, createdAt, closedAt)
       VALUES (?, '{"kind":"majority"}', 'platform', ?, ?, ?, 'slack', 'C01', ?, ?, ?)`,
    );
    for (let i = 0; i < VOTES; i++) {
      // Opened over the ten weeks up to the end of the week measured, open 1 to 14 days: about a
      // tenth opened in the week, a tenth closed in it, a few hundred closing in the week after.
      const created = between(to - 10 * WEEK_MS, to);
      const closes = created + between(DAY, 14 * DAY);
      const closed = closes < to;
      const cast = between(5, 60);
      const result = closed ? JSON.stringify({ kind: 'majority', outcome: next() < 0.7 ? 'adopted' : 'rejected', counts: { approve: cast - 3, reject: 3 }, cast, eligible: cast + 20 }) : null;
      vote.run(between(1, CLAUSES + 1), iso(closes), closed ? 'closed' : 'open', between(1, MEMBERS + 1), result, iso(created), closed ? iso(closes) : null);
      count('Vote');
    }

    const exchange = db.prepare(
      `INSERT INTO Exchange (id, topic, organiserId, platformId, durationMinutes, place, languages, status, startsAt, icsToken, createdAt, confirmedAt) VALUES (?, ?, ?, ?, 60, 'https://meet.example/x', '["en"]', ?, ?, ?, ?, ?)`,
    );
    const taking = db.prepare(`INSERT INTO ExchangePlatform (exchangeId, platformId) VALUES (?, ?)`);
    for (let id = 1; id <= EXCHANGES; id++) {
      const created = between(to - 10 * WEEK_MS, to);
      const confirmed = next() < 0.6 ? Math.min(to - 1, created + between(DAY, 5 * DAY)) : null;
      const platforms = [...new Set([pick(NATIONAL), pick(NATIONAL), pick(NATIONAL)])];
      exchange.run(id, `Exchange ${id}`, between(1, MEMBERS + 1), platforms[0], confirmed ? 'confirmed' : 'polling', confirmed ? iso(confirmed + between(DAY, 14 * DAY)) : null, `ics-${id}`, iso(created), confirmed ? iso(confirmed) : null);
      for (const p of platforms) taking.run(id, p);
      count('Exchange');
    }
  })();
  db.pragma('optimize');
  db.close();
  return counts;
}

// ---- the plain SQL aggregates ------------------------------------------------------------------

/**
 * What a digest shows, asked directly of SQLite with hand-written aggregate queries: counts per
 * platform, span, confidentiality (and dimension), the top items of each list with LIMIT and how
 * many there are in all. The same filters as the digest (visibility, withdrawn, spans), none of
 * its shaping. Returns a few totals, to compare with the digest's.
 */
function plainDigest(db: Database.Database, platform: Platform, covered: readonly Platform[], window: DigestWindow, audience: Audience) {
  const ids = covered.map((p) => p.id);
  const inList = ids.map(() => '?').join(', ');
  const [from, to, pFrom] = [iso(window.from), iso(window.to), iso(window.previousFrom)];
  const after = iso(window.to.getTime() + WEEK_MS);
  const secretariat = audience === 'secretariat';
  const countable = secretariat ? '1 = 1' : "o.confidentiality <> 'secretariat'";

  // Figures and the observations' counts: per platform, span and confidentiality, in all, innovative and per dimension.
  const byConf = db
    .prepare(
      `SELECT o.platformId AS p, o.createdAt >= ? AS cur, o.confidentiality AS conf, COUNT(*) AS n, SUM(o.innovative) AS inn,
         ${DIMENSIONS.map((d) => `SUM(EXISTS (SELECT 1 FROM ObservationDimension d WHERE d.observationId = o.id AND d.dimension = '${d}'))`).join(', ')}
       FROM Observation o WHERE o.platformId IN (${inList}) AND o.createdAt >= ? AND o.createdAt < ? AND o.withdrawnAt IS NULL
       GROUP BY 1, 2, 3`,
    )
    .all(from, ...ids, pFrom, to) as Array<{ p: string; cur: number; conf: string; n: number; inn: number }>;
  db.prepare(`SELECT platformId AS p, createdAt >= ? AS cur, COUNT(*) AS n FROM "Case" WHERE platformId IN (${inList}) AND createdAt >= ? AND createdAt < ? GROUP BY 1, 2`).all(
    from,
    ...ids,
    pFrom,
    to,
  );
  const votesOpened = db
    .prepare(`SELECT c.code AS p, v.createdAt >= ? AS cur, COUNT(*) AS n FROM Vote v JOIN Clause c ON c.id = v.clauseId WHERE c.code IN (${inList}) AND v.createdAt >= ? AND v.createdAt < ? GROUP BY 1, 2`)
    .all(from, ...ids, pFrom, to) as Array<{ p: string; cur: number; n: number }>;
  db.prepare(
    `SELECT c.code AS p, v.closedAt >= ? AS cur, COUNT(*) AS n FROM Vote v JOIN Clause c ON c.id = v.clauseId WHERE c.code IN (${inList}) AND v.status = 'closed' AND v.closedAt >= ? AND v.closedAt < ? GROUP BY 1, 2`,
  ).all(from, ...ids, pFrom, to);

  // The first observations each platform may quote: innovative first, then the newest.
  for (const p of covered) {
    const quotable = secretariat ? ['platform', 'public', 'secretariat'] : p.id === platform.id ? ['platform', 'public'] : ['public'];
    const top = covered.length > 1 ? 4 : TOP;
    const list = db.prepare(
      `SELECT o.id, o.platformId, substr(o.text, 1, 400) AS text, o.language, o.innovative, o.confidentiality, o.stage, o.createdAt, o.sourceLink,
         m.actorType, c.ref, (SELECT group_concat(d.dimension) FROM ObservationDimension d WHERE d.observationId = o.id) AS dims
       FROM Observation o JOIN Member m ON m.id = o.authorId LEFT JOIN "Case" c ON c.id = o.caseId
       WHERE o.platformId = ? AND o.createdAt >= ? AND o.createdAt < ? AND o.withdrawnAt IS NULL AND o.innovative = ?
         AND o.confidentiality IN (${quotable.map(() => '?').join(', ')})
       ORDER BY o.createdAt DESC, o.id DESC LIMIT ?`,
    );
    const rows = list.all(p.id, from, to, 1, ...quotable, top) as Array<{ id: number }>;
    if (rows.length < top) rows.push(...(list.all(p.id, from, to, 0, ...quotable, top - rows.length) as Array<{ id: number }>));
    if (rows.length) db.prepare(`SELECT * FROM ChatMessage WHERE messageKey IN (${rows.map(() => '?').join(', ')})`).all(...rows.map((r) => `observation:${r.id}`));
  }

  // Cases: those spoken about in the week (observations per case) or changed in it, the most spoken
  // about first; for those spoken about, whether any of their observations has each dimension and voice.
  const exists = (join: string, condition: string) =>
    `CASE WHEN c.act THEN EXISTS (SELECT 1 FROM Observation o ${join} WHERE o.caseId = c.id AND o.withdrawnAt IS NULL AND ${countable} AND ${condition}) END`;
  const voice = (c: (typeof DEFAULT_COLLEGES)[number]) =>
    exists('JOIN Member m ON m.id = o.authorId', `(${c.id === DEFAULT_FALLBACK_COLLEGE ? 'm.actorType IS NULL OR ' : ''}m.actorType IN (${c.actorTypes.map((t) => `'${t}'`).join(', ')}))`);
  const cases = db
    .prepare(
      `WITH a AS MATERIALIZED (
         SELECT DISTINCT o.caseId AS caseId FROM Observation o
         WHERE o.platformId IN (${inList}) AND o.createdAt >= ? AND o.createdAt < ? AND o.withdrawnAt IS NULL AND ${countable} AND o.caseId IS NOT NULL),
       m AS MATERIALIZED (
         SELECT c.id, c.ref, c.company, c.platformId, c.createdAt, c.updatedAt, c.id IN (SELECT caseId FROM a) AS act FROM "Case" c
         WHERE c.platformId IN (${inList}) AND (c.id IN (SELECT caseId FROM a) OR (c.updatedAt >= ? AND c.updatedAt < ?)))
       SELECT c.id, c.ref, c.company, c.platformId, c.createdAt >= ? AND c.createdAt < ? AS created,
         CASE WHEN c.act THEN (SELECT COUNT(*) FROM Observation o WHERE o.caseId = c.id AND o.withdrawnAt IS NULL AND o.createdAt >= ? AND o.createdAt < ? AND ${countable}) ELSE 0 END AS n,
         ${DIMENSIONS.map((d) => exists('JOIN ObservationDimension d ON d.observationId = o.id', `d.dimension = '${d}'`)).join(', ')},
         ${DEFAULT_COLLEGES.map(voice).join(', ')}
       FROM m c
       ORDER BY n DESC, c.updatedAt DESC, c.id DESC`,
    )
    .raw()
    .all(...ids, from, to, ...ids, from, to, from, to, from, to) as unknown[][];
  const flags = 6;
  const gaps = cases
    .filter((r) => r[flags] !== null)
    .map((r) => ({ caseId: r[0] as number, platformId: r[3] as string, missing: r.slice(flags).filter((x) => !x).length }))
    .filter((g) => g.missing > 0)
    .sort((x, y) => y.missing - x.missing || y.caseId - x.caseId);
  if (gaps.slice(0, TOP).some((g) => g.platformId === platform.id)) {
    db.prepare(
      `SELECT m.channel, m.externalId, m.displayName, m.actorType FROM Member m
       WHERE m.actorType IS NOT NULL AND m.forgottenAt IS NULL AND m.id IN (SELECT DISTINCT o.authorId FROM Observation o WHERE o.platformId = ? AND o.withdrawnAt IS NULL)
       ORDER BY m.id LIMIT 48`,
    ).all(platform.id);
  }

  // Votes of the platform's own code: opened, closing in the week after, closed; the top and the count.
  const voteList = (where: string, order: string, args: unknown[]) => {
    db.prepare(
      `SELECT v.id, v.closesAt, v.closedAt, v.result, c.code, c.stage, c.number,
         (SELECT cv.title FROM ClauseVersion cv WHERE cv.clauseId = c.id ORDER BY cv.version DESC LIMIT 1) AS title
       FROM Vote v JOIN Clause c ON c.id = v.clauseId WHERE c.code = ? AND ${where} ORDER BY ${order}, v.id LIMIT ?`,
    ).all(platform.id, ...args, TOP);
    return db.prepare(`SELECT COUNT(*) AS n FROM Vote v JOIN Clause c ON c.id = v.clauseId WHERE c.code = ? AND ${where}`).get(platform.id, ...args) as { n: number };
  };
  voteList('v.createdAt >= ? AND v.createdAt < ?', 'v.createdAt', [from, to]);
  voteList("v.status = 'open' AND v.closesAt >= ? AND v.closesAt < ?", 'v.closesAt', [to, after]);
  voteList("v.status = 'closed' AND v.closedAt >= ? AND v.closedAt < ?", 'v.closedAt', [from, to]);

  // Exchanges involving a covered platform.
  const exchangeList = (where: string, order: string, args: unknown[]) => {
    const involving = `e.id IN (SELECT exchangeId FROM ExchangePlatform WHERE platformId IN (${inList}))`;
    const rows = db
      .prepare(`SELECT e.id, e.topic, e.startsAt FROM Exchange e WHERE ${involving} AND ${where} ORDER BY ${order}, e.id LIMIT ?`)
      .all(...ids, ...args, TOP) as Array<{ id: number }>;
    if (rows.length) db.prepare(`SELECT exchangeId, platformId FROM ExchangePlatform WHERE exchangeId IN (${rows.map(() => '?').join(', ')}) ORDER BY platformId`).all(...rows.map((r) => r.id));
    db.prepare(`SELECT COUNT(*) AS n FROM Exchange e WHERE ${involving} AND ${where}`).get(...ids, ...args);
  };
  exchangeList('e.createdAt >= ? AND e.createdAt < ?', 'e.createdAt', [from, to]);
  exchangeList("e.status = 'confirmed' AND e.confirmedAt >= ? AND e.confirmedAt < ?", 'e.confirmedAt', [from, to]);
  exchangeList("e.status = 'confirmed' AND e.startsAt >= ? AND e.startsAt < ?", 'e.startsAt', [to, after]);

  const counted = secretariat ? ['platform', 'public', 'secretariat'] : ['platform', 'public'];
  return {
    observations: byConf.filter((r) => r.cur && counted.includes(r.conf)).reduce((s, r) => s + r.n, 0),
    votesOpened: votesOpened.filter((r) => r.cur).reduce((s, r) => s + r.n, 0),
    moved: cases.length,
    unbalanced: gaps.length,
  };
}

/** The same totals, from a digest. */
function totalsOf(d: DigestData) {
  const figures = d.sections.figures?.platforms ?? [];
  const c = d.sections.cases;
  return {
    observations: figures.reduce((s, f) => s + f.observations.current, 0),
    votesOpened: figures.reduce((s, f) => s + f.votesOpened.current, 0),
    moved: c ? c.moved.length + c.movedMore : 0,
    unbalanced: c ? c.unbalanced.length + c.unbalancedMore : 0,
  };
}

// ---- measuring ---------------------------------------------------------------------------------

interface Sample {
  times: number[];
  /** Peak rss above the rss before the run, and peak heapUsed, over every run. */
  rssDelta: number;
  heap: number;
}

const newSample = (): Sample => ({ times: [], rssDelta: 0, heap: 0 });
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Runs `work` once, timing it and sampling memory every 5 ms (the timer fires only between SQLite
 * calls, which block the thread; memory is read again when the work ends).
 */
async function measure(sample: Sample, work: () => unknown): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  const read = () => {
    const m = process.memoryUsage();
    sample.rssDelta = Math.max(sample.rssDelta, m.rss - rss0);
    sample.heap = Math.max(sample.heap, m.heapUsed);
  };
  const timer = setInterval(read, 5);
  const start = performance.now();
  try {
    await work();
  } finally {
    sample.times.push(performance.now() - start);
    clearInterval(timer);
    read();
  }
}

interface LayoutResult {
  layout: Layout;
  rows: Array<{ name: string; digest: Sample; plain: Sample }>;
  otherCores: number;
  agree: boolean;
}

async function runLayout(layout: Layout, platforms: PlatformDirectory): Promise<LayoutResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-digest-'));
  const file = path.join(dir, 'passerelle.db');
  const fr = platforms.get('FR')!;
  const int = platforms.get('INT')!;
  const windowOf = (p: Platform) => isoWeek(WEEK, p.timezone)!;
  try {
    say('');
    say(`## ${layout.name}`);
    const setupStart = performance.now();
    await migrate(file);
    const counts = seed(file, layout, windowOf(fr));
    say(
      `set-up (not measured): migrated and seeded in ${((performance.now() - setupStart) / 1000).toFixed(1)} s: ${Object.entries(counts)
        .map(([t, n]) => `${n.toLocaleString('en')} ${t}`)
        .join(', ')}`,
    );

    const db: PrismaClient = openDb(file);
    const plain = new Database(file, { readonly: true });
    plain.pragma('busy_timeout = 5000');
    const subjects = [
      { name: 'FR digest', platform: fr, audience: 'channel' as Audience },
      { name: 'INT digest', platform: int, audience: 'channel' as Audience },
      { name: 'INT secretariat copy', platform: int, audience: 'secretariat' as Audience },
    ];
    const rows = subjects.map((s) => ({ name: s.name, digest: newSample(), plain: newSample() }));
    let agree = true;
    const machine0 = machineCpuUs();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    try {
      for (let run = 0; run < RUNS; run++) {
        for (const [i, s] of subjects.entries()) {
          let built: DigestData | undefined;
          await measure(rows[i]!.digest, async () => {
            built = await buildDigest({ db, platforms, platform: s.platform, audience: s.audience, window: windowOf(s.platform) });
          });
          let totals: ReturnType<typeof plainDigest> | undefined;
          const covered = s.platform.international ? [s.platform, ...platforms.all.filter((p) => !p.international && !p.demo)] : [s.platform];
          await measure(rows[i]!.plain, () => {
            totals = plainDigest(plain, s.platform, covered, windowOf(s.platform), s.audience);
          });
          if (run === 0) {
            const d = totalsOf(built!);
            const same = d.observations === totals!.observations && d.votesOpened === totals!.votesOpened && d.moved === totals!.moved && d.unbalanced === totals!.unbalanced;
            agree &&= same;
            say(
              `${s.name}: observations in the week ${d.observations.toLocaleString('en')} (plain ${totals!.observations.toLocaleString('en')}), votes opened ${d.votesOpened} (plain ${totals!.votesOpened}), cases moved ${d.moved} (plain ${totals!.moved}), unbalanced ${d.unbalanced} (plain ${totals!.unbalanced})${same ? '' : '  ← DIFFER'}`,
            );
          }
        }
      }
    } finally {
      await db.$disconnect();
      plain.close();
    }
    const cpu = process.cpuUsage(cpu0);
    const wallUs = (performance.now() - wall0) * 1000;
    // os.cpus() counts whole milliseconds per core: good to a few hundredths of a core here.
    const otherCores = Math.max(0, machineCpuUs() - machine0 - cpu.user - cpu.system) / wallUs;

    say('');
    say(`| ${layout.name.padEnd(22)} | cold (1st) | median | max (warm) | plain cold | plain median | plain max | ratio (median) | peak rss Δ | peak heap |`);
    say('|------------------------|-----------:|-------:|-----------:|-----------:|-------------:|----------:|---------------:|-----------:|----------:|');
    for (const r of rows) {
      const warm = (s: Sample) => s.times.slice(1);
      say(
        `| ${r.name.padEnd(22)} | ${ms(r.digest.times[0]!)} | ${ms(median(warm(r.digest)))} | ${ms(Math.max(...warm(r.digest)))} | ${ms(r.plain.times[0]!)} | ${ms(median(warm(r.plain)))} | ${ms(Math.max(...warm(r.plain)))} | ${(median(warm(r.digest)) / median(warm(r.plain))).toFixed(2)}× | ${mb(r.digest.rssDelta)} | ${mb(r.digest.heap)} |`,
      );
    }
    say(`medians and max over the ${RUNS - 1} warm runs (every run: ${rows.map((r) => `${r.name} ${r.digest.times.map((t) => t.toFixed(0)).join('/')} ms`).join('; ')})`);
    say(`other processes on the machine meanwhile: ${otherCores.toFixed(2)} cores on average (of ${(await import('node:os')).cpus().length})${otherCores > 0.3 ? ' — NOISY: run again when the machine is quiet' : ''}`);
    return { layout, rows, otherCores, agree };
  } finally {
    if (process.env.BENCH_DIGEST_KEEP) say(`kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const config = loadPlatformsConfig(fileURLToPath(new URL('../config/platforms.json', import.meta.url)));
  const platforms = new PlatformDirectory(config.platforms, config.secretariat);
  say(
    `Passerelle digest bench: Node ${process.version}; week ${WEEK}, ${OBSERVATIONS.toLocaleString('en')} observations over ${NATIONAL.join(', ')}, ${CASES.toLocaleString('en')} cases, ${VOTES.toLocaleString('en')} votes; ${RUNS} runs each (the first cold)`,
  );
  const results: LayoutResult[] = [];
  for (const layout of [
    { name: 'all in the week', weeks: 1 },
    { name: 'spread over 10 weeks', weeks: 10 },
  ]) {
    results.push(await runLayout(layout, platforms));
  }

  say('');
  const line = (ok: boolean, text: string) => say(`${ok ? 'PASS' : 'MISS'} ${text}`);
  for (const r of results) {
    const int = r.rows.find((x) => x.name === 'INT digest')!;
    const fr = r.rows.find((x) => x.name === 'FR digest')!;
    const warm = (s: Sample) => s.times.slice(1);
    const intMedian = median(warm(int.digest));
    line(intMedian < TARGET_MS, `${r.layout.name}: INT digest median ${ms(intMedian)} (cold ${ms(int.digest.times[0]!)}) (target < ${TARGET_MS.toLocaleString('en')} ms)`);
    for (const x of [int, fr]) {
      const ratio = median(warm(x.digest)) / median(warm(x.plain));
      line(ratio <= TARGET_RATIO, `${r.layout.name}: ${x.name} ${ratio.toFixed(2)}× the plain SQL aggregates (${ms(median(warm(x.digest)))} / ${ms(median(warm(x.plain)))}) (target ≤ ${TARGET_RATIO}×)`);
    }
    line(r.agree, `${r.layout.name}: the digest's totals agree with the plain queries' (observations, votes opened, cases moved, unbalanced cases)`);
  }
  say(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error('bench crashed:', error);
  process.exitCode = 1;
});
