/** After the load: what Passerelle stored against what it acknowledged, and its outbox drained. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Passerelle } from '../src/passerelle.js';
import { OBSERVATION_NUMBER } from './protocol.js';

export interface Ledger {
  acked: number;
  storedRows: number;
  storedDistinct: number;
  /** Acknowledged with HTTP 200, not in the database. */
  lost: number;
  /** Rows beyond the first for the same observation text. */
  duplicated: number;
  /** In the database without an HTTP 200 (a timeout after the write, for instance). */
  storedNotAcked: number;
  /** Rows whose text is not a bench observation (there should be none). */
  foreign: number;
  /** Observation number → rows. */
  stored: Map<number, number>;
}

const numberOf = (text: string): number | undefined => {
  const m = [...text.matchAll(OBSERVATION_NUMBER)];
  return m.length === 1 ? Number(m[0][1]) : undefined;
};

export async function ledger(app: Passerelle, acked: number[]): Promise<Ledger> {
  const rows = await app.db.observation.findMany({ select: { text: true } });
  const stored = new Map<number, number>();
  let foreign = 0;
  for (const { text } of rows) {
    const n = numberOf(text);
    if (n === undefined) foreign += 1;
    else stored.set(n, (stored.get(n) ?? 0) + 1);
  }
  const ackedSet = new Set(acked);
  let duplicated = 0;
  for (const count of stored.values()) duplicated += count - 1;
  return {
    acked: acked.length,
    storedRows: rows.length,
    storedDistinct: stored.size,
    lost: [...ackedSet].filter((n) => !stored.has(n)).length,
    duplicated,
    storedNotAcked: [...stored.keys()].filter((n) => !ackedSet.has(n)).length,
    foreign,
    stored,
  };
}

export interface Drain {
  ms: number;
  /** Outbox rows by status when the drain ended. */
  byStatus: Record<string, number>;
  finished: boolean;
}

/**
 * Runs the outbox worker back to back until nothing is pending (or the deadline passes). One run
 * delivers at most one message per conversation, and every bench card goes to one channel, so
 * this is one card per run.
 */
export async function drainOutbox(app: Passerelle, seconds: number): Promise<Drain> {
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let finished = false;
  while (performance.now() < deadline) {
    const delivered = await app.outbox.runOnce();
    if (delivered > 0) continue;
    if ((await app.db.outboxMessage.count({ where: { status: 'pending' } })) === 0) {
      finished = true;
      break;
    }
    await sleep(10);
  }
  const ms = performance.now() - t0;
  const groups = await app.db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
  return { ms, finished, byStatus: Object.fromEntries(groups.map((g) => [g.status, g._count._all])) };
}
