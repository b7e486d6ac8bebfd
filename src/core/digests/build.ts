/**
 * Builds a platform's digest for a span of time as neutral data (./types.ts): which platforms it
 * covers, then every section of ./sections.ts. Nothing here knows how a digest looks.
 *
 * Coverage: a national platform's digest covers that platform. An international platform's digest
 * (INT) covers itself and every national platform (`international: false`); a demonstration
 * platform (`demo: true`, the Agents Playground's DEMO) is never covered by another digest, and its
 * own digest covers it alone.
 */
import type { PrismaClient } from '../../db/client.js';
import type { Platform, PlatformDirectory } from '../platforms.js';
import { SECTIONS, type DigestQuery } from './sections.js';
import type { Audience, CardLocation, DigestData, DigestSections } from './types.js';
import type { DigestWindow } from './window.js';

/** How many items a list of a digest shows (then "and N more"). */
export const DEFAULT_TOP = 8;
/** The international digest lists fewer observations per platform. */
export const INTERNATIONAL_TOP = 4;

/** Whether the platform's digest aggregates the national platforms. */
export const aggregates = (platform: Platform): boolean => platform.international && !platform.demo;

/** The platforms a platform's digest covers: itself first. */
export function coveredBy(platform: Platform, platforms: PlatformDirectory): Platform[] {
  if (!aggregates(platform)) return [platform];
  return [platform, ...platforms.all.filter((p) => !p.international && !p.demo)];
}

export interface BuildDigestArgs {
  db: PrismaClient;
  platforms: PlatformDirectory;
  platform: Platform;
  audience: Audience;
  window: DigestWindow;
  /** Items per list; by default DEFAULT_TOP (INTERNATIONAL_TOP per platform for the observations of an international digest). */
  top?: number;
  /** A link to an observation's card, where one can be written (./links.ts). */
  linkTo?: (card: CardLocation) => string | undefined;
}

export async function buildDigest(args: BuildDigestArgs): Promise<DigestData> {
  const covered = coveredBy(args.platform, args.platforms);
  const international = covered.length > 1 || aggregates(args.platform);
  const q: DigestQuery = {
    db: args.db,
    platform: args.platform,
    covered,
    international,
    audience: args.audience,
    window: args.window,
    top: args.top ?? DEFAULT_TOP,
    linkTo: args.linkTo,
    memo: new Map(),
  };
  const sections: Partial<DigestSections> = {};
  for (const section of SECTIONS) {
    const built = await section.build(section.key === 'observations' && international && args.top === undefined ? { ...q, top: INTERNATIONAL_TOP } : q);
    if (built !== undefined) (sections as Record<string, unknown>)[section.key] = built;
  }
  return {
    platformId: args.platform.id,
    platformName: args.platform.name,
    international,
    audience: args.audience,
    window: args.window,
    platformIds: covered.map((p) => p.id),
    sections,
    empty: isEmpty(sections),
  };
}

/** Nothing in the span nor in the span a week earlier, nothing moving in the votes or the cases. */
export function isEmpty(s: Partial<DigestSections>): boolean {
  const figures = s.figures?.platforms ?? [];
  const quiet = figures.every((f) =>
    [f.observations, f.newCases, f.votesOpened, f.votesClosed].every((t) => t.current === 0 && t.previous === 0),
  );
  const votes = s.votes ? [s.votes.opened, s.votes.closing, s.votes.closed].every((l) => l.items.length === 0) : true;
  const cases = s.cases ? s.cases.moved.length === 0 : true;
  const exchanges = s.exchanges ? [s.exchanges.proposed, s.exchanges.confirmed, s.exchanges.upcoming].every((l) => l.items.length === 0) : true;
  return quiet && votes && cases && exchanges;
}
