/** Percentiles of a sample, and the CPU the whole machine spent: figures the report prints. */
import os from 'node:os';

export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: pN is the smallest value with at least N % of the sample at or below it. */
export function percentiles(values: readonly number[]): Latency {
  if (values.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1], mean: sum / sorted.length };
}

/** CPU time (µs) all processes of the machine have spent since boot, every core together. */
export function machineCpuUs(): number {
  let ms = 0;
  for (const { times } of os.cpus()) ms += times.user + times.nice + times.sys + times.irq;
  return ms * 1000;
}
