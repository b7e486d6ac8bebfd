/** Starts bench/slack-side.ts as a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FromSlackSide, type PhaseResult, type Target, type ToSlackSide } from './protocol.js';

type Cards = Extract<FromSlackSide, { type: 'cards' }>;
/** A message to the Slack side, before it is given its run id. */
type Request<T = Exclude<ToSlackSide, { type: 'quit' }>> = T extends unknown ? Omit<T, 'runId'> : never;
type Waiting = { resolve: (m: FromSlackSide) => void; reject: (e: Error) => void };

export class SlackSide {
  private nextRun = 1;
  private readonly waiting = new Map<number, Waiting>();

  private constructor(
    private readonly child: ChildProcess,
    readonly apiUrl: string,
  ) {
    child.on('message', (raw) => {
      const parsed = FromSlackSide.safeParse(raw);
      if (!parsed.success) return this.failAll(new Error(`unreadable message from the Slack side: ${parsed.error.message}`));
      const msg = parsed.data;
      if (msg.type === 'ready') return;
      const runId = msg.runId;
      if (runId === undefined) return this.failAll(new Error(`Slack side: ${msg.type === 'error' ? msg.message : msg.type}`));
      const w = this.waiting.get(runId);
      this.waiting.delete(runId);
      if (msg.type === 'error') w?.reject(new Error(`Slack side: ${msg.message}`));
      else w?.resolve(msg);
    });
    child.on('exit', (code) => this.failAll(new Error(`the Slack side exited (code ${code})`)));
  }

  /**
   * Forks the Slack side with the tsx loader only: it does not inherit this process's flags, so
   * `node --cpu-prof --import tsx bench/observe-throughput.ts` profiles the servers, not the generator.
   */
  static async start(): Promise<SlackSide> {
    const child = fork(fileURLToPath(new URL('./slack-side.ts', import.meta.url)), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the Slack side exited before it was ready (code ${code})`)));
      child.on('message', (raw) => {
        const parsed = FromSlackSide.safeParse(raw);
        if (parsed.success && parsed.data.type === 'ready') resolve(parsed.data.apiUrl);
      });
    });
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    return new SlackSide(child, apiUrl);
  }

  private failAll(error: Error): void {
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private ask(message: Request): Promise<FromSlackSide> {
    const runId = this.nextRun++;
    return new Promise((resolve, reject) => {
      this.waiting.set(runId, { resolve, reject });
      this.child.send({ ...message, runId });
    });
  }

  async closedLoop(target: Target, firstN: number, count: number, concurrency: number): Promise<PhaseResult> {
    const answer = await this.ask({ type: 'closed', target, firstN, count, concurrency });
    if (answer.type !== 'phase') throw new Error(`Slack side answered ${answer.type} to a closed loop`);
    return answer.result;
  }

  async openLoop(target: Target, firstN: number, rate: number, seconds: number): Promise<PhaseResult> {
    const answer = await this.ask({ type: 'open', target, firstN, rate, seconds });
    if (answer.type !== 'phase') throw new Error(`Slack side answered ${answer.type} to an open loop`);
    return answer.result;
  }

  async cards(): Promise<Cards> {
    const answer = await this.ask({ type: 'cards' });
    if (answer.type !== 'cards') throw new Error(`Slack side answered ${answer.type} to cards`);
    return answer;
  }

  async quit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'quit' } satisfies ToSlackSide);
    await exited;
  }
}
