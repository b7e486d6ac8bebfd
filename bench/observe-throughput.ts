/**
 * `npm run bench`: how many signed `/passerelle observe` slash commands Passerelle acknowledges
 * over loopback, against a bare Bolt app that only acks, measured in the same run.
 *
 * For each app: a warm-up, a closed loop (BENCH_CONCURRENCY clients back to back, BENCH_REQUESTS
 * requests: max throughput) and an open loop (BENCH_RATE requests/s for BENCH_SECONDS s on a fixed
 * timetable: ack latency). The closed loop is cut in BENCH_ROUNDS rounds, the two apps taking
 * turns, so that other work on the machine does not fall on one app only. Then, for Passerelle,
 * the observations stored against those acknowledged, and the cards its outbox posts to the fake
 * Slack once drained.
 *
 * The apps run in this process; Slack (the load generator and the fake Web API) runs in a child
 * process, bench/slack-side.ts, so that it does not take this event loop. This is a benchmark: it
 * prints figures and PASS/MISS against the issue's targets, and exits 0 unless it crashed itself.
 *
 *   npm run bench
 *   BENCH_REQUESTS=1000 BENCH_SECONDS=5 npm run bench
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/observe-throughput.ts   # profiles the apps only
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BenchSettingsError, loadBenchConfig } from './config.js';
import { measureAll, type Subject } from './measure.js';
import type { Memory } from './protocol.js';
import { render, type Report } from './report.js';
import { SlackSide } from './slack-side-client.js';
import { SIGNING_SECRET, startBareBolt, startPasserelleUnderTest } from './targets.js';
import { drainOutbox, ledger } from './verify.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
function memory(collect = false): Memory & { heapAfterGcMb?: number } {
  const m = process.memoryUsage();
  const out: Memory & { heapAfterGcMb?: number } = { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) };
  if (collect) {
    gc();
    out.heapAfterGcMb = mb(process.memoryUsage().heapUsed);
  }
  return out;
}

const say = (line: string) => console.log(line);

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const t0 = performance.now();
  const loadStart = os.loadavg();
  say(`Passerelle observe bench: Node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? '?'}), load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  say(`settings: ${Object.entries(config).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (loadStart[0] > os.cpus().length / 2) say('note: the machine has been busy lately; watch the "others" figures in the tables (CPU of other processes)');

  const side = await SlackSide.start();
  const stack: Array<() => Promise<void>> = [() => side.quit()];
  try {
    const bare = await startBareBolt(side.apiUrl);
    stack.push(() => bare.stop());
    const mem: Report['memory'] = [{ when: 'bare Bolt started, Passerelle not yet', m: memory(true) }];
    const running = await startPasserelleUnderTest(side.apiUrl);
    stack.push(() => running.stop());
    // The outbox runs only during Passerelle's own phases, so the bare app is measured alone.
    await running.app.outbox.stop();
    mem.push({ when: 'Passerelle started', m: memory() });

    say('bare Bolt: Bolt HTTPReceiver, one listener that acks. Passerelle: startPasserelle (HTTP server, Bolt, SQLite WAL, outbox every 500 ms, unpaced).');
    const subjects: Subject[] = [
      { name: 'bare Bolt', target: { url: bare.url, signingSecret: SIGNING_SECRET } },
      {
        name: 'Passerelle',
        target: { url: running.url, signingSecret: SIGNING_SECRET },
        enter: () => running.app.outbox.start(running.outboxIntervalMs),
        leave: () => running.app.outbox.stop(),
      },
    ];
    const measured = await measureAll(side, subjects, config, say);
    const baseline = measured.get('bare Bolt')!;
    const passerelle = measured.get('Passerelle')!;
    mem.push({ when: 'after the load', m: memory(true) });

    const counted = await ledger(running.app, passerelle.acked);
    say(`  draining the outbox (${await running.app.db.outboxMessage.count({ where: { status: 'pending' } })} cards pending)…`);
    const drain = await drainOutbox(running.app, config.BENCH_DRAIN_SECONDS);
    mem.push({ when: 'after the outbox drained', m: memory(true) });

    const fromSlack = await side.cards();
    const carded = new Map<number, number>();
    for (const n of fromSlack.numbers) carded.set(n, (carded.get(n) ?? 0) + 1);
    const cards: Report['cards'] = {
      posted: fromSlack.posted,
      failed: fromSlack.failed,
      distinct: carded.size,
      duplicated: fromSlack.numbers.length - carded.size,
      missing: [...counted.stored.keys()].filter((n) => !carded.has(n)).length,
      recordedCalls: fromSlack.recordedCalls,
      byMethod: fromSlack.byMethod,
      slackSide: fromSlack.memory,
    };

    say(
      render({
        config,
        baseline,
        passerelle,
        ledger: counted,
        drain,
        cards,
        memory: mem,
        loadAverage: { start: loadStart, end: os.loadavg() },
        totalSeconds: (performance.now() - t0) / 1000,
      }),
    );
  } finally {
    for (const stop of stack.reverse()) await stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof BenchSettingsError) console.error(error.message);
  else console.error('bench crashed:', error);
  process.exitCode = 1;
});
