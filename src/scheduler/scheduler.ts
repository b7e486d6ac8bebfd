/**
 * Runs jobs at their due times — cron expressions in a time zone (weekly digests per platform),
 * or one-off instants (a vote closing) — once per due time, across restarts and across processes
 * sharing the database: every run is claimed in JobRun (./job-runs.ts) before it starts.
 *
 * The timer only wakes the process. Each pass computes, from the clock, the due time each job
 * should have run by now, and runs it unless its JobRun is finished; so a process that was down
 * runs at start-up the latest due time it missed, once, and a late or lost timer only delays a
 * run. A run that fails keeps its row unfinished and is retried once its lease has expired, up
 * to `maxAttempts` attempts, then given up with a log line.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PrismaClient } from '../db/client.js';
import type { Logger } from '../log.js';
import { CronSchedule, ScheduleError } from './cron.js';
import { claimRun, failRun, finishRun, type RunKey } from './job-runs.js';

export { ScheduleError };

/** A job's work for one due time. It must be idempotent: a crash may make it run again. */
export type JobFn = (dueAt: Date) => Promise<void>;

export interface EveryOptions {
  /**
   * What to do with due times that passed while no process of this job was running:
   * `latest` (the default) runs the latest of them, once; `none` runs only due times from the
   * moment the job is registered on.
   */
  catchUp?: 'latest' | 'none';
}

export interface SchedulerOptions {
  db: PrismaClient;
  log: Logger;
  now?: () => Date;
  /** Names this process in JobRun.owner; unique per process by default. */
  owner?: string;
  /** How long a claimed run is ours; an unfinished run is retried (by anyone) after it. Runs must finish well within it. */
  leaseMs?: number;
  /** Attempts of one due time before it is given up. */
  maxAttempts?: number;
  /** The timer wakes at least this often, to retry runs whose lease expired. */
  maxSleepMs?: number;
}

