/**
 * Working groups: of one platform, or cross-border (no platform). The member who creates a group
 * is its convenor and first member; only the convenor adds and removes members.
 */
import { z } from 'zod';
import type { Member, PrismaClient, WorkingGroup } from '../db/client.js';
import type { ChatChannel } from './platforms.js';
import { Refusal } from './refusal.js';

export type { WorkingGroup };
/** The client or a transaction's: the same queries work on both. */
export type Db = PrismaClient | Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** What `group new` asks: a name, and whether the group is the platform's or cross-border. */
export const GroupInput = z.object({
  name: z.string().trim().min(1, 'errors.required').max(80, 'errors.tooLong'),
  scope: z.enum(['platform', 'cross-border'], { message: 'errors.groupScope' }).default('platform'),
});
export type GroupInput = z.infer<typeof GroupInput>;

/**
 * A member named in a command: `@` and the id the member is known by (`@U0123ABC` in Slack, the AAD
 * object id, a GUID, in Teams). Slack sends mentions with their ids; the Teams adapter looks each
 * mentioned person up; either adapter puts `@<id>` in the text the bus reads.
 */
export const MemberMention = z.string().trim().regex(/^@[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/, 'errors.mentionFormat').transform((s) => s.slice(1));

export class GroupNameTaken extends Error {
  constructor(readonly name: string) {
    super(`group ${name} already exists`);
  }
}

export async function createGroup(db: PrismaClient, platformId: string, convenor: Member, input: GroupInput): Promise<WorkingGroup> {
  const scopeId = input.scope === 'cross-border' ? null : platformId;
  return db.$transaction(async (tx) => {
    // SQLite treats NULLs as distinct in unique indexes: cross-border names are checked here.
    const taken = await tx.workingGroup.findFirst({ where: { platformId: scopeId, name: input.name } });
    if (taken) throw new GroupNameTaken(input.name);
    const group = await tx.workingGroup.create({ data: { name: input.name, platformId: scopeId, convenorId: convenor.id } });
    await tx.groupMembership.create({ data: { groupId: group.id, memberId: convenor.id } });
    return group;
  });
}

/** The groups a platform's members see: the platform's own and the cross-border ones. */
export function groupsFor(db: PrismaClient, platformId: string) {
  return db.workingGroup.findMany({
    where: { OR: [{ platformId }, { platformId: null }] },
    orderBy: [{ platformId: 'asc' }, { name: 'asc' }],
    include: { _count: { select: { members: true } } },
  });
}
export type GroupListing = Awaited<ReturnType<typeof groupsFor>>[number];

/** The group named `name` among those the platform sees (its own first, then cross-border). */
export async function findGroup(db: Db, platformId: string, name: string): Promise<WorkingGroup> {
  const found = await db.workingGroup.findMany({ where: { name: name.trim(), OR: [{ platformId }, { platformId: null }] } });
  const group = found.find((g) => g.platformId === platformId) ?? found[0];
  if (!group) throw new Refusal('errors.unknownGroup', { name: name.trim() });
  return group;
}

/**
 * Members by the ids their chat tool gives them. A Slack user Passerelle has not met yet gets a row
 * without a profile; Teams ids are refused unless known: the Teams adapter creates the rows of the
 * people it resolved a mention to, so an unknown one was typed, not mentioned.
 */
async function resolveMentions(
  tx: Db,
  where: { channel: ChatChannel; workspace: string },
  ids: string[],
): Promise<Member[]> {
  const members: Member[] = [];
  for (const externalId of ids) {
    const key = { channel: where.channel, workspace: where.workspace, externalId };
    const known = await tx.member.findUnique({ where: { channel_workspace_externalId: key } });
    if (known) members.push(known);
    else if (where.channel === 'slack' && /^[UW][A-Z0-9]+$/.test(externalId)) members.push(await tx.member.create({ data: key }));
    else throw new Refusal('errors.unknownMention', { who: `@${externalId}` });
  }
  return members;
}

function onlyConvenor(group: WorkingGroup, memberId: number): void {
  if (group.convenorId !== memberId) throw new Refusal('errors.notConvenor', { group: group.name });
}

export async function addMembers(
  db: PrismaClient,
  args: { platformId: string; groupName: string; by: Member; mentions: string[]; where: { channel: ChatChannel; workspace: string } },
): Promise<{ group: WorkingGroup; added: Member[]; already: Member[] }> {
  return db.$transaction(async (tx) => {
    const group = await findGroup(tx, args.platformId, args.groupName);
    onlyConvenor(group, args.by.id);
    const members = await resolveMentions(tx, args.where, [...new Set(args.mentions)]);
    const added: Member[] = [];
    const already: Member[] = [];
    for (const m of members) {
      const existing = await tx.groupMembership.findUnique({ where: { groupId_memberId: { groupId: group.id, memberId: m.id } } });
      if (existing) already.push(m);
      else {
        await tx.groupMembership.create({ data: { groupId: group.id, memberId: m.id } });
        added.push(m);
      }
    }
    return { group, added, already };
  });
}

export async function removeMember(
  db: PrismaClient,
  args: { platformId: string; groupName: string; by: Member; mention: string; where: { channel: ChatChannel; workspace: string } },
): Promise<{ group: WorkingGroup; removed: Member }> {
  return db.$transaction(async (tx) => {
    const group = await findGroup(tx, args.platformId, args.groupName);
    onlyConvenor(group, args.by.id);
    const key = { channel: args.where.channel, workspace: args.where.workspace, externalId: args.mention };
    const member = await tx.member.findUnique({ where: { channel_workspace_externalId: key } });
    const membership = member && (await tx.groupMembership.findUnique({ where: { groupId_memberId: { groupId: group.id, memberId: member.id } } }));
    if (!member || !membership) throw new Refusal('errors.notInGroup', { who: member?.displayName ?? `@${args.mention}`, group: group.name });
    if (member.id === group.convenorId) throw new Refusal('errors.convenorStays', { group: group.name });
    await tx.groupMembership.delete({ where: { groupId_memberId: { groupId: group.id, memberId: member.id } } });
    return { group, removed: member };
  });
}
