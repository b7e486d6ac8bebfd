/**
 * Roles: coordinator of a platform, member of the secretariat. Kept in the database (RoleGrant),
 * seeded from the platforms file's `secretariat`, granted and removed in chat by the secretariat
 * (`role add|remove|list`, commands/role.ts). Every change bumps the directory's revision in the
 * same transaction (./platforms.ts), so every process sees it at its next request, and is recorded
 * as an AuditEntry.
 */
import type { PrismaClient } from '../db/client.js';
import type { ChatChannel } from './platforms.js';

export type Role = 'coordinator' | 'secretariat';

/** A chat user a role is granted to: `workspace` "" stands for any workspace of that chat tool. */
export interface RoleHolder {
  chat: ChatChannel;
  workspace: string;
  externalId: string;
}

type Tx = Pick<PrismaClient, 'roleGrant' | 'directoryRevision' | 'auditEntry'>;

/** Bumps the directory's revision: every process reloads platforms, bindings and roles at its next request. */
export async function bumpRevision(tx: Pick<PrismaClient, 'directoryRevision'>): Promise<void> {
  await tx.directoryRevision.upsert({ where: { id: 1 }, create: { id: 1, revision: 1 }, update: { revision: { increment: 1 } } });
}

/**
 * Makes the member who installed Passerelle in the first Slack workspace its first secretariat
 * member, when nobody holds that role yet (neither from the platforms file nor from chat). Returns
 * whether the role was granted.
 */
export async function grantFirstSecretariat(db: PrismaClient, who: RoleHolder): Promise<boolean> {
  return db.$transaction(async (tx: Tx) => {
    if ((await tx.roleGrant.count({ where: { role: 'secretariat' } })) > 0) return false;
    await tx.roleGrant.create({ data: { ...who, role: 'secretariat', platformId: '', source: 'install' } });
    await bumpRevision(tx);
    await tx.auditEntry.create({ data: { action: 'role-granted', detail: { role: 'secretariat', to: `${who.chat}:${who.workspace}:${who.externalId}`, by: 'installation' } } });
    return true;
  });
}
