import { z } from 'zod';
import type { Member, PrismaClient } from '../db/client.js';
import { ACTOR_TYPES, COUNTRIES, LANGUAGE_PATTERN, normaliseCountry } from './vocabulary.js';
import type { ChatChannel } from './platforms.js';

export type { Member };

/** Who is speaking, as a chat channel names them. */
export interface ChatIdentity {
  channel: ChatChannel;
  workspace: string;
  externalId: string;
  displayName?: string;
}

export const ProfileInput = z.object({
  actorType: z.enum(ACTOR_TYPES, { message: 'errors.actorType' }),
  organisation: z.string().trim().max(200, 'errors.tooLong').optional(),
  country: z
    .string()
    .transform(normaliseCountry)
    .pipe(z.enum(COUNTRIES, { message: 'errors.country' })),
  language: z.string().regex(LANGUAGE_PATTERN, 'errors.language'),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

/**
 * Members met recently, per database: every request starts by finding its member, and most come
 * from a handful of people. An entry lives a minute, so a profile changed by another process
 * shows here within a minute; changes made here replace the entry at once.
 */
const recent = new WeakMap<PrismaClient, Map<string, { member: Member; until: number }>>();
const MEMBER_TTL_MS = 60_000;
const MAX_RECENT = 10_000;

function remember(db: PrismaClient, member: Member): Member {
  let cache = recent.get(db);
  if (!cache) recent.set(db, (cache = new Map()));
  if (cache.size >= MAX_RECENT) cache.clear();
  cache.set(`${member.channel}:${member.workspace}:${member.externalId}`, { member, until: Date.now() + MEMBER_TTL_MS });
  return member;
}

/** The member behind a chat identity, created on first contact (without a profile yet). */
export async function identify(db: PrismaClient, who: ChatIdentity): Promise<Member> {
  const hit = recent.get(db)?.get(`${who.channel}:${who.workspace}:${who.externalId}`);
  const renamed = (m: Member) => !!who.displayName && m.displayName !== who.displayName;
  if (hit && hit.until > Date.now() && !renamed(hit.member)) return hit.member;

  const key = { channel: who.channel, workspace: who.workspace, externalId: who.externalId };
  const found = await db.member.findUnique({ where: { channel_workspace_externalId: key } });
  if (found) {
    if (renamed(found)) return remember(db, await db.member.update({ where: { id: found.id }, data: { displayName: who.displayName } }));
    return remember(db, found);
  }
  return remember(db, await db.member.upsert({
    where: { channel_workspace_externalId: key },
    create: { ...key, displayName: who.displayName },
    update: {},
  }));
}

/** Drops a member from the recent members (`me forget`: their chat id no longer maps to their row). */
export function unremember(db: PrismaClient, who: Pick<Member, 'channel' | 'workspace' | 'externalId'>): void {
  recent.get(db)?.delete(`${who.channel}:${who.workspace}:${who.externalId}`);
}

export function hasProfile(member: Member): boolean {
  return member.profileSetAt !== null;
}

export async function setProfile(db: PrismaClient, memberId: number, profile: ProfileInput): Promise<Member> {
  const member = await db.member.update({
    where: { id: memberId },
    data: { ...profile, organisation: profile.organisation || null, profileSetAt: new Date() },
  });
  return remember(db, member);
}
