/**
 * One-time download links for `me export` where the chat tool cannot share a file with the member
 * (Teams): `/my-data/<token>.json`, the token 32 random bytes (base64url). The PendingAction that
 * stands for it (kind `data-export`, the member, expiring after 24 hours) is keyed by the token's
 * SHA-256, not the token (the message carrying the link is in the outbox, as every message is). The
 * first download takes the row (a conditional delete), so the link works once; `me forget` deletes
 * it with the member's other parked steps and their direct messages.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/client.js';
import { memberDataFile } from './export.js';

export const EXPORT_KIND = 'data-export';
export const EXPORT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const MY_DATA_PREFIX = '/my-data/';
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const idOf = (token: string) => `${EXPORT_KIND}:${createHash('sha256').update(token).digest('hex')}`;

export const myDataPath = (token: string) => `${MY_DATA_PREFIX}${token}.json`;

/** A new link's token for `memberId`, and until when it works. */
export async function issueExportLink(db: PrismaClient, memberId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + EXPORT_LINK_LIFETIME_MS);
  await db.pendingAction.create({ data: { id: idOf(token), kind: EXPORT_KIND, memberId, payload: {}, expiresAt } });
  await db.pendingAction.deleteMany({ where: { expiresAt: { lt: now } } });
  return { token, expiresAt };
}

/**
 * The export file behind `token`, once: undefined for an unknown, used or expired token. The file is
 * built first and the link taken after, so a failure leaves the link usable, and of two downloads at
 * once only one gets the file.
 */
export async function takeExport(db: PrismaClient, token: string, now = new Date()): Promise<string | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const id = idOf(token);
  const row = await db.pendingAction.findUnique({ where: { id } });
  if (!row || row.kind !== EXPORT_KIND || row.expiresAt < now) return undefined;
  const file = await memberDataFile(db, row.memberId, now);
  const taken = await db.pendingAction.deleteMany({ where: { id, kind: EXPORT_KIND, expiresAt: { gte: now } } });
  return taken.count === 1 ? file : undefined;
}
