/**
 * Issue 4's benchmark: 1,000 distinct members vote on one clause within about a second, through
 * signed `block_actions` requests (the vote card's `vote.cast` button, value `<voteId>:<choice>`),
 * against a bare Bolt app that only acks, in the same run. Every ballot recorded exactly once, the
 * tally right (600 approve / 300 reject / 100 abstain, adopted), the p99 ack latency reported.
 *
 * Set-up (not measured): Passerelle on a fresh SQLite file, a working group of 1,000 members and a
 * clause in it written directly through Prisma and the core, a majority vote opened with the core's
 * openVote (what the vote form calls). The requests come from a child process (this same file, run
 * with an IPC channel), which also plays the fake Slack Web API, on an open-loop timetable: latency
 * counted from the time each request was due. Prints figures and PASS/MISS; exits 0 unless it crashed.
 *
 *   npx tsx bench/votes.ts
 *   BENCH_VOTERS=1000 BENCH_VOTE_RATE=1000 npx tsx bench/votes.ts
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { z } from 'zod';
import { blockAction, signedHeaders } from '../test/support/slack-requests.js';
import { percentiles } from './stats.js';
import { EVENTS_PATH, SIGNING_SECRET, startPasserelleUnderTest } from './targets.js';

const CHANNEL = 'C01FRANCE';
const TEAM = 'T1';
const TIMEOUT_MS = 10_000;
/** Set on the child process that plays Slack (this same file). */
const GENERATOR_ENV = 'PASSERELLE_BENCH_VOTES_GENERATOR';

// ---- IPC, checked both ways -------------------------------------------------------------------

const Volley = z.object({
  type: z.literal('volley'),
  runId: z.number().int(),
  url: z.url(),
  signingSecret: z.string().min(1),
  voteId: z.number().int(),
  rate: z.number().positive(),
  ballots: z.array(z.object({ userId: z.string().min(1), choice: z.string().min(1) })),
});
const ToGenerator = z.discriminatedUnion('type', [Volley, z.object({ type: z.literal('quit') })]);
type ToGenerator = z.infer<typeof ToGenerator>;

const VolleyResult = z.object({
  sent: z.number().int(),
  ok: z.number().int(),
  /** The user ids answered with HTTP 200. */
  acked: z.array(z.string()),
  errors: z.record(z.string(), z.number().int()),
  latencies: z.array(z.number()),
  elapsedMs: z.number(),
  maxSendLagMs: z.number(),
});
type VolleyResult = z.infer<typeof VolleyResult>;
const FromGenerator = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), apiUrl: z.url() }),
  z.object({ type: z.literal('result'), runId: z.number().int(), result: VolleyResult }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
type FromGenerator = z.infer<typeof FromGenerator>;

// ---- the generator (child process) ------------------------------------------------------------

async function generatorMain(): Promise<void> {
  const { startFakeSlack } = await import('../test/support/fake-slack.js');
  const fake = await startFakeSlack();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
  const reply = (m: FromGenerator) => process.send!(FromGenerator.parse(m));

  const send = (url: string, secret: string, voteId: number, b: { userId: string; choice: string }, i: number) => {
    const req = blockAction({
      actionId: 'vote.cast',
      value: `${voteId}:${b.choice}`,
      userId: b.userId,
      userName: b.userId.toLowerCase(),
      teamId: TEAM,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(`vote-${i}`),
    });
    const headers = { ...signedHeaders(req, { secret }), 'content-length': String(Buffer.byteLength(req.body)) };
    return new Promise<{ status?: number; error?: string; endedAt: number }>((resolve) => {
      let settled = false;
      const done = (o: { status?: number; error?: string }) => {
        if (settled) return;
        settled = true;
        resolve({ ...o, endedAt: performance.now() });
      };
      const request = http.request(url, { method: 'POST', headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => done({ status: res.statusCode }));
        res.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      });
      request.setTimeout(TIMEOUT_MS, () => {
        done({ error: 'timeout' });
        request.destroy();
      });
      request.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      request.end(req.body);
    });
  };

  const volley = async (v: z.infer<typeof Volley>): Promise<VolleyResult> => {
    const interval = 1000 / v.rate;
    const latencies: number[] = [];
    const acked: string[] = [];
    const errors: Record<string, number> = {};
    const pending: Array<Promise<void>> = [];
    let maxSendLag = 0;
    let last = 0;
    const started = performance.now() + 20;
    await new Promise<void>((allScheduled) => {
      let i = 0;
      const tick = () => {
        const now = performance.now();
        while (i < v.ballots.length && started + i * interval <= now) {
          const due = started + i * interval;
          const b = v.ballots[i]!;
          maxSendLag = Math.max(maxSendLag, now - due);
          pending.push(
            send(v.url, v.signingSecret, v.voteId, b, i).then((o) => {
              latencies.push(o.endedAt - due);
              last = Math.max(last, o.endedAt);
              if (o.status === 200) acked.push(b.userId);
              else {
                const kind = o.error ?? `http ${o.status}`;
                errors[kind] = (errors[kind] ?? 0) + 1;
              }
            }),
          );
          i += 1;
        }
        if (i >= v.ballots.length) return allScheduled();
        setTimeout(tick, Math.max(0, started + i * interval - performance.now()));
      };
      setTimeout(tick, Math.max(0, started - performance.now()));
    });
    await Promise.all(pending);
    return { sent: v.ballots.length, ok: acked.length, acked, errors, latencies, elapsedMs: last - started, maxSendLagMs: maxSendLag };
  };

  process.on('message', (raw) => {
    const parsed = ToGenerator.safeParse(raw);
    if (!parsed.success) return reply({ type: 'error', message: `unreadable message: ${parsed.error.message}` });
    const msg = parsed.data;
    void (async () => {
      try {
        if (msg.type === 'quit') {
          agent.destroy();
          await fake.close();
          process.disconnect();
          return;
        }
        reply({ type: 'result', runId: msg.runId, result: await volley(msg) });
      } catch (error) {
        reply({ type: 'error', message: (error as Error).stack ?? String(error) });
      }
    })();
  });
  reply({ type: 'ready', apiUrl: fake.apiUrl });
}

