/**
 * What `npm run bench` can be told, from the environment, parsed with zod like every other input
 * of Passerelle. Blank variables count as not set (as in src/config/env.ts).
 */
import { z } from 'zod';
import { formatIssues } from '../src/util/zod-issues.js';

export const BenchSchema = z.object({
  /** Closed loop: requests measured per target, after the warm-up. */
  BENCH_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** Closed loop: requests sent first and not counted (JIT, connection pool, first members). */
  BENCH_WARMUP: z.coerce.number().int().min(0).max(100_000).default(200),
  /** Closed loop: clients each keeping one request in flight. */
  BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(32),
  /** Closed loop: BENCH_REQUESTS split in this many rounds, the two apps taking turns. */
  BENCH_ROUNDS: z.coerce.number().int().min(1).max(100).default(3),
  /** Open loop: offered load, requests per second. */
  BENCH_RATE: z.coerce.number().positive().max(100_000).default(200),
  /** Open loop: how long the offered load lasts. */
  BENCH_SECONDS: z.coerce.number().positive().max(3600).default(10),
  /** After the load: how long to wait, at most, for the outbox to post every card. */
  BENCH_DRAIN_SECONDS: z.coerce.number().min(0).max(3600).default(60),
});
export type BenchConfig = z.infer<typeof BenchSchema>;

export class BenchSettingsError extends Error {}

export function loadBenchConfig(source: NodeJS.ProcessEnv = process.env): BenchConfig {
  const given = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k.startsWith('BENCH_') && v !== undefined && v.trim() !== ''),
  );
  const parsed = BenchSchema.safeParse(given);
  if (!parsed.success) throw new BenchSettingsError(`Invalid bench settings:\n  ${formatIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}

/** The targets of the issue. The latency one is stated at 200 requests/s. */
export const TARGETS = {
  throughputRatioPct: 70,
  p99AckMs: 100,
  p99AtRate: 200,
} as const;
