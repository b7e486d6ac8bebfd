/** The printed figures: one table for both apps, then the ledger, the cards, memory and the targets. */
import { TARGETS, type BenchConfig } from './config.js';
import type { Measured, PhaseStats } from './measure.js';
import type { Memory } from './protocol.js';
import type { Drain, Ledger } from './verify.js';

export interface Report {
  config: BenchConfig;
  baseline: Measured;
  passerelle: Measured;
  ledger: Ledger;
  drain: Drain;
  cards: {
    posted: number;
    failed: number;
    distinct: number;
    duplicated: number;
    missing: number;
    recordedCalls: number;
    byMethod: Record<string, number>;
    slackSide: Memory;
  };
  memory: Array<{ when: string; m: Memory & { heapAfterGcMb?: number } }>;
  loadAverage: { start: number[]; end: number[] };
  totalSeconds: number;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const errs = (e: Record<string, number>) => {
  const total = Object.values(e).reduce((s, n) => s + n, 0);
  return total === 0 ? '0' : `${total} (${Object.entries(e).map(([k, n]) => `${k} ×${n}`).join(', ')})`;
};
const errorCount = (e: Record<string, number>) => Object.values(e).reduce((s, n) => s + n, 0);

export function render(r: Report): string {
  const { config: c, baseline: b, passerelle: p, ledger: l, drain: d, cards } = r;
  const out: string[] = [];
  const row = (label: string, bv: string, pv: string) => out.push(`  ${label.padEnd(38)}${bv.padStart(15)}${pv.padStart(15)}`);
  const both = (label: string, f: (x: PhaseStats) => string, phase: 'closed' | 'open') => row(label, f(b[phase]), f(p[phase]));
  const ratio = (p.closed.throughput / b.closed.throughput) * 100;
  const openCount = Math.max(1, Math.round(c.BENCH_RATE * c.BENCH_SECONDS));
  const cpuRows = (phase: 'closed' | 'open') => {
    both('app CPU per request, µs', (x) => f0(x.serverCpuUsPerRequest), phase);
    both('Slack side CPU per request, µs', (x) => f0(x.slackSideCpuUsPerRequest), phase);
    both('cores busy: app / Slack side / others', (x) => `${f2(x.serverCores)}/${f2(x.slackSideCores)}/${f2(x.otherCores)}`, phase);
    both('app event-loop delay p99 / max, ms', (x) => `${f1(x.loopDelayP99Ms)} / ${f1(x.loopDelayMaxMs)}`, phase);
    both('errors', (x) => errs(x.errors), phase);
  };

  out.push('');
  out.push(
    `Closed loop: ${c.BENCH_REQUESTS} requests per app in ${p.closed.rounds} alternating round(s), ${c.BENCH_CONCURRENCY} clients, after ${c.BENCH_WARMUP} warm-up`,
  );
  row('', 'bare Bolt', 'Passerelle');
  both('max throughput, req/s', (x) => f1(x.throughput), 'closed');
  both('ack latency p50 / p99, ms', (x) => `${f1(x.latency.p50)} / ${f1(x.latency.p99)}`, 'closed');
  cpuRows('closed');
  out.push(`  Passerelle / bare Bolt throughput: ${f1(ratio)} %`);
  out.push('');
  out.push(`Open loop: ${c.BENCH_RATE} req/s offered for ${c.BENCH_SECONDS} s (${openCount} requests per app; latency from the scheduled send time)`);
  row('', 'bare Bolt', 'Passerelle');
  both('achieved, req/s', (x) => f1(x.throughput), 'open');
  both('ack latency p50, ms', (x) => f1(x.latency.p50), 'open');
  both('ack latency p90, ms', (x) => f1(x.latency.p90), 'open');
  both('ack latency p99, ms', (x) => f1(x.latency.p99), 'open');
  both('ack latency max, ms', (x) => f1(x.latency.max), 'open');
  cpuRows('open');
  both('generator worst send lag, ms', (x) => f1(x.maxSendLagMs), 'open');

  out.push('');
  out.push(`Observations in Passerelle (all phases, warm-up included: ${p.sent} sent)`);
  out.push(`  acknowledged (HTTP 200)      ${l.acked}   (with the ✅ confirmation: ${p.confirmed})`);
  out.push(`  stored rows                  ${l.storedRows}   (distinct texts: ${l.storedDistinct}${l.foreign ? `, not from the bench: ${l.foreign}` : ''})`);
  out.push(`  lost (acked, not stored)     ${l.lost}`);
  out.push(`  duplicated                   ${l.duplicated}`);
  out.push(`  stored but not acknowledged  ${l.storedNotAcked}`);
  out.push('');
  out.push('Cards (outbox → fake Slack chat.postMessage; the bench runs the outbox unpaced, production paces 1 message/s per channel)');
  const statuses = Object.entries(d.byStatus).map(([s, n]) => `${s} ${n}`).join(', ') || 'empty';
  out.push(`  posted ${cards.posted} for ${l.storedDistinct} observations (failed calls ${cards.failed}), missing ${cards.missing}, duplicated ${cards.duplicated}`);
  out.push(`  drain after the load: ${f1(d.ms / 1000)} s${d.finished ? '' : ' (deadline reached, see BENCH_DRAIN_SECONDS)'}; outbox now: ${statuses}`);
  out.push(`  fake Slack calls, both apps: ${Object.entries(cards.byMethod).map(([m, n]) => `${m} ${n}`).join(', ')}`);
  out.push(`  holding ${cards.recordedCalls} recorded calls, the Slack side process has rss ${f0(cards.slackSide.rssMb)} MB, heap ${f0(cards.slackSide.heapUsedMb)} MB`);
  out.push('');
  out.push('Memory of the serving process (both apps; the load generator and fake Slack run in a child process)');
  for (const { when, m } of r.memory) {
    out.push(
      `  ${when.padEnd(36)} rss ${f0(m.rssMb).padStart(5)} MB   heap used ${f0(m.heapUsedMb).padStart(5)} MB${m.heapAfterGcMb !== undefined ? `   after GC ${f0(m.heapAfterGcMb).padStart(4)} MB` : ''}`,
    );
  }

  out.push('');
  out.push('Targets');
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const p99 = p.open.latency.p99;
  const rateNote = c.BENCH_RATE === TARGETS.p99AtRate ? '' : ` (measured at ${c.BENCH_RATE} req/s; the target is stated at ${TARGETS.p99AtRate})`;
  const openErrors = errorCount(p.open.errors);
  out.push(`  ${mark(ratio >= TARGETS.throughputRatioPct)}  throughput ≥ ${TARGETS.throughputRatioPct} % of bare Bolt            ${f1(ratio)} %`);
  out.push(`  ${mark(p99 < TARGETS.p99AckMs && openErrors === 0)}  p99 ack < ${TARGETS.p99AckMs} ms at ${TARGETS.p99AtRate} req/s          ${f1(p99)} ms${openErrors ? `, ${openErrors} errors` : ''}${rateNote}`);
  out.push(`  ${mark(l.lost === 0)}  zero lost                                  ${l.lost}`);
  out.push(`  ${mark(l.duplicated === 0)}  zero duplicated                            ${l.duplicated}`);
  out.push('');
  const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  out.push(`(whole run ${f1(r.totalSeconds)} s; load average at start ${la(r.loadAverage.start)}, at end ${la(r.loadAverage.end)}; "others" above is CPU taken by other processes)`);
  return out.join('\n');
}