// ---- the bench (parent process) ---------------------------------------------------------------

class Generator {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: VolleyResult) => void; reject: (e: Error) => void }>();
  private constructor(
    private readonly child: ReturnType<typeof fork>,
    readonly apiUrl: string,
  ) {
    child.on('message', (raw) => {
      const parsed = FromGenerator.safeParse(raw);
      if (!parsed.success) return this.failAll(new Error(`unreadable message from the generator: ${parsed.error.message}`));
      const m = parsed.data;
      if (m.type === 'error') return this.failAll(new Error(`generator: ${m.message}`));
      if (m.type !== 'result') return;
      const w = this.waiting.get(m.runId);
      this.waiting.delete(m.runId);
      w?.resolve(m.result);
    });
    child.on('exit', (code) => this.failAll(new Error(`the generator exited (code ${code})`)));
  }

  static async start(): Promise<Generator> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, [GENERATOR_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the generator exited before it was ready (code ${code})`)));
      child.on('message', (raw) => {
        const parsed = FromGenerator.safeParse(raw);
        if (parsed.success && parsed.data.type === 'ready') resolve(parsed.data.apiUrl);
      });
    });
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    child.removeAllListeners('message');
    return new Generator(child, apiUrl);
  }

  private failAll(error: Error): void {
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  volley(args: Omit<z.infer<typeof Volley>, 'type' | 'runId'>): Promise<VolleyResult> {
    const runId = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(runId, { resolve, reject });
      this.child.send(Volley.parse({ type: 'volley', runId, ...args }));
    });
  }

  async quit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'quit' } satisfies ToGenerator);
    await exited;
  }
}

/** The foundation issue's baseline: Bolt's HTTPReceiver and one action listener that acks. */
async function startBareBoltActions(slackApiUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: [EVENTS_PATH], logLevel: LogLevel.ERROR });
  const app = new App({ token: 'xoxb-bench', receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl } });
  app.action(/.*/, async ({ ack }) => ack());
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${EVENTS_PATH}`, stop: () => app.stop().then(() => undefined) };
}

const say = (line: string) => console.log(line);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return n;
};

