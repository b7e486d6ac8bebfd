/**
 * The record of scheduled runs: one JobRun row per (job, due time). Whoever inserts the row runs
 * the job; a unique violation means another process has it or had it. An unfinished row whose
 * lease has expired (its process crashed, or the run failed) is taken over by a conditional
 * update, so that exactly one process retries it. A finished row is never run again; a row given
 * up after too many attempts is finished with `lastError` saying so.
 */
import type { JobRun, PrismaClient } from '../db/client.js';

export type { JobRun };
type Db = Pick<PrismaClient, 'jobRun'>;

export interface RunKey {
  job: string;
  dueAt: Date;
}

/** Who holds a run: the owner and the attempt it took. A takeover makes the old holder stale. */
export interface Holder {
  owner: string;
  attempt: number;
}

export type Claim =
  /** Ours to run now. */
  | { kind: 'claimed'; attempt: number }
  /** Finished already (done, or given up earlier). */
  | { kind: 'finished' }
  /** Another holder's lease is running, or another process took it over first. */
  | { kind: 'held' }
  /** Its last attempt never finished and no attempt is left: now marked given up. */
  | { kind: 'given-up'; attempts: number; lastError: string };

export const GIVEN_UP = 'given up after';

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

export async function claimRun(db: Db, key: RunKey, owner: string, now: Date, leaseMs: number, maxAttempts: number): Promise<Claim> {
  try {
    await db.jobRun.create({ data: { ...key, owner, startedAt: now, leaseUntil: later(now, leaseMs), attempts: 1 }, select: { job: true } });
    return { kind: 'claimed', attempt: 1 };
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
  const row = await db.jobRun.findUnique({ where: { job_dueAt: key } });
  if (!row) return { kind: 'held' }; // deleted meanwhile: never by us; leave it
  if (row.finishedAt) return { kind: 'finished' };
  if (row.leaseUntil >= now) return { kind: 'held' };
  // Only the holder we read can be replaced: two processes taking over at once, one wins.
  const expired = { ...key, finishedAt: null, leaseUntil: { lt: now }, attempts: row.attempts };
  if (row.attempts >= maxAttempts) {
    const lastError = `${GIVEN_UP} ${row.attempts} attempts: ${row.lastError ?? 'the last attempt did not finish'}`;
    const { count } = await db.jobRun.updateMany({ where: expired, data: { finishedAt: now, lastError } });
    return count === 1 ? { kind: 'given-up', attempts: row.attempts, lastError } : { kind: 'held' };
  }
  const { count } = await db.jobRun.updateMany({
    where: expired,
    data: { owner, startedAt: now, leaseUntil: later(now, leaseMs), attempts: { increment: 1 } },
  });
  return count === 1 ? { kind: 'claimed', attempt: row.attempts + 1 } : { kind: 'held' };
}

const held = (key: RunKey, holder: Holder) => ({ ...key, owner: holder.owner, attempts: holder.attempt, finishedAt: null });

/** Marks the run done. False if it was taken over meanwhile (the run outlived its lease). */
export async function finishRun(db: Db, key: RunKey, holder: Holder, now: Date): Promise<boolean> {
  const { count } = await db.jobRun.updateMany({ where: held(key, holder), data: { finishedAt: now, lastError: null } });
  return count === 1;
}

/**
 * Records a failed attempt. The row stays unfinished and keeps its lease, after which it is taken
 * over for a retry; with `giveUp` it is finished instead, `lastError` saying it was given up.
 * False if it was taken over meanwhile.
 */
export async function failRun(db: Db, key: RunKey, holder: Holder, error: string, now: Date, giveUp: boolean): Promise<boolean> {
  const data = giveUp ? { finishedAt: now, lastError: `${GIVEN_UP} ${holder.attempt} attempts: ${error}` } : { lastError: error };
  const { count } = await db.jobRun.updateMany({ where: held(key, holder), data });
  return count === 1;
}
