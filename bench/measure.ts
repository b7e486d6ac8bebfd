/**
 * Drives both apps through the phases, alternating between them so that a burst of activity
 * elsewhere on the machine does not land on one app only, and measures what the serving process
 * (this one), the Slack side and everything else on the machine spent meanwhile.
 */
import { performance } from 'node:perf_hooks';
import type { BenchConfig } from './config.js';
import type { PhaseResult, Target } from './protocol.js';
import type { SlackSide } from './slack-side-client.js';
import { machineCpuUs, percentiles, type Latency } from './stats.js';

export interface Subject {
  name: string;
  target: Target;
  /** Before each of its phases (Passerelle starts its outbox worker). */
  enter?(): void | Promise<void>;
  /** After each of its phases (Passerelle stops its outbox worker, so the other app runs alone). */
  leave?(): void | Promise<void>;
}

/** One phase of one app, rounds added up. */
export interface PhaseStats {
  rounds: number;
  sent: number;
  ok: number;
  confirmed: number;
  errors: Record<string, number>;
  /** Sum over rounds, first send (or first due time) to last answer. */
  elapsedMs: number;
  /** Answered requests per second of elapsedMs. */
  throughput: number;
  latency: Latency;
  maxSendLagMs: number;
  /** CPU time per answered request, µs: of this process (the app), of the Slack side. */
  serverCpuUsPerRequest: number;
  slackSideCpuUsPerRequest: number;
  /** Cores kept busy on average (1.0 = one core) by the app, by the Slack side, by every other process. */
  serverCores: number;
  slackSideCores: number;
  otherCores: number;
  /** Event-loop delay of this process during the phase, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  acked: number[];
}

export interface Measured {
  warmup: PhaseStats;
  closed: PhaseStats;
  open: PhaseStats;
  /** Every observation number answered with HTTP 200, all phases. */
  acked: number[];
  confirmed: number;
  sent: number;
}

/**
 * Records into `into` how late a 10 ms timer fires on this event loop until the returned function is
 * called. (perf_hooks' monitorEventLoopDelay, once disabled and enabled again, counts the pause as one
 * long delay, and its histograms cannot be merged.)
 */
function watchEventLoop(into: number[], everyMs = 10): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    into.push(Math.max(0, now - last - everyMs));
    last = now;
  }, everyMs);
  return () => clearInterval(timer);
}

class PhaseAccumulator {
  private rounds = 0;
  private readonly results: PhaseResult[] = [];
  private serverCpuUs = 0;
  private machineCpuUs = 0;
  private wallMs = 0;
  /** How late a 10 ms timer fired, ms, over every round of the phase. */
  private readonly loopDelays: number[] = [];

  async run(round: () => Promise<PhaseResult>): Promise<PhaseResult> {
    const stopWatch = watchEventLoop(this.loopDelays);
    const machine0 = machineCpuUs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await round();
    this.wallMs += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    this.machineCpuUs += machineCpuUs() - machine0;
    stopWatch();
    this.serverCpuUs += cpu.user + cpu.system;
    this.rounds += 1;
    this.results.push(result);
    return result;
  }

  stats(): PhaseStats {
    const rs = this.results;
    const sum = (f: (r: PhaseResult) => number) => rs.reduce((s, r) => s + f(r), 0);
    const errors: Record<string, number> = {};
    for (const r of rs) for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
    const ok = sum((r) => r.ok);
    const elapsedMs = sum((r) => r.elapsedMs);
    const slackSideCpuUs = sum((r) => r.slackSideCpuUs);
    const wallUs = this.wallMs * 1000;
    return {
      rounds: this.rounds,
      sent: sum((r) => r.sent),
      ok,
      confirmed: sum((r) => r.confirmed),
      errors,
      elapsedMs,
      throughput: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
      latency: percentiles(rs.flatMap((r) => r.latencies)),
      maxSendLagMs: Math.max(0, ...rs.map((r) => r.maxSendLagMs)),
      serverCpuUsPerRequest: ok ? this.serverCpuUs / ok : NaN,
      slackSideCpuUsPerRequest: ok ? slackSideCpuUs / ok : NaN,
      serverCores: wallUs ? this.serverCpuUs / wallUs : NaN,
      slackSideCores: wallUs ? slackSideCpuUs / wallUs : NaN,
      // os.cpus() counts in whole milliseconds, per core: good to a few hundredths of a core here.
      otherCores: wallUs ? Math.max(0, this.machineCpuUs - this.serverCpuUs - slackSideCpuUs) / wallUs : NaN,
      loopDelayP99Ms: percentiles(this.loopDelays).p99,
      loopDelayMaxMs: percentiles(this.loopDelays).max,
      acked: rs.flatMap((r) => r.acked),
    };
  }
}

/** `total` split into `rounds` nearly equal parts. */
const split = (total: number, rounds: number): number[] =>
  Array.from({ length: rounds }, (_, i) => Math.floor(total / rounds) + (i < total % rounds ? 1 : 0)).filter((n) => n > 0);

export async function measureAll(side: SlackSide, subjects: Subject[], config: BenchConfig, say: (line: string) => void): Promise<Map<string, Measured>> {
  const { BENCH_WARMUP: warm, BENCH_REQUESTS: count, BENCH_CONCURRENCY: conc, BENCH_RATE: rate, BENCH_SECONDS: seconds, BENCH_ROUNDS: rounds } = config;
  const state = new Map(subjects.map((s) => [s.name, { next: 1, warmup: new PhaseAccumulator(), closed: new PhaseAccumulator(), open: new PhaseAccumulator() }]));
  const take = (s: Subject, n: number) => {
    const st = state.get(s.name)!;
    const first = st.next;
    st.next += n;
    return first;
  };
  const within = async <T>(s: Subject, fn: () => Promise<T>): Promise<T> => {
    await s.enter?.();
    try {
      return await fn();
    } finally {
      await s.leave?.();
    }
  };

  for (const s of subjects) {
    if (warm === 0) break;
    say(`  ${s.name}: warm-up, ${warm} requests, ${conc} clients`);
    await within(s, () => state.get(s.name)!.warmup.run(() => side.closedLoop(s.target, take(s, warm), warm, conc)));
  }
  const parts = split(count, rounds);
  for (const [i, part] of parts.entries()) {
    for (const s of subjects) {
      const r = await within(s, () => state.get(s.name)!.closed.run(() => side.closedLoop(s.target, take(s, part), part, conc)));
      say(`  ${s.name}: closed loop round ${i + 1}/${parts.length}, ${part} requests, ${conc} clients: ${r.throughput.toFixed(1)} req/s`);
    }
  }
  const openCount = Math.max(1, Math.round(rate * seconds));
  for (const s of subjects) {
    const r = await within(s, () => state.get(s.name)!.open.run(() => side.openLoop(s.target, take(s, openCount), rate, seconds)));
    say(`  ${s.name}: open loop, ${rate} req/s for ${seconds} s: p99 ${percentiles(r.latencies).p99.toFixed(1)} ms`);
  }

  const out = new Map<string, Measured>();
  for (const s of subjects) {
    const st = state.get(s.name)!;
    const phases = { warmup: st.warmup.stats(), closed: st.closed.stats(), open: st.open.stats() };
    const all = [phases.warmup, phases.closed, phases.open];
    out.set(s.name, {
      ...phases,
      acked: all.flatMap((p) => p.acked),
      confirmed: all.reduce((n, p) => n + p.confirmed, 0),
      sent: all.reduce((n, p) => n + p.sent, 0),
    });
  }
  return out;
}
