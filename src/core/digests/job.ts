/**
 * The weekly digest job: one per platform (`digest:<PLATFORM>`), at the cron of its `digest` in the
 * platforms file (default Monday 09:00 in the platform's zone). The scheduler runs each due time
 * once across restarts and processes (JobRun), and at start-up the latest one missed while down.
 *
 * A run builds the digest of the 7 days before its due time and queues, in one statement (one
 * transaction: all of it or nothing), every message of it for every copy: each channel bound to the platform, and, for the international
 * digest, each member of the secretariat in a direct message (their copy quotes the observations
 * kept for the secretariat). A copy is the first message `digest:<PLATFORM>:<week>` and its thread
 * replies `digest:<PLATFORM>:<week>:<n>` (n from 2). A copy whose first message is already posted
 * or queued is left alone, so a run repeated after a crash posts nothing twice. A digest with
 * nothing in it (nothing this week nor the week before) is not posted.
 */
import type { Prisma, PrismaClient } from '../../db/client.js';
import type { Logger } from '../../log.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { DEFAULT_DIGEST_CRON } from '../../config/platforms.js';
import { translator } from '../../../templates/i18n.js';
import { digestViews } from '../../../templates/digest-views.js';
import type { MessageView } from '../../../templates/view.js';
import { directTo } from '../direct.js';
import { identify, type Member } from '../members.js';
import { isKnown } from '../outbox.js';
import type { ChatChannel, Platform, PlatformDirectory } from '../platforms.js';
import { aggregates, buildDigest } from './build.js';
import type { Audience, CardLocation, DigestData } from './types.js';
import { pastWeek, type DigestWindow } from './window.js';

export interface DigestDeps {
  db: PrismaClient;
  platforms: PlatformDirectory;
  log: Logger;
  /** Whether a view fits one message of that channel (src/channels/fits.ts); default: a neutral budget. */
  fits?: (channel: ChatChannel, view: MessageView) => boolean;
  linkTo?: (card: CardLocation) => string | undefined;
}

/** Where one copy of a digest goes. */
export interface DigestTarget {
  channel: ChatChannel;
  conversationId: string;
  audience: Audience;
  language: string;
}

export const digestJob = (platform: Pick<Platform, 'id'>) => `digest:${platform.id}`;
export const digestKey = (platformId: string, week: string) => `digest:${platformId}:${week}`;
/** The n-th message of a digest (n ≥ 2: the thread replies). */
export const digestPartKey = (platformId: string, week: string, n: number) => `${digestKey(platformId, week)}:${n}`;

/** Registers the digest job of every platform whose digest is not turned off. */
export function scheduleDigests(deps: DigestDeps & { scheduler: Scheduler }): void {
  for (const platform of deps.platforms.all) {
    if (platform.digest === false) continue;
    const cron = platform.digest?.cron ?? DEFAULT_DIGEST_CRON;
    deps.scheduler.every(digestJob(platform), cron, platform.timezone, async (dueAt) => {
      await postDigest(deps, platform, pastWeek(dueAt, platform.timezone));
    });
  }
}

/** The copies of a platform's digest: its channels, and the secretariat for the international digest. */
export async function digestTargets(deps: Pick<DigestDeps, 'db' | 'platforms' | 'log'>, platform: Platform): Promise<DigestTarget[]> {
  const language = platform.languages[0] ?? 'en';
  const targets: DigestTarget[] = [];
  for (const channel of ['slack', 'teams'] as const) {
    for (const conversationId of deps.platforms.conversationsOf(platform, channel)) targets.push({ channel, conversationId, audience: 'channel', language });
  }
  if (aggregates(platform)) {
    for (const member of await secretariatMembers(deps)) {
      targets.push({ ...directTo(member), audience: 'secretariat', language: member.language ?? language });
    }
  }
  return targets;
}

/**
 * The secretariat's members (platforms file), as Members to write to. One who has not met
 * Passerelle yet is created in the workspace the bot knows for that chat tool (the workspace of
 * the members it has met there, or for Teams of the conversations it was added to); if it knows
 * none, that member gets no copy, with a log line.
 */
