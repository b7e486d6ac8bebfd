/**
 * Steps parked while a member completes another one: an observation that names a case which
 * does not exist yet waits here until the member has created the case. Nothing here is
 * domain data; entries expire after a day.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/client.js';
import { Refusal } from './refusal.js';

const LIFETIME_MS = 24 * 60 * 60 * 1000;

export async function park(db: PrismaClient, kind: string, memberId: number, payload: object, now = new Date()): Promise<string> {
  const id = randomUUID();
  await db.pendingAction.create({ data: { id, kind, memberId, payload, expiresAt: new Date(now.getTime() + LIFETIME_MS) } });
  await db.pendingAction.deleteMany({ where: { expiresAt: { lt: now } } });
  return id;
}

/** The payload parked under `id` by this member, still valid; it stays parked until `drop`. */
export async function peek(db: PrismaClient, id: string, kind: string, memberId: number, now = new Date()): Promise<unknown> {
  const found = await db.pendingAction.findUnique({ where: { id } });
  if (!found || found.kind !== kind || found.memberId !== memberId || found.expiresAt < now) throw new Refusal('errors.expired');
  return found.payload;
}

export async function drop(db: PrismaClient, id: string): Promise<void> {
  await db.pendingAction.deleteMany({ where: { id } });
}
