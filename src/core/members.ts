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

/** The member behind a chat identity, created on first contact (without a profile yet). */
export async function identify(db: PrismaClient, who: ChatIdentity): Promise<Member> {
  const key = { channel: who.channel, workspace: who.workspace, externalId: who.externalId };
  const found = await db.member.findUnique({ where: { channel_workspace_externalId: key } });
  if (found) {
    if (who.displayName && found.displayName !== who.displayName) {
      return db.member.update({ where: { id: found.id }, data: { displayName: who.displayName } });
    }
    return found;
  }
  return db.member.upsert({
    where: { channel_workspace_externalId: key },
    create: { ...key, displayName: who.displayName },
    update: {},
  });
}

export function hasProfile(member: Member): boolean {
  return member.profileSetAt !== null;
}

export async function setProfile(db: PrismaClient, memberId: number, profile: ProfileInput): Promise<Member> {
  return db.member.update({
    where: { id: memberId },
    data: { ...profile, organisation: profile.organisation || null, profileSetAt: new Date() },
  });
}