async function secretariatMembers(deps: Pick<DigestDeps, 'db' | 'platforms' | 'log'>): Promise<Member[]> {
  const out: Member[] = [];
  for (const channel of ['slack', 'teams'] as const) {
    for (const externalId of deps.platforms.secretariatIds(channel)) {
      const known = await deps.db.member.findFirst({ where: { channel, externalId }, orderBy: { id: 'asc' } });
      if (known) {
        out.push(known);
        continue;
      }
      const workspace = await knownWorkspace(deps.db, channel);
      if (!workspace) {
        deps.log.warn({ channel, externalId }, `no ${channel} workspace known yet: the secretariat member ${externalId} gets no copy of the digest until Passerelle has met someone there`);
        continue;
      }
      out.push(await identify(deps.db, { channel, workspace, externalId }));
    }
  }
  return out;
}

async function knownWorkspace(db: PrismaClient, channel: ChatChannel): Promise<string | undefined> {
  const member = await db.member.findFirst({ where: { channel }, orderBy: { id: 'desc' }, select: { workspace: true } });
  if (member) return member.workspace;
  if (channel === 'teams') {
    const conversation = await db.teamsConversation.findFirst({ where: { tenantId: { not: null } }, orderBy: { updatedAt: 'desc' }, select: { tenantId: true } });
    return conversation?.tenantId ?? undefined;
  }
  return undefined;
}

export interface PostedDigest {
  week: string;
  /** Copies queued by this run. */
  queued: number;
  /** Copies already posted or queued by an earlier run. */
  known: number;
  /** Messages queued (first messages and thread replies). */
  messages: number;
  empty: boolean;
}

/** Builds the platform's digest of `window` and queues every copy not queued yet (see the top of the file). */
export async function postDigest(deps: DigestDeps, platform: Platform, window: DigestWindow): Promise<PostedDigest> {
  const { db, log } = deps;
  const data = new Map<Audience, DigestData>();
  const digestFor = async (audience: Audience) => {
    let built = data.get(audience);
    if (!built) data.set(audience, (built = await buildDigest({ db, platforms: deps.platforms, platform, audience, window, linkTo: deps.linkTo })));
    return built;
  };
  const result: PostedDigest = { week: window.week, queued: 0, known: 0, messages: 0, empty: false };
  const channelCopy = await digestFor('channel');
  if (channelCopy.empty) {
    log.info({ platform: platform.id, week: window.week }, 'digest not posted: nothing happened this week nor the week before');
    return { ...result, empty: true };
  }
  const targets = await digestTargets(deps, platform);
  // The views of each copy (one per audience, chat tool and language).
  const views = new Map<string, MessageView[]>();
  const copies: Array<{ target: DigestTarget; views: MessageView[] }> = [];
  for (const target of targets) {
    const key = `${target.audience}:${target.channel}:${target.language}`;
    let list = views.get(key);
    if (!list) {
      const fits = deps.fits ? (view: MessageView) => deps.fits!(target.channel, view) : undefined;
      list = digestViews(translator(target.language, target.channel), await digestFor(target.audience), { language: target.language, fits });
      views.set(key, list);
    }
    copies.push({ target, views: list });
  }
  const head = digestKey(platform.id, window.week);
  // Copies already queued or posted (a run repeated after a crash) are left alone. The check is
  // outside the insert: only one process runs a (job, due time) at a time (JobRun).
  const rows: Prisma.OutboxMessageCreateManyInput[] = [];
  for (const { target, views: list } of copies) {
    const where = { channel: target.channel, conversationId: target.conversationId };
    if (await isKnown(db, { ...where, messageKey: head })) {
      result.known += 1;
      continue;
    }
    list.forEach((view, i) => {
      rows.push({
        ...where,
        messageKey: i === 0 ? head : digestPartKey(platform.id, window.week, i + 1),
        threadKey: i === 0 ? null : head,
        view: view as object,
        locale: target.language,
      });
    });
    result.queued += 1;
    result.messages += list.length;
  }
  // Every message of every copy in one statement: all of the digest is queued, or none of it. (One
  // statement, not an interactive transaction: no write lock is held across an await, which two
  // processes in one event loop, as in the tests, would turn into a stall.)
  if (rows.length) await db.outboxMessage.createMany({ data: rows });
  log.info({ platform: platform.id, ...result }, 'digest queued');
  return result;
}