interface Job {
  name: string;
  run: JobFn;
  oneOff: boolean;
  /** The due time that should have run by `now`, if any. */
  dueBy(now: Date): Date | undefined;
  /** The next due time after `now`, to wake up for. */
  nextAfter(now: Date): Date | undefined;
  /** The due time (ms) known to be finished, to spare the database a look at each pass. */
  settled?: number;
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly db: PrismaClient;
  private readonly log: Logger;
  /** The scheduler's clock (tests move it forward). */
  readonly now: () => Date;
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly maxSleepMs: number;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SchedulerOptions) {
    this.db = options.db;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
  }

  /**
   * Runs `run` at every due time of the cron expression (5 fields, or 6 with seconds; node-cron's
   * syntax) read in the IANA time zone `timezone`. Throws a ScheduleError if either is invalid.
   */
  every(job: string, cron: string, timezone: string, run: JobFn, opts: EveryOptions = {}): void {
    let schedule: CronSchedule;
    try {
      schedule = new CronSchedule(cron, timezone);
    } catch (error) {
      throw error instanceof ScheduleError ? new ScheduleError(`job "${job}": ${error.message}`) : error;
    }
    const since = opts.catchUp === 'none' ? this.now().getTime() : -Infinity;
    this.add({
      name: job,
      run,
      oneOff: false,
      dueBy: (now) => {
        const due = schedule.latest(now);
        return due && due.getTime() >= since ? due : undefined;
      },
      nextAfter: (now) => schedule.next(now),
    });
  }

  /** Runs `run` once at `when`, or at the first pass after it (at start-up if the time passed while down). */
  at(job: string, when: Date, run: JobFn): void {
    if (Number.isNaN(when.getTime())) throw new ScheduleError(`job "${job}": invalid date`);
    this.add({
      name: job,
      run,
      oneOff: true,
      dueBy: (now) => (when <= now ? when : undefined),
      nextAfter: (now) => (when > now ? when : undefined),
    });
  }

  /** Forgets a job (its runs in progress finish). Returns whether it was registered. */
  cancel(job: string): boolean {
    return this.jobs.delete(job);
  }

  /** Runs the due times missed while down, then wakes up at each due time until stop(). */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'started';
    const now = this.now();
    const catchUp = this.runDueAt(now);
    this.arm(now);
    this.log.info({ owner: this.owner, jobs: [...this.jobs.values()].map((j) => ({ job: j.name, next: j.nextAfter(now) })) }, 'scheduler started');
    await catchUp;
  }

  /** Stops waking up and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight.values());
  }

  /**
   * Runs every job whose due time has passed and whose run for it is not finished (nor held by
   * someone else); returns how many runs it made, successful or not. Jobs still running from an
   * earlier call are left alone.
   */
  runDue(): Promise<number> {
    return this.runDueAt(this.now());
  }

  private add(job: Job): void {
    if (!job.name) throw new ScheduleError('a job needs a name');
    if (this.jobs.has(job.name)) throw new ScheduleError(`job "${job.name}" is already scheduled`);
    this.jobs.set(job.name, job);
    if (this.state === 'started') this.wake(0);
  }

  private async runDueAt(now: Date): Promise<number> {
    const started: Promise<boolean>[] = [];
    for (const job of this.jobs.values()) {
      if (this.inFlight.has(job.name)) continue;
      const run = this.runJob(job, now)
        .catch((err) => {
          this.log.error({ err, job: job.name }, 'scheduler could not record a run; it is tried again at the next pass');
          return false;
        })
        .finally(() => this.inFlight.delete(job.name));
      this.inFlight.set(job.name, run);
      started.push(run);
    }
    return (await Promise.all(started)).filter(Boolean).length;
  }

  private async runJob(job: Job, now: Date): Promise<boolean> {
    const dueAt = job.dueBy(now);
    if (!dueAt || job.settled === dueAt.getTime()) return false;
    const key: RunKey = { job: job.name, dueAt };
    const at = { job: job.name, dueAt: dueAt.toISOString() };
    const claim = await claimRun(this.db, key, this.owner, now, this.leaseMs, this.maxAttempts);
    if (claim.kind === 'held') return false;
    if (claim.kind === 'finished' || claim.kind === 'given-up') {
      if (claim.kind === 'given-up') this.log.error({ ...at, attempts: claim.attempts, lastError: claim.lastError }, 'scheduled run given up');
      this.settle(job, dueAt);
      return false;
    }
    const holder = { owner: this.owner, attempt: claim.attempt };
    this.log.info({ ...at, attempt: claim.attempt }, 'scheduled run started');
    try {
      await job.run(dueAt);
    } catch (err) {
      const giveUp = claim.attempt >= this.maxAttempts;
      const reason = err instanceof Error ? err.message : String(err);
      if (!(await failRun(this.db, key, holder, reason, this.now(), giveUp))) {
        this.log.warn({ ...at, err }, 'scheduled run failed after its lease expired and was taken over');
      } else if (giveUp) {
        this.log.error({ ...at, err, attempts: claim.attempt }, 'scheduled run given up');
        this.settle(job, dueAt);
      } else {
        const retryAfter = new Date(now.getTime() + this.leaseMs).toISOString();
        this.log.error({ ...at, err, attempt: claim.attempt, retryAfter }, 'scheduled run failed; it is retried after its lease');
      }
      return true;
    }
    if (await finishRun(this.db, key, holder, this.now())) this.log.info({ ...at, attempt: claim.attempt }, 'scheduled run finished');
    else this.log.warn(at, 'scheduled run finished after its lease expired, and was taken over meanwhile: it may have run twice');
    this.settle(job, dueAt);
    return true;
  }

  private settle(job: Job, dueAt: Date): void {
    job.settled = dueAt.getTime();
    if (job.oneOff && this.jobs.get(job.name) === job) this.jobs.delete(job.name);
  }

  /** Sets the timer to the next due time of any job, or `maxSleepMs` from now if sooner. */
  private arm(now: Date): void {
    let wakeAt = now.getTime() + this.maxSleepMs;
    for (const job of this.jobs.values()) {
      const next = job.nextAfter(now)?.getTime();
      if (next !== undefined && next < wakeAt) wakeAt = next;
    }
    this.wake(wakeAt - now.getTime());
  }

  private wake(delayMs: number): void {
    if (this.state !== 'started') return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const now = this.now();
      void this.runDueAt(now);
      this.arm(now);
    }, Math.max(0, delayMs));
    this.timer.unref();
  }
}