async function benchMain(): Promise<void> {
  const voters = int('BENCH_VOTERS', 1000);
  const rate = int('BENCH_VOTE_RATE', 1000);
  const t0 = performance.now();
  say(`Passerelle vote bench: Node ${process.version}; ${voters} distinct members vote once each at ${rate} requests/s (open loop), bare Bolt then Passerelle`);

  const { loadPlatformsFile } = await import('../src/config/platforms.js');
  const { PlatformDirectory } = await import('../src/core/platforms.js');
  const { ClauseInput, createClause } = await import('../src/core/clauses/clauses.js');
  const { clauseRef, ClauseRef } = await import('../src/core/clauses/numbering.js');
  const { openVote, closeVote } = await import('../src/core/votes/votes.js');

  const gen = await Generator.start();
  const stack: Array<() => Promise<void>> = [() => gen.quit()];
  try {
    const bare = await startBareBoltActions(gen.apiUrl);
    stack.push(() => bare.stop());
    const running = await startPasserelleUnderTest(gen.apiUrl);
    stack.push(() => running.stop());
    const db = running.app.db;
    const platforms = new PlatformDirectory(loadPlatformsFile(fileURLToPath(new URL('../config/platforms.json', import.meta.url))));
    const platform = platforms.get('FR')!;

    // Set-up, not measured: the convenor, 1,000 members in one working group, a clause, a vote.
    const setupStart = performance.now();
    const convenor = await db.member.create({ data: { channel: 'slack', workspace: TEAM, externalId: 'U0CONVENOR', displayName: 'convenor' } });
    const userIds = Array.from({ length: voters }, (_, i) => `UV${String(i).padStart(5, '0')}`);
    await db.member.createMany({ data: userIds.map((externalId) => ({ channel: 'slack', workspace: TEAM, externalId, displayName: externalId.toLowerCase() })) });
    const members = await db.member.findMany({ where: { externalId: { in: userIds } }, select: { id: true } });
    const group = await db.workingGroup.create({ data: { name: 'Bench voters', platformId: 'FR', convenorId: convenor.id } });
    await db.groupMembership.createMany({ data: members.map((m) => ({ groupId: group.id, memberId: m.id })) });
    const clause = await createClause(db, {
      platformId: 'FR',
      author: convenor,
      input: ClauseInput.parse({ stage: 'preparation', title: 'Early information', text: 'The employer informs the works council early.', groupId: group.id }),
    });
    const ref = clauseRef(clause);
    const vote = await openVote(db, {
      ref: ClauseRef.parse(ref),
      by: convenor,
      platform,
      channel: 'slack',
      conversationId: CHANNEL,
      settings: { rule: { kind: 'majority' }, eligibility: 'group', anonymous: false, resultsHidden: false, reasonRequired: false, closesAt: new Date(Date.now() + 3_600_000) },
    });
    const choiceOf = (i: number) => (i % 10 < 6 ? 'approve' : i % 10 < 9 ? 'reject' : 'abstain');
    const ballots = userIds.map((userId, i) => ({ userId, choice: choiceOf(i) }));
    const expected = { approve: 0, reject: 0, abstain: 0 } as Record<string, number>;
    for (const b of ballots) expected[b.choice]! += 1;
    say(`set-up (not measured): ${voters} members in group "${group.name}", clause ${ref}, majority vote #${vote.id} open (eligibility: group), ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

    const measured: Array<[string, VolleyResult]> = [];
    for (const [name, url] of [
      ['bare Bolt', bare.url],
      ['Passerelle', running.url],
    ] as const) {
      const r = await gen.volley({ url, signingSecret: SIGNING_SECRET, voteId: vote.id, rate, ballots });
      measured.push([name, r]);
    }

    say('');
    say('| app        | sent | acked (200) | errors | achieved rate | p50 ack | p99 ack | max ack | generator max send lag |');
    say('|------------|-----:|------------:|--------|--------------:|--------:|--------:|--------:|-----------------------:|');
    for (const [name, r] of measured) {
      const l = percentiles(r.latencies);
      const errors = Object.entries(r.errors).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
      say(
        `| ${name.padEnd(10)} | ${r.sent} | ${r.ok} | ${errors} | ${(r.elapsedMs > 0 ? (r.ok * 1000) / r.elapsedMs : 0).toFixed(0)} /s over ${ms(r.elapsedMs)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${ms(r.maxSendLagMs)} |`,
      );
    }
    const passerelle = measured.find(([n]) => n === 'Passerelle')![1];
    const baseline = measured.find(([n]) => n === 'bare Bolt')![1];

    // The ledger: ballots stored against those acknowledged, once the server has finished with the
    // requests the generator gave up on (the count unchanged for a second, 20 s at most).
    const settleStart = performance.now();
    let count = await db.ballot.count({ where: { voteId: vote.id } });
    for (let still = 0; still < 4 && performance.now() - settleStart < 20_000; ) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await db.ballot.count({ where: { voteId: vote.id } });
      still = now === count ? still + 1 : 0;
      count = now;
    }

    const rows = await db.ballot.findMany({ where: { voteId: vote.id }, select: { voterKey: true, choice: true } });
    const byMember = new Map(members.map((m) => [String(m.id), m]));
    const externalOf = new Map((await db.member.findMany({ select: { id: true, externalId: true } })).map((m) => [String(m.id), m.externalId]));
    const storedUsers = rows.map((r) => externalOf.get(r.voterKey) ?? `?${r.voterKey}`);
    const distinct = new Set(storedUsers);
    const ackedSet = new Set(passerelle.acked);
    const ackedNotStored = passerelle.acked.filter((u) => !distinct.has(u)).length;
    const storedNotAcked = [...distinct].filter((u) => !ackedSet.has(u)).length;
    const sentChoice = new Map(ballots.map((b) => [b.userId, b.choice]));
    const wrongChoice = rows.filter((r, i) => sentChoice.get(storedUsers[i]!) !== r.choice).length;
    const unknownVoters = rows.filter((r) => !byMember.has(r.voterKey)).length;
    say('');
    say(`ballots: ${passerelle.ok} acknowledged, ${rows.length} stored, ${distinct.size} distinct voters, ${rows.length - distinct.size} duplicated, ${ackedNotStored} acknowledged but not stored, ${storedNotAcked} stored but not acknowledged, ${wrongChoice} with another choice than sent, ${unknownVoters} from members outside the group`);

    // Closing: what the scheduler runs at the vote's time.
    const closeStart = performance.now();
    const result = await closeVote(db, platforms, vote.id);
    const closeMs = performance.now() - closeStart;
    const stored = await db.vote.findUniqueOrThrow({ where: { id: vote.id } });
    const storedResult = stored.result as { counts?: Record<string, number>; outcome?: string; cast?: number; eligible?: number } | null;
    const counts = storedResult?.counts ?? {};
    const clauseAfter = await db.clause.findUniqueOrThrow({ where: { id: clause.id } });
    say(`closed in ${ms(closeMs)}: stored result ${JSON.stringify({ counts, cast: storedResult?.cast, eligible: storedResult?.eligible, outcome: storedResult?.outcome })}, clause ${ref} ${clauseAfter.status}${result ? '' : ' (closeVote returned nothing)'}`);

    const p99 = percentiles(passerelle.latencies).p99;
    const baseP99 = percentiles(baseline.latencies).p99;
    const line = (ok: boolean, text: string) => say(`${ok ? 'PASS' : 'MISS'} ${text}`);
    say('');
    line(passerelle.ok === voters && Object.keys(passerelle.errors).length === 0, `every vote acknowledged: ${passerelle.ok}/${voters}, errors ${JSON.stringify(passerelle.errors)}`);
    line(
      rows.length === voters && distinct.size === voters && ackedNotStored === 0 && wrongChoice === 0 && unknownVoters === 0,
      `every vote recorded exactly once: ${rows.length} stored, ${distinct.size} distinct, ${rows.length - distinct.size} duplicated, ${ackedNotStored} acknowledged but lost, ${wrongChoice} wrong choice (${storedNotAcked} stored after the generator gave up waiting)`,
    );
    line(
      counts.approve === expected.approve && counts.reject === expected.reject && counts.abstain === expected.abstain && storedResult?.outcome === 'adopted' && clauseAfter.status === 'adopted',
      `tally right: approve ${counts.approve ?? 0}/${expected.approve}, reject ${counts.reject ?? 0}/${expected.reject}, abstain ${counts.abstain ?? 0}/${expected.abstain}, outcome ${storedResult?.outcome} (expected adopted)`,
    );
    line(passerelle.elapsedMs <= 1500, `${voters} votes within about a second: last ack ${ms(passerelle.elapsedMs)} after the first was due (target ≤ 1,500 ms)`);
    say(`INFO p99 ack latency: Passerelle ${ms(p99)}, bare Bolt ${ms(baseP99)} (${(p99 / baseP99).toFixed(1)}×)`);
    say(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    for (const stop of stack.reverse()) await stop();
  }
}

if (process.env[GENERATOR_ENV] === '1' && process.send) {
  generatorMain().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  benchMain().catch((error: unknown) => {
    console.error('bench crashed:', error);
    process.exitCode = 1;
  });
}
