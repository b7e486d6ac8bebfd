/**
 * The load generator: correctly signed `/passerelle observe` slash commands over loopback with
 * keep-alive connections, in a closed loop (N clients, each with one request in flight) or an open
 * loop (requests sent on a fixed timetable whatever the server does, latency counted from the
 * timetable so that a slow server cannot hide its queue: no coordinated omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { signedHeaders, slashCommand } from '../test/support/slack-requests.js';
import { observationText, type PhaseResult, type Target } from './protocol.js';

/** A handful of members typing in the same bound channel. */
const USERS = [
  { userId: 'U0BENCH01', userName: 'amelie' },
  { userId: 'U0BENCH02', userName: 'bastien' },
  { userId: 'U0BENCH03', userName: 'chloe' },
  { userId: 'U0BENCH04', userName: 'dmitri' },
  { userId: 'U0BENCH05', userName: 'eva' },
];
const CHANNEL = 'C01FRANCE';
const TIMEOUT_MS = 10_000;

interface Outcome {
  n: number;
  status?: number;
  error?: string;
  confirmed: boolean;
  /** performance.now() when the answer was complete (or failed). */
  endedAt: number;
}

export class LoadGenerator {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

  constructor(private readonly responseUrl: (id: string) => string) {}

  close(): void {
    this.agent.destroy();
  }

  /** Sends observation number `n` and resolves when the answer is in (never rejects). */
  private send(target: Target, n: number): Promise<Outcome> {
    const user = USERS[n % USERS.length];
    const req = slashCommand({
      text: `observe ${observationText(n)} #workers`,
      responseUrl: this.responseUrl(`bench-${n}`),
      channelId: CHANNEL,
      ...user,
    });
    const headers = { ...signedHeaders(req, { secret: target.signingSecret }), 'content-length': String(Buffer.byteLength(req.body)) };
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const done = (o: Omit<Outcome, 'n' | 'endedAt'>) => {
        if (settled) return;
        settled = true;
        resolve({ n, endedAt: performance.now(), ...o });
      };
      const request = http.request(target.url, { method: 'POST', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          done({ status: res.statusCode, confirmed: res.statusCode === 200 && body.includes('✅') });
        });
        res.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message, confirmed: false }));
      });
      request.setTimeout(TIMEOUT_MS, () => {
        done({ error: 'timeout', confirmed: false });
        request.destroy();
      });
      request.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message, confirmed: false }));
      request.end(req.body);
    });
  }

  /** `concurrency` clients send observations firstN … firstN+count-1 back to back. */
  async closed(target: Target, firstN: number, count: number, concurrency: number): Promise<PhaseResult> {
    const outcomes: Outcome[] = [];
    const latencies: number[] = [];
    let next = 0;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const client = async () => {
      while (next < count) {
        const n = firstN + next++;
        const sentAt = performance.now();
        const o = await this.send(target, n);
        latencies.push(o.endedAt - sentAt);
        outcomes.push(o);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
    return summarise(outcomes, latencies, started, 0, cpu0);
  }

  /** `rate` requests a second for `seconds`, each due at started + i/rate whatever the answers do. */
  async open(target: Target, firstN: number, rate: number, seconds: number): Promise<PhaseResult> {
    const total = Math.max(1, Math.round(rate * seconds));
    const interval = 1000 / rate;
    const pending: Array<Promise<void>> = [];
    const outcomes: Outcome[] = [];
    const latencies: number[] = [];
    let maxSendLag = 0;
    const cpu0 = process.cpuUsage();
    const started = performance.now() + 20;
    await new Promise<void>((allScheduled) => {
      let i = 0;
      const tick = () => {
        const now = performance.now();
        while (i < total && started + i * interval <= now) {
          const due = started + i * interval;
          maxSendLag = Math.max(maxSendLag, now - due);
          pending.push(
            this.send(target, firstN + i).then((o) => {
              latencies.push(o.endedAt - due);
              outcomes.push(o);
            }),
          );
          i += 1;
        }
        if (i >= total) return allScheduled();
        setTimeout(tick, Math.max(0, started + i * interval - performance.now()));
      };
      setTimeout(tick, Math.max(0, started - performance.now()));
    });
    await Promise.all(pending);
    return summarise(outcomes, latencies, started, maxSendLag, cpu0);
  }
}

function summarise(outcomes: Outcome[], latencies: number[], started: number, maxSendLagMs: number, cpu0: NodeJS.CpuUsage): PhaseResult {
  const cpu = process.cpuUsage(cpu0);
  const errors: Record<string, number> = {};
  const acked: number[] = [];
  let confirmed = 0;
  let last = started;
  for (const o of outcomes) {
    last = Math.max(last, o.endedAt);
    if (o.status === 200) {
      acked.push(o.n);
      if (o.confirmed) confirmed += 1;
    } else {
      const kind = o.error ?? `http ${o.status}`;
      errors[kind] = (errors[kind] ?? 0) + 1;
    }
  }
  const elapsedMs = last - started;
  return {
    sent: outcomes.length,
    ok: acked.length,
    confirmed,
    errors,
    elapsedMs,
    throughput: elapsedMs > 0 ? (acked.length * 1000) / elapsedMs : 0,
    latencies,
    maxSendLagMs,
    acked,
    slackSideCpuUs: cpu.user + cpu.system,
  };
}
