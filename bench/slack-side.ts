/**
 * The Slack side of the bench, run in a child process so that it never competes for the event loop
 * of the app under test: the fake Slack Web API (test/support/fake-slack.ts) the apps post their
 * cards to, and the load generator (./load.ts). Driven over IPC by bench/observe-throughput.ts.
 */
import { startFakeSlack } from '../test/support/fake-slack.js';
import { LoadGenerator } from './load.js';
import { FromSlackSide, OBSERVATION_NUMBER, ToSlackSide } from './protocol.js';

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function reply(message: FromSlackSide): void {
  process.send!(FromSlackSide.parse(message));
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/slack-side.ts runs as a child of bench/observe-throughput.ts (it needs an IPC channel)');
  // The fake checks every card against Block Kit's limits, as Slack would.
  const fake = await startFakeSlack();
  const generator = new LoadGenerator((id) => fake.responseUrl(id));

  process.on('message', (raw) => {
    const parsed = ToSlackSide.safeParse(raw);
    if (!parsed.success) return reply({ type: 'error', message: `unreadable message from the bench: ${parsed.error.message}` });
    const msg = parsed.data;
    void (async () => {
      try {
        switch (msg.type) {
          case 'closed':
            return reply({ type: 'phase', runId: msg.runId, result: await generator.closed(msg.target, msg.firstN, msg.count, msg.concurrency) });
          case 'open':
            return reply({ type: 'phase', runId: msg.runId, result: await generator.open(msg.target, msg.firstN, msg.rate, msg.seconds) });
          case 'cards': {
            const posts = fake.callsTo('chat.postMessage');
            const numbers: number[] = [];
            for (const call of posts.filter((c) => !c.failed)) {
              const seen = new Set<number>();
              for (const m of JSON.stringify(call.body.blocks ?? call.body.text ?? '').matchAll(OBSERVATION_NUMBER)) seen.add(Number(m[1]));
              numbers.push(...seen);
            }
            const byMethod: Record<string, number> = {};
            for (const c of fake.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
            const mem = process.memoryUsage();
            return reply({
              type: 'cards',
              runId: msg.runId,
              posted: posts.filter((c) => !c.failed).length,
              failed: posts.filter((c) => c.failed).length,
              numbers,
              recordedCalls: fake.calls.length,
              byMethod,
              memory: { rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed) },
            });
          }
          case 'quit':
            generator.close();
            await fake.close();
            process.disconnect();
            return;
        }
      } catch (error) {
        reply({ type: 'error', runId: 'runId' in msg ? msg.runId : undefined, message: (error as Error).stack ?? String(error) });
      }
    })();
  });

  reply({ type: 'ready', apiUrl: fake.apiUrl, baseUrl: fake.baseUrl });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
